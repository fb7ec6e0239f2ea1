#include "auth/session_hosts.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "auth/bearer_destination.hpp"
#include "auth/host_scoped_provider.hpp"
#include "common/redact.hpp"

namespace ws::auth {
namespace {

constexpr std::array<std::string_view, 8> kPublicForges = {
    "github.com", "gitlab.com", "bitbucket.org", "codeberg.org",
    "dev.azure.com", "gitea.com", "git.sr.ht", "huggingface.co"};

// The name part of a normalised host[:port].
std::string_view host_name(std::string_view host) {
  if (!host.empty() && host.front() == '[') return host.substr(0, host.find(']') + 1);
  return host.substr(0, host.find(':'));
}

bool is_public_forge(std::string_view host) {
  const auto name = host_name(host);
  return std::any_of(kPublicForges.begin(), kPublicForges.end(), [&](std::string_view forge) {
    return name == forge || (name.size() > forge.size() && name.substr(name.size() - forge.size()) == forge &&
                             name[name.size() - forge.size() - 1] == '.');
  });
}

// Whether a dot-separated label of the host's name contains `word`.
bool label_mentions(std::string_view host, std::string_view word) {
  const auto name = host_name(host);
  for (size_t pos = 0; pos <= name.size();) {
    size_t next = name.find('.', pos);
    if (next == std::string_view::npos) next = name.size();
    if (name.substr(pos, next - pos).find(word) != std::string_view::npos) return true;
    pos = next + 1;
  }
  return false;
}

}  // namespace

std::vector<std::string> session_https_hosts(const config::Config& config) {
  std::vector<std::string> urls;
  for (const auto& r : config.repos) urls.push_back(r.url);
  if (config.workflow) urls.push_back(config.workflow->git_url);
  std::vector<std::string> hosts;
  for (const auto& url : urls) {
    auto parsed = parse_http_url("repo URL", redact_url(url));
    if (!parsed || parsed->scheme != "https") continue;
    const std::string host = parsed->host.find(':') != std::string::npos ? "[" + parsed->host + "]" : parsed->host;
    auto h = normalise_host(parsed->port.empty() ? host : host + ":" + parsed->port);
    if (h && std::find(hosts.begin(), hosts.end(), *h) == hosts.end()) hosts.push_back(*h);
  }
  return hosts;
}

InferredHosts infer_session_hosts(const GitCredentials& creds, const std::vector<std::string>& hosts) {
  InferredHosts out;
  const bool github = creds.github.credential.has_value();
  const bool gitlab = creds.gitlab.credential.has_value();
  for (const auto& host : hosts) {
    if (is_public_forge(host)) continue;
    if (github && label_mentions(host, "github")) {
      out.github.push_back(host);
    } else if (gitlab && label_mentions(host, "gitlab")) {
      out.gitlab.push_back(host);
    } else if (github != gitlab) {
      (github ? out.github : out.gitlab).push_back(host);
    } else if (github) {
      out.ambiguous.push_back(host);
    }
  }
  return out;
}

}  // namespace ws::auth
