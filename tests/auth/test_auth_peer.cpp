// The auth layer against the platform's HTTP peers played by the Beast
// server: the CP token endpoint (which decrypts the RSA-OAEP bearer with a
// fresh private key) and the backend credentials API.
#include <doctest/doctest.h>

#include <mutex>

#include "auth/api_token.hpp"
#include "common/base64.hpp"
#include "auth/git_credentials.hpp"
#include "auth/refreshing_token_source.hpp"
#include "auth/session_credentials.hpp"
#include "fake_platform.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
using ws::auth::AuthOptions;
using ws::auth::CredentialOutcome;
using ws::auth::GitHosting;
using wstest::BeastServer;
using wstest::FakeControlPlane;
using wstest::HttpReply;

namespace {

const std::string kSessionId = "3f2a9c1e-session";
const std::string kIssuedToken = "cp-ISSUED-token-7d1e9a";
const std::string kGithubToken = "ghp_PEERgithubSECRET123";
const std::string kGitlabToken = "glpat-PEERgitlabSECRET45";

struct Captured {
  std::mutex mu;
  std::string text;
  std::vector<std::string> events;
  std::vector<std::chrono::milliseconds> pauses;
  ws::Logger logger() {
    return ws::Logger([this](const ws::LogEvent& e) {
      std::lock_guard lock(mu);
      text += std::string(e.event) + " " + std::string(e.message) + "\n";
      events.emplace_back(e.event);
    });
  }
  AuthOptions options() {
    AuthOptions o;
    o.sleeper = [this](std::chrono::milliseconds d) { pauses.push_back(d); };
    return o;
  }
  bool saw(std::string_view event) const {
    return std::find(events.begin(), events.end(), event) != events.end();
  }
};

ws::config::Config cp_config(const FakeControlPlane& cp) {
  ws::config::Config c;
  c.session = "my-session";
  c.namespace_name = "proj";
  c.project = "proj";
  c.cp_token_url = cp.token_url();
  c.cp_token_public_key = cp.keys().public_pem();
  c.session_id = kSessionId;
  c.backend_api_url = cp.backend_url();
  return c;
}

void check_no_secret(const std::string& text, std::initializer_list<std::string> secrets) {
  for (const auto& s : secrets) CHECK_MESSAGE(text.find(s) == std::string::npos, "leaked: " << s);
}

}  // namespace

TEST_CASE("the CP token endpoint issues the API token for the encrypted session id") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  Captured cap;
  ws::http::Client client;
  for (const auto& pem : {cp.keys().public_pem(), cp.keys().public_pem_pkcs1()}) {
    auto config = cp_config(cp);
    config.cp_token_public_key = pem;
    auto token = ws::auth::resolve_api_token(config, cap.options(), client, cap.logger());
    REQUIRE(token);
    CHECK(token->value == kIssuedToken);
    CHECK(token->source == ws::auth::TokenSource::cp_token_endpoint);
  }
  CHECK(cp.rejected_bearers() == 0);
  CHECK(cap.pauses.empty());
  check_no_secret(cap.text, {kIssuedToken});
}

TEST_CASE("the token endpoint is tried three times, 1 s then 2 s apart") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  cp.token_misbehaves(2, HttpReply::text(500, "database down"));
  Captured cap;
  ws::http::Client client;
  auto token = ws::auth::resolve_api_token(cp_config(cp), cap.options(), client, cap.logger());
  REQUIRE(token);
  CHECK(token->value == kIssuedToken);
  CHECK(server.request_count("/token") == 3);
  REQUIRE(cap.pauses.size() == 2);
  CHECK(cap.pauses[0] == 1000ms);
  CHECK(cap.pauses[1] == 2000ms);
  CHECK(cap.saw("token.retry"));
}

TEST_CASE("after three failures the error names the HTTP status and an excerpt of the answer") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  cp.token_misbehaves(5, HttpReply::text(503, "maintenance window"));
  Captured cap;
  ws::http::Client client;
  auto token = ws::auth::resolve_api_token(cp_config(cp), cap.options(), client, cap.logger());
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ws::Errc::protocol);
  CHECK(token.error().message.find("HTTP 503") != std::string::npos);
  CHECK(token.error().message.find("maintenance window") != std::string::npos);
  CHECK(token.error().message.find("3 attempts") != std::string::npos);
  CHECK(server.request_count("/token") == 3);
}

