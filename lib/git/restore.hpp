// Restoring one repository from its repo-state files (behaviour §3 step 6):
// import the bundle's branches, check out the saved branch, apply the saved
// work-tree and index changes. Reads state written by the library and by
// the old scripts (git bundle create --all, git diff HEAD, git diff --cached).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "auth/credential_provider.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "git/origin_policy.hpp"

namespace ws::git {

struct RestoreOptions {
  std::filesystem::path state_dir;  // holds repo.bundle, *.patch, metadata.json
  std::filesystem::path repo;       // a fresh clone, or absent (then cloned)
  std::string remote_url;           // overrides metadata's remoteUrl for the clone (trusted)
  // Which saved remoteUrl may be cloned. The caller of a standalone restore
  // vouches for its state directory; hydrate, whose state comes from the
  // store and may be hostile, narrows this to OriginPolicy::for_session.
  OriginPolicy origins = OriginPolicy::any_known();
  const auth::CredentialProvider* credentials = nullptr;  // may be null; borrowed
  // A repo directly under this directory is restored even when another user
  // owns it (open_repo.hpp): a re-run hydrate, as root, over a clone it
  // already gave to the runner. Empty: git's owner check applies as it is.
  std::filesystem::path trusted_parent = {};
};

struct RestoreResult {
  bool cloned = false;                   // the repo was missing and was cloned
  size_t branches_imported = 0;
  std::string current_branch;            // what is checked out now ("HEAD" if detached)
  std::string head_sha;
  bool head_matches = true;              // HEAD equals metadata's headSha
  // Paths whose saved change could not be applied (reported, the rest applied).
  std::vector<std::string> rejected_worktree;
  std::vector<std::string> rejected_index;
  // Copies of the saved patches that did not apply whole, kept in the
  // repository's .git/libworkspace/ (rejected_patch.hpp), never overwritten.
  std::vector<std::filesystem::path> kept_patches;
  // Parts of the saved git state (index entries, in-progress files) that
  // were not carried or could not be put back, each with its reason.
  std::vector<std::string> not_restored;
};

// Errors: not_found (state_dir or metadata.json missing), invalid_input
// (metadata unreadable), unsupported (bundle version/capability, sha256),
// git (corrupt or truncated bundle, missing prerequisites), conflict (the
// repo has local changes: restore only into a fresh clone), plus the clone
// errors when the repo had to be cloned, and unsafe_path when it is missing
// and its saved remoteUrl is of a kind `origins` does not allow. A bad bundle leaves the repository
// untouched; a patch that partly fails is not an error (see rejected_*).
Result<RestoreResult> restore_repo(const RestoreOptions& options, const Logger& log);

}  // namespace ws::git
