#include "auth/session_credentials.hpp"

namespace ws::auth {

SessionCredentials resolve_session_credentials(const spec::Config& config, const AuthOptions& options,
                                               const Logger& log) {
  SessionCredentials out;
  http::Client client(log);
  if (needs_backend(config)) {
    auto token = resolve_api_token(config, options, client, log);
    if (token) {
      out.api_token = std::move(*token);
    } else {
      out.api_token_problem = token.error().message;
      log.warn("token.unavailable", "no API token for the backend credentials API: " + token.error().message);
    }
  }
  out.git = resolve_git_credentials(config, out.api_token ? out.api_token->value : std::string(),
                                    options, client, log);
  out.provider = std::make_shared<const HostScopedCredentialProvider>(out.git, config.github_hosts,
                                                                      config.gitlab_hosts);
  out.identity = git_identity(out.git);
  return out;
}

}  // namespace ws::auth
