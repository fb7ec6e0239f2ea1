// A libgit2 clone that authenticates: the real `git http-backend` serves a
// private repository over HTTPS only to the right Basic credentials, and the
// library clones it with the host-scoped provider resolved from the session's
// environment (GITHUB_TOKEN for the hosts in GITHUB_HOSTS), as hydrate does.
#include <doctest/doctest.h>
#include <git2.h>

#include "auth/session_credentials.hpp"
#include "git/clone.hpp"
#include "git_fixture.hpp"
#include "git_http_host.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"

namespace fs = std::filesystem;
using wsgit::git_sh;

namespace {

const std::string kToken = "ghp_LIBGIT2secretTOKEN0077";

// One private repository behind HTTPS, and libgit2 (mbedTLS here, which reads
// no CA variable) trusting the server's self-signed certificate while the
// host lives: the extra libgit2 reference keeps that setting across the
// library's own init/shutdown pairs.
struct PrivateHost {
  wstest::TempDir dir{"clone-token"};
  wstest::TlsIdentity identity = wstest::TlsIdentity::self_signed_loopback();
  wstest::BeastServer server{identity};
  wstest::GitHttpHost host{server, dir / "srv", "x-access-token", kToken};
  std::string head_sha;

  PrivateHost() {
    wstest::write_file(dir / "ca.pem", identity.cert_pem);
    git_libgit2_init();
    REQUIRE(git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, (dir / "ca.pem").c_str(), nullptr) == 0);
    git_sh("git init -q -b main seed && cd seed && echo secret-sauce > recipe.txt && git add . && "
           "git commit -qm init && git clone -q --bare . ../srv/private.git", dir.path());
    head_sha = git_sh("git rev-parse HEAD", dir / "seed");
    head_sha.pop_back();
  }
  ~PrivateHost() { git_libgit2_shutdown(); }

  // As "localhost": mbedTLS matches DNS names only, and the certificate has
  // one for localhost.
  std::string host_name() const { return "localhost:" + std::to_string(server.port()); }
  std::string url() const { return "https://" + host_name() + "/git/private.git"; }

  // The provider hydrate would build from this environment.
  ws::auth::SessionCredentials credentials(const std::string& token) const {
    ws::config::EnvSource env;
    env.set("GITHUB_TOKEN", token);
    env.set("GITHUB_HOSTS", host_name());
    auto cfg = ws::config::load_config(env);
    REQUIRE(cfg);
    return ws::auth::resolve_session_credentials(*cfg, {}, {});
  }

  ws::Result<ws::git::CloneResult> clone(const ws::auth::SessionCredentials& creds, const fs::path& target) const {
    ws::git::CloneOptions opts;
    opts.url = url();
    opts.target = target;
    opts.credentials = creds.provider.get();
    return ws::git::clone_repo(opts, {});
  }
};

}  // namespace

TEST_CASE("clone_repo clones a private https repository with the token the host-scoped provider grants") {
  PrivateHost p;
  const auto creds = p.credentials(kToken);
  auto r = p.clone(creds, p.dir / "clone");
  REQUIRE_MESSAGE(r, r.error().message);
  CHECK(r->branch == "main");
  CHECK(r->head_sha == p.head_sha);
  CHECK(wstest::read_file(p.dir / "clone" / "recipe.txt") == "secret-sauce\n");
  CHECK(git_sh("git rev-parse HEAD", p.dir / "clone") == p.head_sha + "\n");
  CHECK(p.host.authorised_attempts() > 0);
  // The token stays out of the clone (its config names the URL only).
  CHECK(wstest::read_file(p.dir / "clone" / ".git" / "config").find(kToken) == std::string::npos);
}

TEST_CASE("clone_repo with a wrong token is an authentication error that leaves nothing behind") {
  PrivateHost p;
  const std::string wrong = "ghp_WRONGsecretTOKEN0078";
  const auto creds = p.credentials(wrong);
  auto r = p.clone(creds, p.dir / "clone");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ws::Errc::auth);
  CHECK(r.error().message.find(wrong) == std::string::npos);
  CHECK(p.host.authorised_attempts() > 0);  // the token was offered, and refused
  CHECK_FALSE(fs::exists(p.dir / "clone"));
}
