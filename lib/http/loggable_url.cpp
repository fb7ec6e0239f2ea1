#include "http/loggable_url.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "common/ascii.hpp"
#include "common/redact.hpp"

namespace ws::http {
namespace {

bool names_a_secret(std::string_view param) {
  const std::string lower = ascii_lower(param);
  constexpr std::array<std::string_view, 6> kSecretWords = {
      "signature", "credential", "token", "secret", "password", "key"};
  return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

}  // namespace

std::string loggable_url(std::string_view url) {
  std::string out = redact_url(url);
  const auto query = out.find('?');
  if (query == std::string::npos) return out;
  const auto fragment = out.find('#', query);
  const std::string tail = fragment == std::string::npos ? "" : out.substr(fragment);
  const std::string params = out.substr(query + 1, fragment == std::string::npos
                                                       ? std::string::npos
                                                       : fragment - query - 1);
  std::string masked = out.substr(0, query + 1);
  size_t pos = 0;
  while (pos <= params.size()) {
    auto end = params.find('&', pos);
    if (end == std::string::npos) end = params.size();
    const std::string_view pair(params.data() + pos, end - pos);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && names_a_secret(pair.substr(0, eq))) {
      masked.append(pair.substr(0, eq + 1)).append("***");
    } else {
      masked.append(pair);
    }
    if (end < params.size()) masked.push_back('&');
    pos = end + 1;
  }
  return masked + tail;
}

}  // namespace ws::http
