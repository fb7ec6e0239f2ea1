// Creating a download's directories without ever leaving the target tree:
// each component below the root is checked with lstat, so a symlink (or a
// file) in the way is refused instead of followed.
#pragma once

#include <filesystem>
#include <string_view>

#include "common/error.hpp"

namespace ws::sync {

// Makes the directories of `rel` ('/'-separated, already a safe key remainder)
// below `root`; Errc::unsafe_path when a component is a symlink, Errc::conflict
// when it is a non-directory, Errc::io otherwise. The root itself is trusted.
Status make_parent_dirs(const std::filesystem::path& root, std::string_view rel);

}  // namespace ws::sync
