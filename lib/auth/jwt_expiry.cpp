#include "auth/jwt_expiry.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "common/base64.hpp"

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
  // Past what the clock can hold (year 2262 with nanosecond ticks) is as
  // good as never; before 1970, already expired. Neither may overflow.
  using Clock = std::chrono::system_clock;
  constexpr double kMaxSeconds =
      static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(Clock::duration::max()).count());
  double seconds;
  if (exp->is_int64()) seconds = static_cast<double>(exp->as_int64());
  else if (exp->is_uint64()) seconds = static_cast<double>(exp->as_uint64());
  else if (exp->is_double()) seconds = exp->as_double();
  else return std::nullopt;
  if (!(seconds < kMaxSeconds)) return std::nullopt;
  return Clock::time_point(std::chrono::seconds(static_cast<int64_t>(std::max(seconds, 0.0))));
}

}  // namespace ws::auth
