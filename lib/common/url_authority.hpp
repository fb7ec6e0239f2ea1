// Where the authority of "scheme://[userinfo@]host[:port][/path][?query]"
// stands in a URL. The one parser behind redaction (redact_url), taking the
// userinfo out (split_url_userinfo), scrubbing it from transport errors and
// finding the host a credential is for: a fix here reaches all of them.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ws {

struct UrlAuthority {
  std::string_view scheme;     // as written, before "://"
  bool has_userinfo = false;   // an '@' in the authority, even with nothing before it
  std::string_view userinfo;   // before the authority's last '@': "user:p@ss" keeps its '@'
  std::string_view host_port;  // after it: "host", "host:8080", "[::1]:8080"
  size_t begin = 0;            // where the authority starts in the URL (after "://")
  size_t end = 0;              // where it ends: the path, query or fragment, or the URL's end
};

// Nothing for a URL without "://" (scp-like "git@host:path", a local path).
// The authority ends at the first '/', '?' or '#' after "://", so an '@'
// in a path or query is not userinfo.
std::optional<UrlAuthority> url_authority(std::string_view url);

}  // namespace ws
