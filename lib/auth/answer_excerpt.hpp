// A short, printable excerpt of a peer's error answer for an error message,
// with a known secret scrubbed from it (a server may echo what it was sent).
#pragma once

#include <string>
#include <string_view>

namespace ws::auth {

std::string answer_excerpt(std::string_view body, std::string_view secret, size_t max_chars = 160);

}  // namespace ws::auth
