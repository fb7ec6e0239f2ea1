#include "common/url_userinfo.hpp"

#include "common/percent_encoding.hpp"
#include "common/redact.hpp"
#include "common/url_authority.hpp"

namespace ws {

SplitUrl split_url_userinfo(std::string_view url) {
  SplitUrl out{redact_url(url), std::nullopt};
  if (out.url.size() == url.size()) return out;
  // redact_url dropped exactly the authority's "<userinfo>@".
  const std::string_view userinfo = url_authority(url)->userinfo;
  const size_t colon = userinfo.find(':');
  out.userinfo = UrlUserinfo{percent_decode(userinfo.substr(0, colon)),
                             colon == std::string_view::npos ? std::string() : percent_decode(userinfo.substr(colon + 1))};
  return out;
}

}  // namespace ws
