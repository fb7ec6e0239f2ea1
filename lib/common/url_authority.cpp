#include "common/url_authority.hpp"

namespace ws {

std::optional<UrlAuthority> url_authority(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  UrlAuthority out;
  out.scheme = url.substr(0, scheme_end);
  out.begin = scheme_end + 3;
  out.end = url.find_first_of("/?#", out.begin);
  if (out.end == std::string_view::npos) out.end = url.size();
  const std::string_view authority = url.substr(out.begin, out.end - out.begin);
  const auto at = authority.rfind('@');
  out.has_userinfo = at != std::string_view::npos;
  out.userinfo = out.has_userinfo ? authority.substr(0, at) : std::string_view();
  out.host_port = out.has_userinfo ? authority.substr(at + 1) : authority;
  return out;
}

}  // namespace ws
