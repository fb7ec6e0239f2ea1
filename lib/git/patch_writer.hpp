// The two patches of a repo backup, in git's patch format with full-index
// binary hunks, mode changes, deletions and renames:
//   uncommitted.patch  HEAD -> work tree, untracked (not ignored) files as
//                      new files; what `git apply` replays onto a clean
//                      checkout of HEAD to give back the work tree;
//   staged.patch       HEAD -> index; what `git apply --cached` replays onto
//                      the index of that checkout to give back the index.
// Both start from HEAD, so applying one never depends on the other.
#pragma once

#include <git2.h>

#include <filesystem>

#include "common/error.hpp"

namespace ws::git {

class PatchWriter {
 public:
  explicit PatchWriter(git_repository* repo) : repo_(repo) {}

  Status write_worktree_patch(const std::filesystem::path& path) const;
  Status write_index_patch(const std::filesystem::path& path) const;

 private:
  git_repository* repo_;  // borrowed
};

}  // namespace ws::git
