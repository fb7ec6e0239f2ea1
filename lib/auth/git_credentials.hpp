// Git hosting tokens of a session (behaviour §4): GITHUB_TOKEN / GITLAB_TOKEN
// when set, else fetched from the backend API
//   GET <BACKEND_API_URL>/projects/<PROJECT_NAME>/agentic-sessions/<SESSION_NAME>/credentials/{github,gitlab}
// with the API bearer token. Every way a fetch can go wrong is a distinct
// outcome and a distinct warning; none stops a hydrate.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/auth_options.hpp"
#include "common/log.hpp"
#include "http/http.hpp"
#include "config/config.hpp"

namespace ws::auth {

enum class GitHosting { github, gitlab };

// "github" / "gitlab".
const char* hosting_name(GitHosting h) noexcept;

enum class CredentialOutcome {
  fetched,           // from the backend API
  from_environment,  // GITHUB_TOKEN / GITLAB_TOKEN
  auth_failed,       // the backend refused the API token (401/403)
  not_configured,    // the backend has none for this session (404)
  unreachable,       // connect, DNS, TLS, timeout
  malformed,         // any other status, or an answer without a token
  skipped,           // no BACKEND_API_URL or no API token to ask with
};

// "fetched", "from environment", "auth failed", ...
const char* outcome_name(CredentialOutcome o) noexcept;

struct HostingCredential {
  std::string token;         // secret
  std::string user_name;     // may be empty
  std::string email;         // may be empty
  std::string instance_url;  // GitLab only, may be empty
  std::string expires_at;    // as the backend wrote it, may be empty
};

struct CredentialResult {
  CredentialOutcome outcome = CredentialOutcome::skipped;
  std::optional<HostingCredential> credential;  // set for fetched / from_environment
  std::string message;                          // why, when there is no credential
};

struct GitCredentials {
  CredentialResult github;
  CredentialResult gitlab;
  const CredentialResult& operator[](GitHosting h) const { return h == GitHosting::github ? github : gitlab; }
};

// The backend's 200 answer for one hosting: fetched with its credential, or
// malformed saying why (`what` names the request); the body is never quoted.
CredentialResult parse_credential_answer(std::string_view body, const std::string& what);

// Asks the backend for one hosting's credential. `api_token` may be empty
// (then: skipped).
CredentialResult fetch_hosting_credential(GitHosting hosting, const config::Config& config,
                                          std::string_view api_token, const AuthOptions& options,
                                          http::Client& client, const Logger& log);

// Both hostings: the environment's token, or the backend's answer.
// `api_token` is only used when a token must be fetched.
GitCredentials resolve_git_credentials(const config::Config& config, std::string_view api_token,
                                       const AuthOptions& options, http::Client& client,
                                       const Logger& log);

// Whether resolve_git_credentials would ask the backend (so a caller knows
// whether to resolve an API token first).
bool needs_backend(const config::Config& config);

// The git identity for cloned repos: the credential's userName/email (GitHub
// first), else "Ambient Code Bot <bot@ambient-code.local>".
struct GitIdentity {
  std::string name;
  std::string email;
};
GitIdentity git_identity(const GitCredentials& creds);

}  // namespace ws::auth
