// Odd but plausible input (behaviour §1 "Input policy") starts the pod with a
// warning instead of stopping it. The spec layer has no logger: parsers
// collect the warnings next to what they parsed, and whoever runs with
// that input (hydrate, the sidecar, a CLI command) logs them once.
#pragma once

#include <string>
#include <vector>

#include "common/log.hpp"

namespace ws::config {

struct InputWarning {
  std::string event;    // stable name, "config.repo_without_url"
  std::string message;  // names the variable; never a secret
};

using InputWarnings = std::vector<InputWarning>;

// Each warning as log.warn(event, message), in order.
void log_input_warnings(const InputWarnings& warnings, const Logger& log);

}  // namespace ws::config
