// Which provider's token the hosts of the session's own repos may receive
// when no host list is configured (auth/session_hosts.hpp).
#include <doctest/doctest.h>

#include "auth/session_hosts.hpp"

using ws::auth::CredentialOutcome;
using ws::auth::GitCredentials;
using ws::auth::infer_session_hosts;
using ws::auth::session_https_hosts;

namespace {

GitCredentials creds(bool github, bool gitlab) {
  GitCredentials c;
  if (github) {
    c.github.outcome = CredentialOutcome::fetched;
    c.github.credential = ws::auth::HostingCredential{"ghp_x", "", "", "", ""};
  }
  if (gitlab) {
    c.gitlab.outcome = CredentialOutcome::fetched;
    c.gitlab.credential = ws::auth::HostingCredential{"glpat_x", "", "", "", ""};
  }
  return c;
}

using Hosts = std::vector<std::string>;

}  // namespace

TEST_CASE("session hosts are the https hosts of the repo and workflow URLs, each once") {
  ws::config::Config c;
  for (const char* url : {"https://tok@GHE.corp.example/o/a.git", "https://ghe.corp.example:443/o/b",
                          "https://git.corp.example:8443/o/c", "http://plain.example/o/d",
                          "git@ssh.example:o/e.git", "ssh://git@ssh2.example/o/f", "/srv/local/g"}) {
    ws::config::RepoSpec r;
    r.url = url;
    c.repos.push_back(r);
  }
  c.workflow = ws::config::WorkflowSpec{"https://flows.example/o/wf", "main", "", "wf"};
  CHECK(session_https_hosts(c) == Hosts{"ghe.corp.example", "git.corp.example:8443", "flows.example"});
}

TEST_CASE("a host named for a provider goes to that provider when it has a credential") {
  const auto both = infer_session_hosts(creds(true, true), {"github.example.com", "gitlab.corp.example", "ghe.corp"});
  CHECK(both.github == Hosts{"github.example.com"});
  CHECK(both.gitlab == Hosts{"gitlab.corp.example"});
  CHECK(both.ambiguous == Hosts{"ghe.corp"});
}

TEST_CASE("with one provider's credential, every other session host goes to it") {
  const auto github = infer_session_hosts(creds(true, false), {"git.corp.example", "gitlab.corp.example"});
  CHECK(github.github == Hosts{"git.corp.example", "gitlab.corp.example"});
  CHECK(github.gitlab.empty());
  const auto gitlab = infer_session_hosts(creds(false, true), {"code.corp.example:8443"});
  CHECK(gitlab.gitlab == Hosts{"code.corp.example:8443"});
  CHECK(gitlab.github.empty());
}

TEST_CASE("public forges are never inferred, whatever the credentials") {
  for (const char* host : {"github.com", "api.github.com", "gitlab.com", "bitbucket.org", "codeberg.org",
                           "dev.azure.com", "huggingface.co"}) {
    const auto r = infer_session_hosts(creds(true, false), {host});
    CHECK_MESSAGE(r.github.empty(), host);
    CHECK(r.gitlab.empty());
  }
}

TEST_CASE("without credentials no host is inferred") {
  const auto r = infer_session_hosts(creds(false, false), {"github.example.com", "git.corp"});
  CHECK(r.github.empty());
  CHECK(r.gitlab.empty());
  CHECK(r.ambiguous.empty());
}
