#include "auth/git_credentials.hpp"

#include <boost/json.hpp>

#include <cctype>

#include "auth/answer_excerpt.hpp"
#include "auth/bearer_destination.hpp"
#include "common/percent_encoding.hpp"
#include "common/redact.hpp"

namespace ws::auth {
namespace {

std::string credentials_url(GitHosting hosting, const config::Config& config) {
  std::string base = config.backend_api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/projects/" + uri_encode(config.project, false) + "/agentic-sessions/" +
         uri_encode(config.session, false) + "/credentials/" + hosting_name(hosting);
}

std::string string_field(const boost::json::object& o, std::string_view name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

CredentialResult without(CredentialOutcome outcome, std::string message) {
  CredentialResult r;
  r.outcome = outcome;
  r.message = std::move(message);
  return r;
}

}  // namespace

CredentialResult parse_credential_answer(std::string_view body, const std::string& what) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) {
    return without(CredentialOutcome::malformed, what + ": the answer is not a JSON object");
  }
  const auto& o = doc.as_object();
  HostingCredential c;
  c.token = string_field(o, "token");
  if (c.token.empty()) {
    return without(CredentialOutcome::malformed, what + ": the answer has no non-empty string \"token\"");
  }
  c.user_name = string_field(o, "userName");
  c.email = string_field(o, "email");
  c.instance_url = string_field(o, "instanceUrl");
  c.expires_at = string_field(o, "expiresAt");
  CredentialResult r;
  r.outcome = CredentialOutcome::fetched;
  r.credential = std::move(c);
  return r;
}

namespace {

const char* warning_event(CredentialOutcome o) {
  switch (o) {
    case CredentialOutcome::auth_failed: return "credentials.auth_failed";
    case CredentialOutcome::not_configured: return "credentials.not_configured";
    case CredentialOutcome::unreachable: return "credentials.unreachable";
    case CredentialOutcome::malformed: return "credentials.malformed";
    default: return "credentials.skipped";
  }
}

}  // namespace

const char* hosting_name(GitHosting h) noexcept { return h == GitHosting::github ? "github" : "gitlab"; }

const char* outcome_name(CredentialOutcome o) noexcept {
  switch (o) {
    case CredentialOutcome::fetched: return "fetched";
    case CredentialOutcome::from_environment: return "from environment";
    case CredentialOutcome::auth_failed: return "auth failed";
    case CredentialOutcome::not_configured: return "not configured";
    case CredentialOutcome::unreachable: return "unreachable";
    case CredentialOutcome::malformed: return "malformed";
    case CredentialOutcome::skipped: return "skipped";
  }
  return "unknown";
}

CredentialResult fetch_hosting_credential(GitHosting hosting, const config::Config& config,
                                          std::string_view api_token, const AuthOptions& options,
                                          http::Client& client, const Logger& log) {
  const std::string name = hosting_name(hosting);
  if (config.backend_api_url.empty()) {
    return without(CredentialOutcome::skipped, name + " credentials: BACKEND_API_URL is not set");
  }
  if (api_token.empty()) {
    return without(CredentialOutcome::skipped, name + " credentials: no API token to ask the backend with");
  }
  const std::string url = credentials_url(hosting, config);
  const std::string what = name + " credentials from " + redact_url(url);
  auto where = check_bearer_destination("BACKEND_API_URL", url, options.allow_plain_http);
  if (!where) {
    auto refused = without(CredentialOutcome::skipped, name + " credentials: " + where.error().message);
    log.warn("credentials.skipped", refused.message);
    return refused;
  }

  http::Request req;
  req.url = url;
  req.headers.push_back({"Authorization", "Bearer " + std::string(api_token)});
  req.headers.push_back({"Accept", "application/json"});
  req.timeout = options.credentials_timeout;
  req.connect_timeout = std::min(options.credentials_timeout, req.connect_timeout);
  http::RetryPolicy retry;
  retry.max_attempts = std::max(options.credentials_attempts, 1);
  retry.sleeper = options.sleeper;

  CredentialResult result;
  auto res = client.perform(req, retry);
  if (!res) {
    result = without(CredentialOutcome::unreachable,
                     what + ": backend unreachable: " + scrub(res.error().message, api_token));
  } else if (res->status == 401 || res->status == 403) {
    result = without(CredentialOutcome::auth_failed,
                     what + ": the backend refused the API token (HTTP " + std::to_string(res->status) + ")");
  } else if (res->status == 404) {
    result = without(CredentialOutcome::not_configured, what + ": none configured for this session (HTTP 404)");
  } else if (res->status != 200) {
    result = without(CredentialOutcome::malformed, what + ": unexpected HTTP " + std::to_string(res->status) +
                                                       " " + answer_excerpt(res->body, api_token));
  } else {
    result = parse_credential_answer(res->body, what);
  }
  if (result.credential) {
    log.info("credentials.fetched", what + ": token " + mask_secret(result.credential->token));
  } else {
    log.warn(warning_event(result.outcome), result.message + "; going on without a " + name + " token");
  }
  return result;
}

bool needs_backend(const config::Config& config) {
  return !config.backend_api_url.empty() && (config.github_token.empty() || config.gitlab_token.empty());
}

GitCredentials resolve_git_credentials(const config::Config& config, std::string_view api_token,
                                       const AuthOptions& options, http::Client& client,
                                       const Logger& log) {
  auto one = [&](GitHosting hosting, const std::string& env_token) {
    if (env_token.empty()) return fetch_hosting_credential(hosting, config, api_token, options, client, log);
    CredentialResult r;
    r.outcome = CredentialOutcome::from_environment;
    r.credential = HostingCredential{env_token, "", "", "", ""};
    return r;
  };
  GitCredentials out;
  out.github = one(GitHosting::github, config.github_token);
  out.gitlab = one(GitHosting::gitlab, config.gitlab_token);
  return out;
}

GitIdentity git_identity(const GitCredentials& creds) {
  for (const auto* r : {&creds.github, &creds.gitlab}) {
    if (r->credential && !r->credential->user_name.empty() && !r->credential->email.empty()) {
      return {r->credential->user_name, r->credential->email};
    }
  }
  return {"Ambient Code Bot", "bot@ambient-code.local"};
}

}  // namespace ws::auth
