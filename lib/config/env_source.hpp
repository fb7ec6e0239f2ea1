// Where configuration comes from: a snapshot of the process environment or
// an explicit key/value map, so library callers (the Go CP, Python tooling,
// tests) never need to set environment variables.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace ws::config {

class EnvSource {
 public:
  EnvSource() = default;
  explicit EnvSource(std::map<std::string, std::string, std::less<>> values)
      : values_(std::move(values)) {}

  // A copy of the process environment taken now.
  static EnvSource from_process();
  // From "KEY=VALUE" strings; an entry without '=' is an invalid_input error.
  static Result<EnvSource> from_entries(const std::vector<std::string>& entries);

  // The value of `name`; an empty value counts as unset (as the scripts'
  // ${VAR:-default}).
  std::optional<std::string> get(std::string_view name) const;

  void set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace ws::config
