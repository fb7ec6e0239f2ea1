#include "git/origin_policy.hpp"

#include "common/ascii.hpp"
#include "git/remote_callbacks.hpp"

namespace ws::git {

OriginKind origin_kind(std::string_view url) {
  // git's "<transport>::<address>" runs a helper program: never an origin.
  if (const auto helper = url.find("::"); helper != std::string_view::npos && helper < url.find('/')) {
    return OriginKind::other;
  }
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    if (url.empty()) return OriginKind::other;
    return remote_endpoint(url) ? OriginKind::ssh : OriginKind::local;
  }
  const std::string scheme = ascii_lower(url.substr(0, scheme_end));
  if (scheme == "https") return OriginKind::https;
  if (scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git") return OriginKind::ssh;
  if (scheme == "http") return OriginKind::http;
  if (scheme == "git") return OriginKind::git_daemon;
  if (scheme == "file") return OriginKind::local;
  return OriginKind::other;
}

const char* origin_kind_name(OriginKind kind) {
  switch (kind) {
    case OriginKind::https: return "https";
    case OriginKind::ssh: return "ssh";
    case OriginKind::http: return "plain http";
    case OriginKind::git_daemon: return "git://";
    case OriginKind::local: return "local";
    case OriginKind::other: return "unknown";
  }
  return "unknown";
}

OriginPolicy OriginPolicy::for_session(const std::vector<std::string>& session_urls) {
  OriginPolicy policy;
  for (const auto& url : session_urls) {
    const OriginKind kind = origin_kind(url);
    if (kind != OriginKind::other) policy.allowed_.insert(kind);
  }
  return policy;
}

OriginPolicy OriginPolicy::any_known() {
  OriginPolicy policy;
  policy.allowed_ = {OriginKind::https, OriginKind::ssh, OriginKind::http, OriginKind::git_daemon, OriginKind::local};
  return policy;
}

std::string OriginPolicy::describe() const {
  std::string out;
  for (OriginKind kind : allowed_) {
    if (!out.empty()) out += ", ";
    out += origin_kind_name(kind);
  }
  return out;
}

}  // namespace ws::git
