#include "config/env_source.hpp"

#include <unistd.h>

extern char** environ;

namespace ws::config {

EnvSource EnvSource::from_process() {
  EnvSource src;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    src.set(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return src;
}

Result<EnvSource> EnvSource::from_entries(const std::vector<std::string>& entries) {
  EnvSource src;
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto eq = entries[i].find('=');
    if (eq == std::string::npos || eq == 0) {
      // The entry may be a bare secret: show only its position.
      return Error(Errc::invalid_input, "environment entry #" + std::to_string(i + 1) +
                                            " is not of the form KEY=VALUE");
    }
    src.set(entries[i].substr(0, eq), entries[i].substr(eq + 1));
  }
  return src;
}

std::optional<std::string> EnvSource::get(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace ws::config
