#include "common/url_userinfo.hpp"

#include "common/redact.hpp"

namespace ws {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

SplitUrl split_url_userinfo(std::string_view url) {
  SplitUrl out{redact_url(url), std::nullopt};
  if (out.url.size() == url.size()) return out;
  // redact_url removed "<userinfo>@" right after "://".
  const size_t begin = url.find("://") + 3;
  const std::string_view userinfo = url.substr(begin, url.size() - out.url.size() - 1);
  const size_t colon = userinfo.find(':');
  out.userinfo = UrlUserinfo{percent_decode(userinfo.substr(0, colon)),
                             colon == std::string_view::npos ? std::string() : percent_decode(userinfo.substr(colon + 1))};
  return out;
}

}  // namespace ws
