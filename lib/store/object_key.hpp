// Object keys meet the filesystem: the local store keeps <root>/<bucket>/<key>
// and every download lands at <target>/<key minus prefix>. A key maps to a
// relative path only when it cannot escape its directory.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/error.hpp"

namespace ws::store {

// "a/b c/d.txt" -> a relative path. Errc::unsafe_path for an empty key, a
// leading '/', an empty segment ("a//b", "a/"), a "." or ".." segment, or a
// NUL byte; the message quotes the key.
Result<std::filesystem::path> relative_path_for_key(std::string_view key);

// A listing prefix: empty, or a key-like string whose complete segments are
// all safe (a trailing '/' and a partial last segment are fine).
Status check_prefix(std::string_view prefix);

}  // namespace ws::store
