// ASCII case folding for protocol tokens (URL schemes, host names, header
// names, hex digits). std::tolower depends on the C locale and is undefined
// for negative chars; these touch only A-Z and leave every other byte, UTF-8
// included, as it is.
#pragma once

#include <string>
#include <string_view>

namespace ws {

constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ascii_lower(std::string_view text);

// Equal when compared with A-Z folded to a-z.
bool ascii_iequals(std::string_view a, std::string_view b);

}  // namespace ws
