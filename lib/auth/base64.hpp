// Base64 (RFC 4648): standard alphabet with padding for the CP bearer, and
// the URL-safe unpadded decoding JWT payloads need.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ws::auth {

std::string base64_encode(std::string_view bytes);
// Nothing when `text` is not base64url (padding optional).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ws::auth
