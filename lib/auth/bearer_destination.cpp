#include "auth/bearer_destination.hpp"

#include <algorithm>
#include <cctype>

#include "common/ascii.hpp"
#include "common/url_authority.hpp"

namespace ws::auth {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool is_loopback_v4(std::string_view host) {
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}

}  // namespace

Result<HttpUrl> parse_http_url(std::string_view what, std::string_view url) {
  const std::string name(what);
  const auto parts = url_authority(url);
  if (!parts) return Error(Errc::invalid_input, name + " must be an absolute http(s) URL");
  HttpUrl out;
  out.scheme = ascii_lower(parts->scheme);
  if (out.scheme != "http" && out.scheme != "https") {
    return Error(Errc::invalid_input, name + " must use http or https, not '" + out.scheme + "'");
  }
  if (parts->has_userinfo) {
    return Error(Errc::invalid_input, name + " must not carry userinfo (user:password@)");
  }
  std::string_view authority = parts->host_port;
  out.path = std::string(url.substr(parts->end));
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return Error(Errc::invalid_input, name + " has a malformed IPv6 host");
    out.host = ascii_lower(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return Error(Errc::invalid_input, name + " has a malformed host");
      out.port = std::string(authority.substr(1));
    }
  } else {
    const auto colon = authority.find(':');
    out.host = ascii_lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty()) return Error(Errc::invalid_input, name + " has no host");
  if (!std::all_of(out.port.begin(), out.port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return Error(Errc::invalid_input, name + " has a malformed port");
  }
  return out;
}

bool is_cluster_internal(std::string_view host) {
  const std::string h = ascii_lower(host);
  return ends_with(h, ".svc") || ends_with(h, ".svc.cluster.local") || h == "localhost" ||
         ends_with(h, ".localhost") || h == "::1" || is_loopback_v4(h);
}

Result<HttpUrl> check_bearer_destination(std::string_view what, std::string_view url,
                                         bool allow_plain_http) {
  auto parsed = parse_http_url(what, url);
  if (!parsed) return parsed;
  if (parsed->scheme == "http" && !allow_plain_http && !is_cluster_internal(parsed->host)) {
    return Error(Errc::invalid_input,
                 std::string(what) + " uses plain http to " + parsed->host +
                     ", which is outside the cluster: a bearer token would travel unencrypted "
                     "(use https, or allow plain http explicitly)");
  }
  return parsed;
}

}  // namespace ws::auth
