// A digest of everything a repo backup captures — every ref and HEAD, the
// index, and the path, status and stat data of every changed or untracked
// file — so a backup of an unchanged repository is a few stats, not a
// bundle and two diffs.
#pragma once

#include <git2.h>

#include <string>

#include "common/error.hpp"

namespace ws::git {

// 40 hex digits; equal digests mean refs, index and work tree are unchanged.
Result<std::string> repo_fingerprint(git_repository* repo);

}  // namespace ws::git
