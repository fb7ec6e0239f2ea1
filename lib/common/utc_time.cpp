#include "common/utc_time.hpp"

#include <ctime>

namespace ws {

std::string utc_timestamp(std::chrono::system_clock::time_point t, UtcFormat format) {
  // floor, not to_time_t: that may truncate toward zero before 1970.
  const auto secs = std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  const char* pattern = format == UtcFormat::extended ? "%Y-%m-%dT%H:%M:%SZ" : "%Y%m%dT%H%M%SZ";
  const size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace ws
