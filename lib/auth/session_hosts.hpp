// Enterprise git hosts without configuration (behaviour §4): when neither
// GITHUB_HOSTS nor GITLAB_HOSTS is set, the https hosts of the session's
// own repo and workflow URLs may receive the token of the provider the
// session's credentials are for. Which provider, per host:
//   1. a public forge (github.com, gitlab.com, bitbucket.org, codeberg.org,
//      dev.azure.com, gitea.com, git.sr.ht, huggingface.co, and their
//      subdomains) is never inferred: those keep their fixed rules;
//   2. a host with "github" in a label of its name goes to GitHub, one with
//      "gitlab" to GitLab, when that provider has a credential;
//   3. otherwise, when exactly one provider has a credential, that one;
//   4. otherwise (both, and nothing in the name) no token: the host is
//      reported as ambiguous, to be listed in GITHUB_HOSTS / GITLAB_HOSTS.
// A host that is not in the session gets nothing from this.
#pragma once

#include <string>
#include <vector>

#include "auth/git_credentials.hpp"
#include "config/config.hpp"

namespace ws::auth {

// The normalised host[:port] (host_scoped_provider.hpp) of every https repo
// and workflow URL of `config`, each once, in order.
std::vector<std::string> session_https_hosts(const config::Config& config);

struct InferredHosts {
  std::vector<std::string> github, gitlab;
  std::vector<std::string> ambiguous;  // both providers possible: none given
};

// Rules 1-4 above for `hosts`, given which credentials resolved.
InferredHosts infer_session_hosts(const GitCredentials& creds, const std::vector<std::string>& hosts);

}  // namespace ws::auth
