// Base64 (RFC 4648) for the few places that need it: HTTP Basic and the CP
// bearer, Content-MD5 and rclone's Md5chksum, JWT payloads.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ws {

// Standard alphabet, padded: "f" -> "Zg==".
std::string base64_encode(std::string_view bytes);

// Standard alphabet with its padding, as S3 headers carry it: nothing when
// `text` is anything else (a length that is not a multiple of 4, a stray
// character, padding in the middle).
std::optional<std::string> base64_decode(std::string_view text);

// The URL-safe alphabet JWTs use (RFC 7515), padding optional; the standard
// alphabet's '+' and '/' are read too. Nothing when `text` is not base64.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace ws
