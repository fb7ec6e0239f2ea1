#include "common/byte_size.hpp"

#include <cctype>
#include <string>

namespace ws {
namespace {

constexpr std::string_view kAccepted =
    "a number of bytes, optionally with a suffix B, K, M, G, T or P (1K = 1024; Ki and KiB also work), "
    "e.g. 500M or 1.5G";

// The power of 1024 a suffix names, or -1.
int suffix_power(std::string_view s) {
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty() || lower == "b") return 0;
  static constexpr std::string_view kUnits = "kmgtp";
  const auto unit = kUnits.find(lower[0]);
  if (unit == std::string_view::npos) return -1;
  const std::string_view rest = std::string_view(lower).substr(1);
  if (rest.empty() || rest == "i" || rest == "ib" || rest == "b") return static_cast<int>(unit) + 1;
  return -1;
}

}  // namespace

Result<uint64_t> parse_byte_size(std::string_view text) {
  const auto bad = [&] { return Error(Errc::invalid_input, "'" + std::string(text) + "' is not a size: " + std::string(kAccepted)); };
  size_t i = 0;
  uint64_t whole = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    const unsigned digit = static_cast<unsigned>(text[i] - '0');
    if (whole > (UINT64_MAX - digit) / 10) return bad();
    whole = whole * 10 + digit;
  }
  if (i == 0) return bad();
  uint64_t frac = 0, frac_scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    const size_t start = i;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
      if (frac_scale < 1000000000ull) {
        frac = frac * 10 + static_cast<unsigned>(text[i] - '0');
        frac_scale *= 10;
      }
    }
    if (i == start) return bad();
  }
  const int power = suffix_power(text.substr(i));
  if (power < 0) return bad();
  const uint64_t unit = uint64_t{1} << (10 * power);
  if (whole > UINT64_MAX / unit) return bad();
  // The fraction of a unit, rounded down to whole bytes (unit <= 2^50, so
  // long double holds it exactly).
  const auto part = static_cast<uint64_t>(static_cast<long double>(frac) / frac_scale * unit);
  if (whole * unit > UINT64_MAX - part) return bad();
  return whole * unit + part;
}

}  // namespace ws
