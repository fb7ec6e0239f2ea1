// The libgit2 remote callbacks the git layer installs on every network
// operation: credentials from a CredentialProvider (each (url, user) pair is
// offered once, so a refused token ends in an auth error instead of a loop)
// and transfer progress to the Logger.
#pragma once

#include <git2.h>

#include <optional>
#include <string>
#include <string_view>

#include "auth/credential_provider.hpp"
#include "common/log.hpp"

namespace ws::git {

// (protocol, host[:port]) of a URL as the credential provider wants them:
// "https://u@Host:8443/x" -> {"https", "Host:8443"}. scp-like
// "git@host:org/r" -> {"ssh", "host"}. Nothing for local paths.
struct RemoteEndpoint {
  std::string protocol;
  std::string host;
};
std::optional<RemoteEndpoint> remote_endpoint(std::string_view url);

// The state the callbacks read; lives on the caller's stack for the
// duration of the network operation.
struct RemoteCallbackState {
  const auth::CredentialProvider* credentials = nullptr;  // may be null
  // The userinfo the caller's URL carried (taken out of it), offered only
  // when `credentials` has nothing for the host. In memory only.
  std::optional<auth::GitCredential> url_credential;
  const Logger* log = nullptr;
  std::string item;             // shown in progress events (redacted URL or name)
  bool credentials_offered = false;
};

// Fills `callbacks` (credentials + transfer progress) with `state` as payload.
void install_remote_callbacks(git_remote_callbacks& callbacks, RemoteCallbackState& state);

}  // namespace ws::git
