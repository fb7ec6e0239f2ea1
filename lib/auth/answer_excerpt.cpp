#include "auth/answer_excerpt.hpp"

#include "common/redact.hpp"

namespace ws::auth {

std::string answer_excerpt(std::string_view body, std::string_view secret, size_t max_chars) {
  std::string text = scrub(std::string(body), secret);
  std::string out;
  for (char c : text) {
    if (out.size() >= max_chars) {
      out += "…";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f) ? ' ' : c;
  }
  const auto end = out.find_last_not_of(' ');
  out.erase(end == std::string::npos ? 0 : end + 1);
  return out.empty() ? "(empty body)" : "\"" + out + "\"";
}

}  // namespace ws::auth
