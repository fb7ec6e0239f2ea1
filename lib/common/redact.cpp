#include "common/redact.hpp"

namespace ws {

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  const auto authority_begin = scheme_end + 3;
  auto authority_end = url.find_first_of("/?#", authority_begin);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const auto at = url.rfind('@', authority_end - 1);
  if (at == std::string_view::npos || at < authority_begin) return std::string(url);

  const std::string_view scheme = url.substr(0, scheme_end);
  const std::string_view userinfo = url.substr(authority_begin, at - authority_begin);
  const bool ssh = scheme == "ssh" || scheme == "git+ssh" || scheme == "ssh+git";
  if (ssh && userinfo.find(':') == std::string_view::npos) return std::string(url);

  std::string out(url.substr(0, authority_begin));
  out.append(url.substr(at + 1));
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