TEST_CASE("a wrong session id is refused by the CP: an auth error") {
  BeastServer server;
  FakeControlPlane cp(server, "another-session", kIssuedToken);
  Captured cap;
  ws::http::Client client;
  auto token = ws::auth::resolve_api_token(cp_config(cp), cap.options(), client, cap.logger());
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ws::Errc::auth);
  CHECK(token.error().message.find("HTTP 401") != std::string::npos);
  CHECK(cp.rejected_bearers() == 3);
}

TEST_CASE("a key that is not the CP's is refused by the CP") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  wstest::RsaKeyPair other;
  auto config = cp_config(cp);
  config.cp_token_public_key = other.public_pem();
  Captured cap;
  ws::http::Client client;
  auto token = ws::auth::resolve_api_token(config, cap.options(), client, cap.logger());
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ws::Errc::auth);
}

TEST_CASE("a stalled token endpoint times out per attempt and says it could not connect") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  cp.token_misbehaves(5, HttpReply::stalled(10s, HttpReply::text(200, "{}")));
  Captured cap;
  auto options = cap.options();
  options.token_timeout = 300ms;
  ws::http::Client client;
  const auto t0 = std::chrono::steady_clock::now();
  auto token = ws::auth::resolve_api_token(cp_config(cp), options, client, cap.logger());
  REQUIRE_FALSE(token);
  CHECK(token.error().code == ws::Errc::network);
  CHECK(token.error().message.find("connecting") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("an answer that is not HTTP, or JSON without a token, is reported as such") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  Captured cap;
  auto options = cap.options();
  options.token_attempts = 1;
  ws::http::Client client;

  cp.token_misbehaves(1, HttpReply::garbage());
  auto garbage = ws::auth::resolve_api_token(cp_config(cp), options, client, cap.logger());
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().code == ws::Errc::network);

  cp.token_misbehaves(1, HttpReply::json(200, R"({"access_token":"hidden-SECRET-value"})"));
  auto malformed = ws::auth::resolve_api_token(cp_config(cp), options, client, cap.logger());
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().code == ws::Errc::protocol);
  CHECK(malformed.error().message.find("malformed answer") != std::string::npos);
  CHECK(malformed.error().message.find("hidden-SECRET-value") == std::string::npos);

  cp.token_misbehaves(1, HttpReply::json(200, "not json"));
  auto not_json = ws::auth::resolve_api_token(cp_config(cp), options, client, cap.logger());
  REQUIRE_FALSE(not_json);
  CHECK(not_json.error().message.find("not a JSON object") != std::string::npos);
}

TEST_CASE("without a public key the service-account token is the bearer") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  const std::string sa_token = "eyJ-service-ACCOUNT-token";
  cp.accept_service_account_token(sa_token);
  wstest::TempDir dir("auth");
  wstest::write_file(dir / "token", sa_token + "\n");
  auto config = cp_config(cp);
  config.cp_token_public_key.clear();
  config.service_account_token_file = (dir / "token").string();
  Captured cap;
  ws::http::Client client;
  auto token = ws::auth::resolve_api_token(config, cap.options(), client, cap.logger());
  REQUIRE(token);
  CHECK(token->value == kIssuedToken);
  CHECK(server.requests().at(0).header("authorization") == "Bearer " + sa_token);

  config.service_account_token_file = (dir / "missing").string();
  auto missing = ws::auth::resolve_api_token(config, cap.options(), client, cap.logger());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ws::Errc::auth);
  CHECK(missing.error().message.find("service-account token") != std::string::npos);
  check_no_secret(cap.text + missing.error().message, {sa_token, kIssuedToken});
}

TEST_CASE("BOT_TOKEN is the API token when no CP token URL is set; nothing set is not_found") {
  ws::config::Config c;
  c.bot_token = "bot-SECRET-token";
  Captured cap;
  ws::http::Client client;
  auto token = ws::auth::resolve_api_token(c, cap.options(), client, cap.logger());
  REQUIRE(token);
  CHECK(token->value == "bot-SECRET-token");
  CHECK(token->source == ws::auth::TokenSource::bot_token);
  c.bot_token.clear();
  auto none = ws::auth::resolve_api_token(c, cap.options(), client, cap.logger());
  REQUIRE_FALSE(none);
  CHECK(none.error().code == ws::Errc::not_found);
}

