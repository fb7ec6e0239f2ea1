#include "store/rclone_metadata.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ws::store {

std::string format_mtime(double seconds) {
  if (seconds < 0) return std::string("-").append(format_mtime(-seconds));
  auto whole = static_cast<long long>(std::floor(seconds));
  auto nanos = std::llround((seconds - static_cast<double>(whole)) * 1e9);
  if (nanos >= 1'000'000'000) {
    ++whole;
    nanos -= 1'000'000'000;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%09lld", whole, nanos);
  std::string out(buf);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::optional<double> parse_mtime(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  if (std::fabs(v) > kMaxMtimeSeconds) return std::nullopt;
  return v;
}

}  // namespace ws::store
