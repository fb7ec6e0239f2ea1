// The CredentialProvider the git layer asks: a token goes only to its own
// hosts, over https only (behaviour §4; the scripts handed the GitHub token to
// any host whose name merely contained "github").
//   GitHub (user x-access-token): github.com, its subdomains, configured hosts.
//   GitLab (user oauth2): gitlab.com, the instanceUrl host, configured hosts.
// Hosts compare case-insensitively, without a trailing dot; a host given
// without a port means port 443, a configured "host:port" only that port.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/credential_provider.hpp"
#include "auth/git_credentials.hpp"

namespace ws::auth {

class HostScopedCredentialProvider final : public CredentialProvider {
 public:
  struct Grant {
    std::string token;  // secret
    std::string username;
    std::vector<std::string> hosts;  // normalised host[:port]
    bool subdomains = false;         // also *.hosts[0] (github.com)
  };

  // From resolved credentials and the configured extra hosts.
  HostScopedCredentialProvider(const GitCredentials& creds, const std::vector<std::string>& github_hosts,
                               const std::vector<std::string>& gitlab_hosts);

  std::optional<GitCredential> lookup(std::string_view protocol, std::string_view host) const override;

  // What was granted to whom, for `ambient-workspace credentials` (tokens
  // are in the grants: mask before printing).
  const std::vector<Grant>& grants() const { return grants_; }

 private:
  std::vector<Grant> grants_;
};

// "GitHub.COM." -> "github.com", "h:443" -> "h", "[::1]:8443" -> "[::1]:8443";
// nothing for an empty or malformed host (userinfo, path, spaces).
std::optional<std::string> normalise_host(std::string_view host);

}  // namespace ws::auth
