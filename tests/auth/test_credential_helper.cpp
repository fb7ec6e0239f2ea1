// `ambient-workspace credential-helper` with the real git CLI: a private
// repository served over HTTPS by git http-backend is cloned with the token
// the helper resolves (from GITHUB_TOKEN, or through the CP token endpoint
// and the backend credentials API), and a host the token does not belong to
// gets nothing.
#include <doctest/doctest.h>

#include "fake_platform.hpp"
#include "git_http_host.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using wstest::BeastServer;
using wstest::HttpReply;

namespace {

const std::string kGitToken = "ghp_HELPERsecretTOKEN0042";
const std::string kIssuedToken = "cp-HELPER-issued-9931";
const std::string kSessionId = "helper-session-id";

fs::path cli() { return wstest::build_root() / "examples" / "ambient-workspace" / "ambient-workspace"; }

// A bare repository `<root>/private.git` with one commit.
void make_private_repo(const fs::path& root, const fs::path& scratch) {
  const auto r = wstest::sh(
      "git init -q -b main '" + scratch.string() + "' && cd '" + scratch.string() +
      "' && echo secret-sauce > recipe.txt && git add . && "
      "git -c user.name=t -c user.email=t@e commit -qm init && "
      "git clone -q --bare . '" + (root / "private.git").string() + "'");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

// Everything a child git needs to trust the test CA and use only our helper.
wstest::EnvChanges git_env(const wstest::TempDir& dir, const fs::path& ca) {
  return {
      {"HOME", dir.path().string()},
      {"GIT_CONFIG_NOSYSTEM", "1"},
      {"GIT_TERMINAL_PROMPT", "0"},
      {"GIT_ASKPASS", std::nullopt},
      {"SSH_ASKPASS", std::nullopt},
      {"GIT_SSL_CAINFO", ca.string()},
      {"CURL_CA_BUNDLE", ca.string()},
      {"GITHUB_TOKEN", std::nullopt},
      {"GITLAB_TOKEN", std::nullopt},
      {"BOT_TOKEN", std::nullopt},
      {"BACKEND_API_URL", std::nullopt},
      {"AMBIENT_CP_TOKEN_URL", std::nullopt},
      {"GITHUB_HOSTS", std::nullopt},
      {"GITLAB_HOSTS", std::nullopt},
      {"REPOS_JSON", std::nullopt},
      {"ACTIVE_WORKFLOW_GIT_URL", std::nullopt},
  };
}

wstest::CommandResult clone(const std::string& url, const fs::path& dest, const wstest::EnvChanges& env) {
  const std::string helper = "!'" + cli().string() + "' credential-helper";
  return wstest::run({"git", "-c", "credential.helper=", "-c", "credential.helper=" + helper, "clone", "-q",
                      url, dest.string()},
                     {}, env);
}

wstest::CommandResult helper(const std::string& action, const std::string& input,
                             const wstest::EnvChanges& env) {
  return wstest::run({cli().string(), "credential-helper", action}, {}, env, input);
}

void check_no_secret_under(const fs::path& root, const std::string& secret) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.file_size() > 1'000'000) continue;
    CHECK_MESSAGE(wstest::read_file(e.path()).find(secret) == std::string::npos,
                  "secret written to " << e.path());
  }
}

}  // namespace

TEST_CASE("git clones a private repo over https with the token from GITHUB_TOKEN via the helper") {
  wstest::TempDir dir("helper");
  const auto identity = wstest::TlsIdentity::self_signed_loopback();
  wstest::write_file(dir / "ca.pem", identity.cert_pem);
  make_private_repo(dir / "srv", dir / "scratch");
  BeastServer server(identity);
  wstest::GitHttpHost host(server, dir / "srv", "x-access-token", kGitToken);

  auto env = git_env(dir, dir / "ca.pem");
  env["GITHUB_TOKEN"] = kGitToken;
  env["GITHUB_HOSTS"] = "127.0.0.1:" + std::to_string(server.port());
  const auto r = clone(server.url("/git/private.git"), dir / "clone", env);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(wstest::read_file(dir / "clone" / "recipe.txt") == "secret-sauce\n");
  CHECK(r.out.find(kGitToken) == std::string::npos);
  CHECK(r.err.find(kGitToken) == std::string::npos);
  check_no_secret_under(dir / "clone", kGitToken);
}

TEST_CASE("the same helper gives nothing to a host the token does not belong to") {
  wstest::TempDir dir("helper");
  const auto identity = wstest::TlsIdentity::self_signed_loopback();
  wstest::write_file(dir / "ca.pem", identity.cert_pem);
  make_private_repo(dir / "srv", dir / "scratch");
  BeastServer server(identity);
  wstest::GitHttpHost host(server, dir / "srv", "x-access-token", kGitToken);

  auto env = git_env(dir, dir / "ca.pem");
  env["GITHUB_TOKEN"] = kGitToken;
  env["GITHUB_HOSTS"] = "127.0.0.1:" + std::to_string(server.port());
  // Same server, reached as "localhost": not a host the token was granted to.
  const auto r = clone("https://localhost:" + std::to_string(server.port()) + "/git/private.git",
                       dir / "clone", env);
  CHECK(r.exit_code != 0);
  CHECK(host.authorised_attempts() == 0);
  CHECK_FALSE(fs::exists(dir / "clone" / "recipe.txt"));
  CHECK(r.err.find(kGitToken) == std::string::npos);
}

