// Creating a download's directories without ever leaving the target tree:
// each component below the root is checked with lstat, so a symlink (or a
// file) in the way is refused instead of followed.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/error.hpp"

namespace ws::sync {

// The directories one batch of downloads has already checked or created,
// so that thousands of files in a few directories cost one lstat per
// directory instead of one per file and level. Thread-safe. A directory
// swapped for a symlink after its check is not noticed again in the batch:
// the batch owns the tree while it runs.
class CheckedDirs {
 public:
  bool contains(const std::string& dir) const {
    std::lock_guard lock(mu_);
    return dirs_.count(dir) > 0;
  }
  void add(std::string dir) {
    std::lock_guard lock(mu_);
    dirs_.insert(std::move(dir));
  }

 private:
  mutable std::mutex mu_;
  std::unordered_set<std::string> dirs_;
};

// Makes the directories of `rel` ('/'-separated, already a safe key remainder)
// below `root`; Errc::unsafe_path when a component is a symlink, Errc::conflict
// when it is a non-directory, Errc::io otherwise. The root itself is trusted.
// With `checked`, directories found there are not inspected again, and the
// ones checked here are added.
Status make_parent_dirs(const std::filesystem::path& root, std::string_view rel,
                        CheckedDirs* checked = nullptr);

}  // namespace ws::sync
