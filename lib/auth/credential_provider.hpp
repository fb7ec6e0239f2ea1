// What the git layer asks when a remote wants credentials: for (protocol,
// host), the username/token to offer, or nothing. Implementations decide
// which host may receive which token (behaviour §4: a token goes only to its own
// host, over https only); the git layer never decides that itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ws::auth {

struct GitCredential {
  std::string username;  // "x-access-token" (GitHub), "oauth2" (GitLab)
  std::string password;  // the token: a secret, never logged
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // `protocol` is the URL scheme ("https", "http", "ssh"); `host` may carry
  // a port ("git.example.com:8443") and any case. Thread-safe.
  virtual std::optional<GitCredential> lookup(std::string_view protocol,
                                              std::string_view host) const = 0;
};

}  // namespace ws::auth
