// The stash across a backup: `git stash` keeps its entries in the reflog of
// refs/stash, which a bundle does not carry; the bundle carries refs/stash
// itself, the newest entry, and restore makes it the stash's one entry.
#pragma once

#include <git2.h>

#include <cstddef>
#include <string>

#include "common/error.hpp"

namespace ws::git {

// How many entries `git stash list` shows (0 without a stash).
size_t stash_entry_count(git_repository* repo);

// Points refs/stash at `commit_hex` with a reflog entry (what `git stash
// list` reads), unless the repository already has a stash.
Status restore_stash(git_repository* repo, const std::string& commit_hex);

}  // namespace ws::git
