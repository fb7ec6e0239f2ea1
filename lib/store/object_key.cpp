#include "store/object_key.hpp"

#include <string>

namespace ws::store {
namespace {

Error unsafe(std::string_view key, std::string_view why) {
  std::string printable;
  for (char c : key) printable += c == '\0' ? std::string("\\0") : std::string(1, c);
  return Error(Errc::unsafe_path, "key '" + printable + "' " + std::string(why));
}

// Checks the segments of `key`; the last one may be empty when allowed.
Status check_segments(std::string_view key, bool allow_empty_last) {
  if (key.find('\0') != std::string_view::npos) return unsafe(key, "contains a NUL byte");
  if (!key.empty() && key.front() == '/') return unsafe(key, "is absolute");
  size_t start = 0;
  while (true) {
    const size_t slash = key.find('/', start);
    const bool last = slash == std::string_view::npos;
    const auto seg = key.substr(start, last ? std::string_view::npos : slash - start);
    if (seg == "." || seg == "..") return unsafe(key, "has a '.' or '..' segment");
    if (seg.empty() && !(last && allow_empty_last)) return unsafe(key, "has an empty segment");
    if (last) break;
    start = slash + 1;
  }
  return {};
}

}  // namespace

Result<std::filesystem::path> relative_path_for_key(std::string_view key) {
  if (key.empty()) return unsafe(key, "is empty");
  WS_TRY(check_segments(key, false));
  return std::filesystem::path(std::string(key));
}

Status check_prefix(std::string_view prefix) {
  if (prefix.empty()) return {};
  return check_segments(prefix, true);
}

}  // namespace ws::store
