// Cloning one repository into the workspace (behaviour §3 step 4): one branch
// only, credentials from a CredentialProvider, failures classified so the
// caller can say whether it was authentication, not-found or network.
#pragma once

#include <filesystem>
#include <string>

#include "auth/credential_provider.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::git {

struct CloneOptions {
  std::string url;                 // may carry no secret: credentials come from `credentials`
  std::filesystem::path target;    // must be absent or an empty directory
  std::string branch;              // empty: the remote's default branch
  // Asked for (protocol, host) when the remote wants credentials; may be
  // null (anonymous). Borrowed for the duration of the call.
  const auth::CredentialProvider* credentials = nullptr;
};

struct CloneResult {
  std::string branch;    // the branch checked out ("" for an empty remote)
  std::string head_sha;  // "" for an empty remote
};

// Clones `url` into `target`, fetching only the one branch (the given one or
// the remote's default) and checking it out. When the given branch does not
// exist on the remote, the remote's default branch is cloned instead, with a
// warning (clone.branch_missing); CloneResult::branch says which. Errors: invalid_input (empty
// URL/target), conflict (target exists and is not empty), auth, not_found
// (repository, or an empty remote), network, git (anything else). On failure the
// target is removed again if this call created it.
Result<CloneResult> clone_repo(const CloneOptions& options, const Logger& log);

}  // namespace ws::git
