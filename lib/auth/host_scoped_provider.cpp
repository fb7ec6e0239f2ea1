#include "auth/host_scoped_provider.hpp"

#include <strings.h>

#include <algorithm>
#include <cctype>

#include "auth/bearer_destination.hpp"
#include "common/ascii.hpp"

namespace ws::auth {
namespace {

bool is_subdomain_of(std::string_view host, std::string_view parent) {
  return host.size() > parent.size() + 1 && host.substr(host.size() - parent.size()) == parent &&
         host[host.size() - parent.size() - 1] == '.';
}

void add_host(std::vector<std::string>& hosts, std::string_view host) {
  if (auto h = normalise_host(host); h && std::find(hosts.begin(), hosts.end(), *h) == hosts.end()) {
    hosts.push_back(*h);
  }
}

}  // namespace

std::optional<std::string> normalise_host(std::string_view host) {
  if (host.empty()) return std::nullopt;
  std::string h;
  for (unsigned char c : host) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_') {
      h += ascii_lower(static_cast<char>(c));
    } else {
      return std::nullopt;
    }
  }
  std::string name = h, port;
  if (h.front() == '[') {
    const auto close = h.find(']');
    if (close == std::string::npos) return std::nullopt;
    name = h.substr(0, close + 1);
    if (close + 1 < h.size()) {
      if (h[close + 1] != ':') return std::nullopt;
      port = h.substr(close + 2);
    }
  } else if (const auto colon = h.find(':'); colon != std::string::npos) {
    name = h.substr(0, colon);
    port = h.substr(colon + 1);
    if (port.find(':') != std::string::npos) return std::nullopt;
  }
  while (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name == "[]") return std::nullopt;
  if (!std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  if (port.empty() || port == "443") return name;
  return name + ":" + port;
}

HostScopedCredentialProvider::HostScopedCredentialProvider(const GitCredentials& creds,
                                                           const std::vector<std::string>& github_hosts,
                                                           const std::vector<std::string>& gitlab_hosts) {
  if (creds.github.credential) {
    Grant g{creds.github.credential->token, "x-access-token", {"github.com"}, true};
    for (const auto& h : github_hosts) add_host(g.hosts, h);
    grants_.push_back(std::move(g));
  }
  if (creds.gitlab.credential) {
    Grant g{creds.gitlab.credential->token, "oauth2", {"gitlab.com"}, false};
    if (!creds.gitlab.credential->instance_url.empty()) {
      if (auto url = parse_http_url("instanceUrl", creds.gitlab.credential->instance_url)) {
        const std::string host = url->host.find(':') != std::string::npos ? "[" + url->host + "]" : url->host;
        add_host(g.hosts, url->port.empty() ? host : host + ":" + url->port);
      }
    }
    for (const auto& h : gitlab_hosts) add_host(g.hosts, h);
    grants_.push_back(std::move(g));
  }
}

std::optional<GitCredential> HostScopedCredentialProvider::lookup(std::string_view protocol,
                                                                  std::string_view host) const {
  if (protocol.size() != 5 || strncasecmp(protocol.data(), "https", 5) != 0) return std::nullopt;
  const auto h = normalise_host(host);
  if (!h) return std::nullopt;
  for (const auto& g : grants_) {
    const bool listed = std::find(g.hosts.begin(), g.hosts.end(), *h) != g.hosts.end();
    if (listed || (g.subdomains && is_subdomain_of(*h, g.hosts.front()))) {
      return GitCredential{g.username, g.token};
    }
  }
  return std::nullopt;
}

}  // namespace ws::auth
