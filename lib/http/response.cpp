#include <strings.h>

#include "http/http.hpp"

namespace ws::http {

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name.size() == name.size() &&
        strncasecmp(h.name.data(), name.data(), name.size()) == 0) {
      return h.value;
    }
  }
  return std::nullopt;
}

}  // namespace ws::http
