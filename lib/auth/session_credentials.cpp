#include "auth/session_credentials.hpp"

#include "auth/session_hosts.hpp"

namespace ws::auth {
namespace {

void log_inferred(const InferredHosts& inferred, const Logger& log) {
  for (const auto& h : inferred.github) {
    log.info("auth.session_host", h + " (a host of the session's repos) may receive the GitHub token");
  }
  for (const auto& h : inferred.gitlab) {
    log.info("auth.session_host", h + " (a host of the session's repos) may receive the GitLab token");
  }
  for (const auto& h : inferred.ambiguous) {
    log.warn("auth.session_host_ambiguous",
             h + " (a host of the session's repos) gets no token: both a GitHub and a GitLab "
                 "credential resolved and its name says neither; list it in GITHUB_HOSTS or GITLAB_HOSTS");
  }
}

}  // namespace

SessionCredentials resolve_session_credentials(const config::Config& config, const AuthOptions& options,
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
  // Configured host lists are the whole answer; without them, the
  // session's own hosts (session_hosts.hpp).
  std::vector<std::string> github_hosts = config.github_hosts;
  std::vector<std::string> gitlab_hosts = config.gitlab_hosts;
  if (github_hosts.empty() && gitlab_hosts.empty()) {
    InferredHosts inferred = infer_session_hosts(out.git, session_https_hosts(config));
    log_inferred(inferred, log);
    github_hosts = std::move(inferred.github);
    gitlab_hosts = std::move(inferred.gitlab);
  }
  out.provider = std::make_shared<const HostScopedCredentialProvider>(out.git, github_hosts, gitlab_hosts);
  out.identity = git_identity(out.git);
  return out;
}

}  // namespace ws::auth
