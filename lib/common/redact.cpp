#include "common/redact.hpp"

#include "common/url_authority.hpp"

namespace ws {

std::string redact_url(std::string_view url) {
  const auto authority = url_authority(url);
  if (!authority || !authority->has_userinfo) return std::string(url);
  const std::string_view scheme = authority->scheme;
  const bool ssh = scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git";
  if (ssh && authority->userinfo.find(':') == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, authority->begin));
  out.append(authority->host_port).append(url.substr(authority->end));
  return out;
}

std::string mask_secret(std::string_view secret) {
  if (secret.empty()) return "(empty)";
  const std::string len = " (" + std::to_string(secret.size()) + " chars)";
  if (secret.size() < 12) return "***" + len;
  return std::string(secret.substr(0, 4)) + "…" + std::string(secret.substr(secret.size() - 4)) + len;
}

std::string scrub(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
    text.replace(pos, secret.size(), "***");
  }
  return text;
}

}  // namespace ws