TEST_CASE("the bearer is never sent over plain http outside the cluster, nor to a URL with userinfo") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  auto config = cp_config(cp);
  Captured cap;
  ws::http::Client client;
  config.cp_token_url = "http://cp.example.com/token";
  auto outside = ws::auth::resolve_api_token(config, cap.options(), client, cap.logger());
  REQUIRE_FALSE(outside);
  CHECK(outside.error().code == ws::Errc::invalid_input);
  config.cp_token_url = "http://u:p@127.0.0.1:" + std::to_string(server.port()) + "/token";
  auto userinfo = ws::auth::resolve_api_token(config, cap.options(), client, cap.logger());
  REQUIRE_FALSE(userinfo);
  CHECK(userinfo.error().code == ws::Errc::invalid_input);
  CHECK(server.request_count() == 0);
  CHECK(client.stats().requests == 0);
}

TEST_CASE("git credentials come from the backend with userName, email, instanceUrl, expiresAt") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  cp.backend_answers("github", HttpReply::json(200, R"({"token":")" + kGithubToken +
                                                       R"(","userName":"octo","email":"octo@example.com","expiresAt":"2030-01-01T00:00:00Z"})"));
  cp.backend_answers("gitlab", HttpReply::json(200, R"({"token":")" + kGitlabToken +
                                                       R"(","userName":"gl","email":"gl@example.com","instanceUrl":"https://gitlab.corp.example"})"));
  Captured cap;
  auto creds = ws::auth::resolve_session_credentials(cp_config(cp), cap.options(), cap.logger());
  REQUIRE(creds.api_token);
  CHECK(creds.git.github.outcome == CredentialOutcome::fetched);
  REQUIRE(creds.git.github.credential);
  CHECK(creds.git.github.credential->token == kGithubToken);
  CHECK(creds.git.github.credential->user_name == "octo");
  CHECK(creds.git.github.credential->expires_at == "2030-01-01T00:00:00Z");
  REQUIRE(creds.git.gitlab.credential);
  CHECK(creds.git.gitlab.credential->instance_url == "https://gitlab.corp.example");
  CHECK(creds.identity.name == "octo");
  CHECK(creds.provider->lookup("https", "github.com")->password == kGithubToken);
  CHECK(creds.provider->lookup("https", "gitlab.corp.example")->password == kGitlabToken);
  CHECK_FALSE(creds.provider->lookup("https", "github.com.evil.io"));
  const auto reqs = server.requests();
  CHECK(std::any_of(reqs.begin(), reqs.end(), [](const wstest::HttpRequest& r) {
    return r.path() == "/api/projects/proj/agentic-sessions/my-session/credentials/github";
  }));
  check_no_secret(cap.text, {kIssuedToken, kGithubToken, kGitlabToken});
}

TEST_CASE("each failure of the credentials API is its own outcome and its own warning") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  auto config = cp_config(cp);
  Captured cap;
  auto options = cap.options();
  ws::http::Client client;

  auto not_configured = ws::auth::fetch_hosting_credential(GitHosting::github, config, kIssuedToken,
                                                           options, client, cap.logger());
  CHECK(not_configured.outcome == CredentialOutcome::not_configured);
  CHECK(cap.saw("credentials.not_configured"));

  auto refused = ws::auth::fetch_hosting_credential(GitHosting::github, config, "wrong-token", options,
                                                    client, cap.logger());
  CHECK(refused.outcome == CredentialOutcome::auth_failed);
  CHECK(cap.saw("credentials.auth_failed"));

  cp.backend_answers("gitlab", HttpReply::json(200, R"({"user":"x"})"));
  auto malformed = ws::auth::fetch_hosting_credential(GitHosting::gitlab, config, kIssuedToken, options,
                                                      client, cap.logger());
  CHECK(malformed.outcome == CredentialOutcome::malformed);
  CHECK(cap.saw("credentials.malformed"));

  cp.backend_answers("gitlab", HttpReply::text(500, "boom"));
  auto server_error = ws::auth::fetch_hosting_credential(GitHosting::gitlab, config, kIssuedToken,
                                                         options, client, cap.logger());
  CHECK(server_error.outcome == CredentialOutcome::malformed);
  CHECK(server_error.message.find("HTTP 500") != std::string::npos);

  auto dead = config;
  const wstest::RefusingPort refusing;
  dead.backend_api_url = refusing.url() + "/api";
  auto unreachable = ws::auth::fetch_hosting_credential(GitHosting::github, dead, kIssuedToken, options,
                                                        client, cap.logger());
  CHECK(unreachable.outcome == CredentialOutcome::unreachable);
  CHECK(cap.saw("credentials.unreachable"));

  for (const auto* r : {&not_configured, &refused, &malformed, &server_error, &unreachable}) {
    CHECK_FALSE(r->credential);
  }
  check_no_secret(cap.text, {kIssuedToken, "wrong-token"});
}

