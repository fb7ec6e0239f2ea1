#include "spec/env_table.hpp"

namespace ws::spec {

const EnvVar* find_env_var(std::string_view name) {
  for (const auto& v : kEnvVars) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

const char* env_reader_name(EnvReader r) {
  switch (r) {
    case EnvReader::hydrate: return "hydrate";
    case EnvReader::sync: return "sync";
    case EnvReader::both: return "hydrate, sync";
  }
  return "";
}

std::string env_table_markdown() {
  std::string out = "| Variable | Default | Read by | Meaning |\n|---|---|---|---|\n";
  for (const auto& v : kEnvVars) {
    std::string meaning(v.meaning);
    for (auto pos = meaning.find('|'); pos != std::string::npos; pos = meaning.find('|', pos + 2)) {
      meaning.replace(pos, 1, "\\|");
    }
    out += "| `" + std::string(v.name) + "` | ";
    out += v.default_value.empty() ? std::string("—") : "`" + std::string(v.default_value) + "`";
    out += std::string(" | ") + env_reader_name(v.read_by);
    out += " | " + meaning + (v.secret ? " (secret)" : "") + " |\n";
  }
  return out;
}

}  // namespace ws::spec
