// Where a bearer token may be sent. A token goes only to the URL the
// configuration names (CP token endpoint, backend API), that URL must be
// http(s) without userinfo, and plain http is allowed only to hosts that
// never leave the cluster, unless the caller explicitly allows it.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::auth {

struct HttpUrl {
  std::string scheme;  // "http" or "https", lower case
  std::string host;    // lower case, without brackets for IPv6
  std::string port;    // "" when not given
  std::string path;    // from the first '/', may be ""
};

// Parses an absolute http(s) URL; `what` names the input in errors
// ("AMBIENT_CP_TOKEN_URL"). Userinfo is refused: it would be a credential
// in a configuration value.
Result<HttpUrl> parse_http_url(std::string_view what, std::string_view url);

// *.svc, *.svc.cluster.local, localhost, 127.0.0.0/8, ::1.
bool is_cluster_internal(std::string_view host);

// parse_http_url, then refuses plain http to a host outside the cluster
// unless `allow_plain_http`.
Result<HttpUrl> check_bearer_destination(std::string_view what, std::string_view url,
                                         bool allow_plain_http);

}  // namespace ws::auth
