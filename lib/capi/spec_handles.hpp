// The struct behind the opaque ws_config handle, shared with the other C ABI
// areas that take a configuration (hydrate, sync).
#pragma once

#include <map>
#include <string>

#include "config/config.hpp"

struct ws_config {
  ws::config::Config config;
  // resolved_env(config), kept so ws_config_get can lend stable pointers.
  std::map<std::string, std::string, std::less<>> values;
};
