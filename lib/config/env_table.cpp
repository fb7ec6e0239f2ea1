#include "config/env_table.hpp"

namespace ws::config {

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
    // Appended piece by piece: g++ 12 at -O3 sees a false overlap (-Wrestrict)
    // in `"`" + std::string(...) + "`"`.
    out.append("| `").append(v.name).append("` | ");
    if (v.default_value.empty()) {
      out.append("—");
    } else {
      out.append("`").append(v.default_value).append("`");
    }
    out.append(" | ").append(env_reader_name(v.read_by));
    out.append(" | ").append(meaning).append(v.secret ? " (secret)" : "").append(" |\n");
  }
  return out;
}

}  // namespace ws::config
