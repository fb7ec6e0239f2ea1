// Keeping secrets out of every message. A URL is shown without its userinfo,
// a token only masked; anything built for a log line or an error goes
// through these helpers.
#pragma once

#include <string>
#include <string_view>

namespace ws {

// "https://user:tok@host/x" -> "https://host/x"; scp-like and plain paths are
// returned unchanged. Also drops userinfo from ssh:// URLs only when it has a
// password part (ssh's "git@" user is not a secret).
std::string redact_url(std::string_view url);

// "ghp_abcdef123456" -> "ghp_…3456 (16 chars)"; short tokens are fully masked.
std::string mask_secret(std::string_view secret);

// Replaces every occurrence of `secret` (if non-empty) in `text` with "***".
std::string scrub(std::string text, std::string_view secret);

}  // namespace ws
