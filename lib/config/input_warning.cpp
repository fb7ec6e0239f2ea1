#include "config/input_warning.hpp"

namespace ws::config {

void log_input_warnings(const InputWarnings& warnings, const Logger& log) {
  for (const auto& w : warnings) log.warn(w.event, w.message);
}

}  // namespace ws::config