TEST_CASE("the helper answers git's protocol only for the token's own hosts over https") {
  wstest::TempDir dir("helper");
  auto env = git_env(dir, dir / "none.pem");
  env["GITHUB_TOKEN"] = kGitToken;
  auto get = [&](const std::string& protocol, const std::string& host) {
    return helper("get", "protocol=" + protocol + "\nhost=" + host + "\n\n", env);
  };
  const auto ok = get("https", "github.com");
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out == "username=x-access-token\npassword=" + kGitToken + "\n");
  CHECK(get("https", "API.GitHub.com").out == ok.out);
  for (const char* host : {"github.com.evil.io", "notgithub.com", "gitlab.evil.com", "evil.io",
                           "github.com:8443"}) {
    const auto r = get("https", host);
    CHECK(r.exit_code == 0);
    CHECK_MESSAGE(r.out.empty(), host);
  }
  CHECK(get("http", "github.com").out.empty());
  for (const char* action : {"store", "erase"}) {
    const auto r = helper(action, "protocol=https\nhost=github.com\nusername=u\npassword=p\n\n", env);
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  CHECK(helper("bogus", "", env).exit_code == 2);
}

TEST_CASE("the helper resolves the token through the CP token endpoint and the backend") {
  wstest::TempDir dir("helper");
  const auto identity = wstest::TlsIdentity::self_signed_loopback();
  wstest::write_file(dir / "ca.pem", identity.cert_pem);
  make_private_repo(dir / "srv", dir / "scratch");
  BeastServer git_server(identity);
  wstest::GitHttpHost host(git_server, dir / "srv", "x-access-token", kGitToken);

  BeastServer platform;
  wstest::FakeControlPlane cp(platform, kSessionId, kIssuedToken);
  cp.backend_answers("github", HttpReply::json(200, R"({"token":")" + kGitToken +
                                                        R"(","userName":"octo","email":"o@example.com"})"));

  auto env = git_env(dir, dir / "ca.pem");
  env["AMBIENT_CP_TOKEN_URL"] = cp.token_url();
  env["AMBIENT_CP_TOKEN_PUBLIC_KEY"] = cp.keys().public_pem();
  env["SESSION_ID"] = kSessionId;
  env["BACKEND_API_URL"] = cp.backend_url();
  env["NAMESPACE"] = "proj";
  env["SESSION_NAME"] = "my-session";
  env["GITHUB_HOSTS"] = "127.0.0.1:" + std::to_string(git_server.port());
  const auto r = clone(git_server.url("/git/private.git"), dir / "clone", env);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(wstest::read_file(dir / "clone" / "recipe.txt") == "secret-sauce\n");
  CHECK(cp.rejected_bearers() == 0);
  for (const auto& secret : {kGitToken, kIssuedToken}) {
    CHECK(r.err.find(secret) == std::string::npos);
    check_no_secret_under(dir / "clone", secret);
  }

  const auto shown = wstest::run({cli().string(), "credentials"}, {}, env);
  REQUIRE_MESSAGE(shown.exit_code == 0, shown.err);
  CHECK(shown.out.find("github: fetched") != std::string::npos);
  CHECK(shown.out.find("gitlab: not configured") != std::string::npos);
  CHECK(shown.out.find("octo <o@example.com>") != std::string::npos);
  const auto token = wstest::run({cli().string(), "token"}, {}, env);
  REQUIRE(token.exit_code == 0);
  CHECK(token.out.find("CP token endpoint") != std::string::npos);
  const auto revealed = wstest::run({cli().string(), "token", "--reveal"}, {}, env);
  CHECK(revealed.out == kIssuedToken + "\n");
  for (const auto& secret : {kGitToken, kIssuedToken}) {
    CHECK((shown.out + shown.err + token.out + token.err).find(secret) == std::string::npos);
  }
}

TEST_CASE("without host lists, the session's own repo host gets the backend's token; a look-alike nothing") {
  wstest::TempDir dir("helper");
  const auto identity = wstest::TlsIdentity::self_signed_loopback();
  wstest::write_file(dir / "ca.pem", identity.cert_pem);
  make_private_repo(dir / "srv", dir / "scratch");
  BeastServer git_server(identity);
  wstest::GitHttpHost host(git_server, dir / "srv", "x-access-token", kGitToken);

  BeastServer platform;
  wstest::FakeControlPlane cp(platform, kSessionId, kIssuedToken);
  cp.backend_answers("github", HttpReply::json(200, R"({"token":")" + kGitToken + R"("})"));

  auto env = git_env(dir, dir / "ca.pem");
  env["AMBIENT_CP_TOKEN_URL"] = cp.token_url();
  env["AMBIENT_CP_TOKEN_PUBLIC_KEY"] = cp.keys().public_pem();
  env["SESSION_ID"] = kSessionId;
  env["BACKEND_API_URL"] = cp.backend_url();
  env["NAMESPACE"] = "proj";
  env["SESSION_NAME"] = "my-session";
  // An enterprise host: not github.com, not listed anywhere but in the session.
  const std::string url = git_server.url("/git/private.git");
  env["REPOS_JSON"] = R"([{"url":")" + url + R"("}])";
  const auto r = clone(url, dir / "clone", env);
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(wstest::read_file(dir / "clone" / "recipe.txt") == "secret-sauce\n");
  CHECK(r.err.find(kGitToken) == std::string::npos);

  // The same server as "localhost" is not a host of the session.
  const int attempts = host.authorised_attempts();
  const auto other = clone("https://localhost:" + std::to_string(git_server.port()) + "/git/private.git",
                           dir / "other", env);
  CHECK(other.exit_code != 0);
  CHECK(host.authorised_attempts() == attempts);
  CHECK(other.err.find(kGitToken) == std::string::npos);
}
