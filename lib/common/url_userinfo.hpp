// A URL's userinfo taken out of it, for the one caller that may use it: a
// clone offers it as the credential (in memory) while git stores only the
// URL without it (.git/config, reflogs, FETCH_HEAD). What is taken out is
// exactly what redact_url drops.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ws {

struct UrlUserinfo {
  std::string user;      // percent-decoded
  std::string password;  // percent-decoded; a secret, never logged
};

struct SplitUrl {
  std::string url;                      // = redact_url(input)
  std::optional<UrlUserinfo> userinfo;  // what was removed, if anything
};

// "https://u:p%40ss@host/x" -> {"https://host/x", {"u", "p@ss"}};
// "https://tok@host/x" -> {"https://host/x", {"tok", ""}}; ssh's plain
// "git@" user, scp-like URLs and paths stay as they are.
SplitUrl split_url_userinfo(std::string_view url);

}  // namespace ws
