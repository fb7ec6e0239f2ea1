// Opening a work tree that another user may own. libgit2, like git's
// safe.directory check (CVE-2022-24765), refuses a repository whose owner
// is not the current user. In the pod the sidecar runs as 1001 and must
// back up every repo under the workspace's repos/, also one it did not
// clone (a chown that failed, a repo made by another user, the library run
// as root over the runner's repos) — and nothing else.
#pragma once

#include <filesystem>

#include "common/error.hpp"
#include "git/libgit2.hpp"

namespace ws::git {

// Opens the repository whose work tree is `path` (no search upwards). When
// libgit2 refuses it only for its owner and `path` is a direct child of
// `trusted_parent` (not through a link), it is opened with the owner check
// relaxed for that one open. An empty `trusted_parent` keeps the check.
// Errors: not_found (no repository, or refused for its owner).
Result<RepositoryPtr> open_work_tree(const std::filesystem::path& path,
                                     const std::filesystem::path& trusted_parent);

}  // namespace ws::git
