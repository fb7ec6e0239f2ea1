#include "common/log.hpp"

#include <memory>
#include <mutex>

namespace ws {

const char* log_level_name(LogLevel l) noexcept {
  switch (l) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

Logger serialized(const Logger& log) {
  auto mu = std::make_shared<std::mutex>();
  Logger::ProgressFn progress;
  if (log.wants_progress()) {
    progress = [mu, log](const Progress& p) {
      std::lock_guard lock(*mu);
      log.progress(p);
    };
  }
  return Logger(
      [mu, log](const LogEvent& e) {
        std::lock_guard lock(*mu);
        log.log(e.level, e.event, e.message);
      },
      std::move(progress));
}

}  // namespace ws
