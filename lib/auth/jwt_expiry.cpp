#include "auth/jwt_expiry.hpp"

#include <boost/json.hpp>

#include "auth/base64.hpp"

namespace ws::auth {

std::optional<std::chrono::system_clock::time_point> jwt_expiry(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  const auto doc = boost::json::parse(*payload, ec);
  if (ec || !doc.is_object()) return std::nullopt;
  const auto* exp = doc.as_object().if_contains("exp");
  if (exp == nullptr) return std::nullopt;
  int64_t seconds;
  if (exp->is_int64()) seconds = exp->as_int64();
  else if (exp->is_uint64()) seconds = static_cast<int64_t>(exp->as_uint64());
  else if (exp->is_double()) seconds = static_cast<int64_t>(exp->as_double());
  else return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace ws::auth
