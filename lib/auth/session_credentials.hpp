// Everything hydrate needs from the auth layer in one call: the git tokens
// (from the environment, or from the backend with the API token resolved
// first when needed), the host-scoped provider over them, and the git
// identity. Never fails: each problem is a warning and hydrate goes on.
// Without GITHUB_HOSTS / GITLAB_HOSTS, the hosts of the session's own repo
// and workflow URLs are trusted as session_hosts.hpp says.
#pragma once

#include <memory>
#include <optional>

#include "auth/api_token.hpp"
#include "auth/git_credentials.hpp"
#include "auth/host_scoped_provider.hpp"

namespace ws::auth {

struct SessionCredentials {
  std::optional<ApiToken> api_token;  // when one was needed and resolved
  std::string api_token_problem;      // why not, when one was needed
  GitCredentials git;
  std::shared_ptr<const HostScopedCredentialProvider> provider;
  GitIdentity identity;
};

SessionCredentials resolve_session_credentials(const config::Config& config, const AuthOptions& options,
                                               const Logger& log);

}  // namespace ws::auth
