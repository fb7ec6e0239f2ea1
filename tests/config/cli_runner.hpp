// Running the ambient-workspace CLI as a user would, with every session
// variable unset unless a test sets it.
#pragma once

#include <string>
#include <vector>

#include "config/env_table.hpp"
#include "support.hpp"

namespace spectest {

inline std::string cli() {
  return (wstest::build_root() / "examples" / "ambient-workspace" / "ambient-workspace").string();
}

inline wstest::EnvChanges session_env(wstest::EnvChanges env) {
  for (const auto& v : ws::config::kEnvVars) env.try_emplace(std::string(v.name), std::nullopt);
  return env;
}

inline wstest::CommandResult run_cli(std::vector<std::string> args, wstest::EnvChanges env = {},
                                     const std::string& input = {}) {
  args.insert(args.begin(), cli());
  return wstest::run(args, {}, session_env(std::move(env)), input);
}

}  // namespace spectest