TEST_CASE("GITHUB_TOKEN / GITLAB_TOKEN from the environment are used without asking the backend") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  auto config = cp_config(cp);
  config.github_token = kGithubToken;
  config.gitlab_token = kGitlabToken;
  Captured cap;
  auto creds = ws::auth::resolve_session_credentials(config, cap.options(), cap.logger());
  CHECK(creds.git.github.outcome == CredentialOutcome::from_environment);
  CHECK(creds.git.gitlab.outcome == CredentialOutcome::from_environment);
  CHECK_FALSE(creds.api_token);
  CHECK(server.request_count() == 0);
  CHECK(creds.identity.name == "Ambient Code Bot");
}

TEST_CASE("a failed API token leaves the git credentials skipped, with a warning") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  cp.token_misbehaves(3, HttpReply::text(401, "no"));
  Captured cap;
  auto creds = ws::auth::resolve_session_credentials(cp_config(cp), cap.options(), cap.logger());
  CHECK_FALSE(creds.api_token);
  CHECK(creds.api_token_problem.find("HTTP 401") != std::string::npos);
  CHECK(creds.git.github.outcome == CredentialOutcome::skipped);
  CHECK(cap.saw("token.unavailable"));
  CHECK_FALSE(creds.provider->lookup("https", "github.com"));
}

TEST_CASE("the refreshing token source re-fetches every five minutes and before expiry") {
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, kIssuedToken);
  Captured cap;
  auto now = std::chrono::system_clock::now();
  ws::auth::RefreshingTokenSource source(cp_config(cp), cap.options(), cap.logger(), [&] { return now; });
  REQUIRE(source.token());
  REQUIRE(source.token());
  CHECK(server.request_count("/token") == 1);
  now += 4min;
  REQUIRE(source.token());
  CHECK(server.request_count("/token") == 1);
  now += 2min;
  auto t = source.token();
  REQUIRE(t);
  CHECK(t->value == kIssuedToken);
  CHECK(server.request_count("/token") == 2);

  // A failed refresh keeps the still-valid token.
  cp.token_misbehaves(3, HttpReply::text(500, "down"));
  now += 6min;
  auto kept = source.token();
  REQUIRE(kept);
  CHECK(kept->value == kIssuedToken);
  CHECK(cap.saw("token.refresh_failed"));
}

TEST_CASE("a JWT token is refreshed a minute before its exp") {
  const auto issued_at = std::chrono::system_clock::now();
  const auto exp = std::chrono::system_clock::to_time_t(issued_at + 3min);
  std::string payload = ws::base64_encode(R"({"exp":)" + std::to_string(exp) + "}");
  payload.erase(payload.find_last_not_of('=') + 1);
  const std::string jwt = "eyJhbGciOiJub25lIn0." + payload + ".c2ln";
  BeastServer server;
  FakeControlPlane cp(server, kSessionId, jwt);
  Captured cap;
  auto now = issued_at;
  ws::auth::RefreshingTokenSource source(cp_config(cp), cap.options(), cap.logger(), [&] { return now; });
  REQUIRE(source.token());
  now += 90s;
  REQUIRE(source.token());
  CHECK(server.request_count("/token") == 1);
  now += 45s;  // within a minute of exp
  REQUIRE(source.token());
  CHECK(server.request_count("/token") == 2);
}
