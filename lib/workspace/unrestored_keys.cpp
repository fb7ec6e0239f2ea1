#include "workspace/unrestored_keys.hpp"

#include <fstream>
#include <system_error>

#include "store/atomic_file.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;

namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\t': out += "%09"; break;
      case '\n': out += "%0A"; break;
      case '\r': out += "%0D"; break;
      default: out += c;
    }
  }
  return out;
}

Result<std::string> unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    const std::string_view code = s.substr(i + 1, 2);
    if (code == "25") out += '%';
    else if (code == "09") out += '\t';
    else if (code == "0A") out += '\n';
    else if (code == "0D") out += '\r';
    else return Error(Errc::invalid_input, "bad escape '%" + std::string(code) + "'");
    i += 2;
  }
  return out;
}

}  // namespace

fs::path unrestored_record(const fs::path& cache_dir) { return cache_dir / "unrestored"; }

Status write_unrestored(const fs::path& record, const std::vector<UnrestoredKey>& keys) {
  if (keys.empty()) {
    std::error_code ec;
    fs::remove(record, ec);
    if (ec) return Error(Errc::io, "removing " + record.string() + ": " + ec.message());
    return {};
  }
  std::string text;
  for (const auto& k : keys) text += escape(k.tree) + "\t" + escape(k.path) + "\n";
  auto out = store::AtomicFile::create(record);
  if (!out) return std::move(out).error();
  WS_TRY(out->write(text));
  return out->commit(std::nullopt);
}

Result<std::vector<UnrestoredKey>> read_unrestored(const fs::path& record) {
  std::vector<UnrestoredKey> keys;
  std::ifstream in(record, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(record, ec) && !ec) return keys;
    return Error(Errc::io, "cannot read " + record.string());
  }
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    auto tree = unescape(std::string_view(line).substr(0, tab));
    auto path = tab == std::string::npos ? Result<std::string>(Error(Errc::invalid_input, "no TAB"))
                                         : unescape(std::string_view(line).substr(tab + 1));
    // Only this library writes the file; a line it cannot have written
    // names no object it could keep.
    if (!tree || !path || tree->empty() || path->empty()) continue;
    keys.push_back({std::move(*tree), std::move(*path)});
  }
  return keys;
}

}  // namespace ws::workspace
