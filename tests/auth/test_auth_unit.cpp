// The auth layer's rules without a peer: which host gets which token, where
// a bearer may go, the RSA-OAEP bearer, JWT expiry.
#include <doctest/doctest.h>

#include "common/base64.hpp"
#include "auth/bearer_destination.hpp"
#include "auth/git_credentials.hpp"
#include "auth/host_scoped_provider.hpp"
#include "auth/jwt_expiry.hpp"
#include "auth/session_id_cipher.hpp"
#include "fake_platform.hpp"

using ws::auth::CredentialOutcome;
using ws::auth::GitCredentials;
using ws::auth::HostScopedCredentialProvider;

namespace {

const std::string kGithubToken = "ghp_unitGITHUBsecret0001";
const std::string kGitlabToken = "glpat-unitGITLABsecret02";

GitCredentials both(std::string instance_url = "") {
  GitCredentials c;
  c.github.outcome = CredentialOutcome::fetched;
  c.github.credential = ws::auth::HostingCredential{kGithubToken, "octo", "octo@example.com", "", ""};
  c.gitlab.outcome = CredentialOutcome::fetched;
  c.gitlab.credential = ws::auth::HostingCredential{kGitlabToken, "", "", std::move(instance_url), ""};
  return c;
}

std::string who(const HostScopedCredentialProvider& p, std::string_view protocol, std::string_view host) {
  auto c = p.lookup(protocol, host);
  if (!c) return "nothing";
  return c->username + (c->password == kGithubToken ? ":github" : c->password == kGitlabToken ? ":gitlab" : ":?");
}

}  // namespace

TEST_CASE("the GitHub token goes to github.com and its subdomains, over https, as x-access-token") {
  HostScopedCredentialProvider p(both(), {}, {});
  CHECK(who(p, "https", "github.com") == "x-access-token:github");
  CHECK(who(p, "https", "api.github.com") == "x-access-token:github");
  CHECK(who(p, "https", "GitHub.COM") == "x-access-token:github");
  CHECK(who(p, "https", "github.com.") == "x-access-token:github");
  CHECK(who(p, "https", "github.com:443") == "x-access-token:github");
}

TEST_CASE("look-alike hosts get nothing") {
  HostScopedCredentialProvider p(both(), {}, {});
  for (const char* host : {"github.com.evil.io", "notgithub.com", "evilgithub.com", "github.co",
                           "gitlab.evil.com", "gitlab.com.evil.io", "mygitlab.com",
                           "evil.io", "xgithub.com", "github.com@evil.io", "github.com/evil", ""}) {
    CHECK_MESSAGE(who(p, "https", host) == "nothing", host);
  }
}

TEST_CASE("plain http and other protocols get nothing, even for the right host") {
  HostScopedCredentialProvider p(both(), {}, {});
  CHECK(who(p, "http", "github.com") == "nothing");
  CHECK(who(p, "ssh", "github.com") == "nothing");
  CHECK(who(p, "http", "gitlab.com") == "nothing");
  CHECK(who(p, "HTTPS", "github.com") == "x-access-token:github");
}

TEST_CASE("another port than 443 is another destination") {
  HostScopedCredentialProvider p(both(), {"ghe.corp.example:8443"}, {});
  CHECK(who(p, "https", "github.com:8443") == "nothing");
  CHECK(who(p, "https", "ghe.corp.example:8443") == "x-access-token:github");
  CHECK(who(p, "https", "ghe.corp.example") == "nothing");
  CHECK(who(p, "https", "ghe.corp.example:9443") == "nothing");
}

TEST_CASE("the GitLab token goes to gitlab.com, the instanceUrl host and configured hosts, as oauth2") {
  HostScopedCredentialProvider p(both("https://GitLab.Corp.example/"), {}, {"code.example.org"});
  CHECK(who(p, "https", "gitlab.com") == "oauth2:gitlab");
  CHECK(who(p, "https", "gitlab.corp.example") == "oauth2:gitlab");
  CHECK(who(p, "https", "code.example.org") == "oauth2:gitlab");
  CHECK(who(p, "https", "sub.gitlab.com") == "nothing");
  CHECK(who(p, "https", "gitlab.evil.com") == "nothing");
  CHECK(who(p, "https", "corp.example") == "nothing");
}

TEST_CASE("an instanceUrl with a port scopes the token to that port") {
  HostScopedCredentialProvider p(both("https://gl.example:8443"), {}, {});
  CHECK(who(p, "https", "gl.example:8443") == "oauth2:gitlab");
  CHECK(who(p, "https", "gl.example") == "nothing");
}

TEST_CASE("without a credential nothing is offered anywhere") {
  HostScopedCredentialProvider p(GitCredentials{}, {"github.com"}, {"gitlab.com"});
  CHECK(who(p, "https", "github.com") == "nothing");
  CHECK(who(p, "https", "gitlab.com") == "nothing");
  CHECK(p.grants().empty());
}

TEST_CASE("normalise_host refuses userinfo, paths and spaces") {
  using ws::auth::normalise_host;
  CHECK(normalise_host("Host.Example:443") == "host.example");
  CHECK(normalise_host("[::1]:8443") == "[::1]:8443");
  CHECK_FALSE(normalise_host("user@host"));
  CHECK_FALSE(normalise_host("host/path"));
  CHECK_FALSE(normalise_host("host name"));
  CHECK_FALSE(normalise_host("host:12x"));
  CHECK_FALSE(normalise_host(""));
}

