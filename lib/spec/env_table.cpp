#include "spec/env_table.hpp"

namespace ws::spec {

const EnvVar* find_env_var(std::string_view name) {
  for (const auto& v : kEnvVars) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::string env_table_markdown() {
  std::string out = "| Variable | Default | Meaning |\n|---|---|---|\n";
  for (const auto& v : kEnvVars) {
    std::string meaning(v.meaning);
    for (auto pos = meaning.find('|'); pos != std::string::npos; pos = meaning.find('|', pos + 2)) {
      meaning.replace(pos, 1, "\\|");
    }
    out += "| `" + std::string(v.name) + "` | ";
    out += v.default_value.empty() ? std::string("—") : "`" + std::string(v.default_value) + "`";
    out += " | " + meaning + (v.secret ? " (secret)" : "") + " |\n";
  }
  return out;
}

}  // namespace ws::spec
