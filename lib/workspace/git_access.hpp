// What hydrate hands the git layer: the credential provider that gives each
// host only its own token (behaviour §4). No git identity: hydrate writes none
// into a repository (the runner sets its own globally at run time).
#pragma once

#include <memory>

#include "auth/credential_provider.hpp"
#include "common/log.hpp"
#include "config/config.hpp"

namespace ws::workspace {

struct GitAccess {
  std::shared_ptr<const auth::CredentialProvider> credentials;  // null: anonymous
};

// Resolves the API token and the git tokens as behaviour §4 says. Never fails:
// every problem is a warning and hydrate goes on without that token.
GitAccess resolve_git_access(const config::Config& cfg, const Logger& log);

}  // namespace ws::workspace