TEST_CASE("bearer tokens travel over plain http only inside the cluster") {
  using ws::auth::check_bearer_destination;
  CHECK(check_bearer_destination("U", "https://cp.example.com/token", false));
  CHECK(check_bearer_destination("U", "http://ambient-api.ambient-code.svc:8080/token", false));
  CHECK(check_bearer_destination("U", "http://backend.ns.svc.cluster.local/api", false));
  CHECK(check_bearer_destination("U", "http://localhost:8080/x", false));
  CHECK(check_bearer_destination("U", "http://127.0.0.1:9/x", false));
  CHECK(check_bearer_destination("U", "http://[::1]:9/x", false));
  auto outside = check_bearer_destination("AMBIENT_CP_TOKEN_URL", "http://cp.example.com/token", false);
  REQUIRE_FALSE(outside);
  CHECK(outside.error().code == ws::Errc::invalid_input);
  CHECK(outside.error().message.find("AMBIENT_CP_TOKEN_URL") != std::string::npos);
  CHECK(outside.error().message.find("plain http") != std::string::npos);
  CHECK(check_bearer_destination("U", "http://cp.example.com/token", true));
  CHECK_FALSE(check_bearer_destination("U", "http://svc.evil.com/x", false));
  CHECK_FALSE(check_bearer_destination("U", "http://127.0.0.1.evil.com/x", false));
}

TEST_CASE("a bearer URL must be http(s) without userinfo") {
  using ws::auth::parse_http_url;
  auto userinfo = parse_http_url("U", "https://user:s3cr3tPW@cp.example.com/token");
  REQUIRE_FALSE(userinfo);
  CHECK(userinfo.error().message.find("s3cr3tPW") == std::string::npos);
  CHECK_FALSE(parse_http_url("U", "ftp://cp.example.com/token"));
  CHECK_FALSE(parse_http_url("U", "cp.example.com/token"));
  CHECK_FALSE(parse_http_url("U", "https:///token"));
  auto ok = parse_http_url("U", "HTTPS://CP.example.com:8443/t?x=1");
  REQUIRE(ok);
  CHECK(ok->scheme == "https");
  CHECK(ok->host == "cp.example.com");
  CHECK(ok->port == "8443");
}

TEST_CASE("the session id is RSA-OAEP(SHA-256) encrypted under either PEM form") {
  wstest::RsaKeyPair keys;
  for (const auto& pem : {keys.public_pem(), keys.public_pem_pkcs1()}) {
    auto bearer = ws::auth::encrypt_session_id(pem, "session-1234");
    REQUIRE(bearer);
    CHECK(keys.decrypt(*bearer) == "session-1234");
  }
  CHECK(keys.public_pem_pkcs1().find("BEGIN RSA PUBLIC KEY") != std::string::npos);
}

TEST_CASE("a PEM with escaped newlines (as env files carry it) is accepted") {
  wstest::RsaKeyPair keys;
  std::string escaped;
  for (char c : keys.public_pem()) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  auto bearer = ws::auth::encrypt_session_id(escaped, "s-1");
  REQUIRE(bearer);
  CHECK(keys.decrypt(*bearer) == "s-1");
}

TEST_CASE("a bad key or an empty session id says which step failed") {
  auto bad = ws::auth::encrypt_session_id("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n", "s");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ws::Errc::invalid_input);
  CHECK(bad.error().message.find("public key") != std::string::npos);
  wstest::RsaKeyPair keys;
  auto empty = ws::auth::encrypt_session_id(keys.public_pem(), "");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().message.find("SESSION_ID") != std::string::npos);
  auto too_long = ws::auth::encrypt_session_id(keys.public_pem(), std::string(300, 's'));
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().message.find("encrypting") != std::string::npos);
}

TEST_CASE("a JWT's exp claim gives the token's expiry; other tokens have none") {
  const std::string payload = ws::base64_encode(R"({"sub":"x","exp":1900000000})");
  const std::string jwt = "eyJhbGciOiJub25lIn0." + payload.substr(0, payload.find('=')) + ".sig";
  auto exp = ws::auth::jwt_expiry(jwt);
  REQUIRE(exp);
  CHECK(std::chrono::system_clock::to_time_t(*exp) == 1900000000);
  CHECK_FALSE(ws::auth::jwt_expiry("opaque-token"));
  CHECK_FALSE(ws::auth::jwt_expiry("a.b.c"));
}

TEST_CASE("an exp claim the clock cannot hold gives no expiry; one before 1970 is already expired") {
  const auto jwt = [](const std::string& claims) {
    const std::string payload = ws::base64_encode(claims);
    return "eyJhbGciOiJub25lIn0." + payload.substr(0, payload.find('=')) + ".sig";
  };
  // Found by fuzz/cp_token_answer: 105e9 s overflowed the nanosecond clock.
  CHECK_FALSE(ws::auth::jwt_expiry(jwt(R"({"exp":105e9})")));
  CHECK_FALSE(ws::auth::jwt_expiry(jwt(R"({"exp":9223372036854775807})")));
  CHECK_FALSE(ws::auth::jwt_expiry(jwt(R"({"exp":18446744073709551615})")));
  CHECK_FALSE(ws::auth::jwt_expiry(jwt(R"({"exp":1e300})")));
  const auto past = ws::auth::jwt_expiry(jwt(R"({"exp":-1e300})"));
  REQUIRE(past);
  CHECK(std::chrono::system_clock::to_time_t(*past) == 0);
}

TEST_CASE("git identity comes from the credential, else the bot") {
  auto id = ws::auth::git_identity(both());
  CHECK(id.name == "octo");
  CHECK(id.email == "octo@example.com");
  auto bot = ws::auth::git_identity(GitCredentials{});
  CHECK(bot.name == "Ambient Code Bot");
  CHECK(bot.email == "bot@ambient-code.local");
}
