// Percent-encoding (RFC 3986 §2.1) for URL paths, query values and userinfo.
#pragma once

#include <string>
#include <string_view>

namespace ws {

// Every byte except the unreserved A-Z a-z 0-9 - . _ ~ becomes %XX
// (upper-case hex), '/' too unless `keep_slash` (an S3 object key in a
// path). This is S3's UriEncode for SigV4, and a safe path segment or query
// value anywhere else.
std::string uri_encode(std::string_view s, bool keep_slash);

// %XX (either case) becomes its byte; a '%' not followed by two hex digits
// stays as it is, as browsers and git read such URLs.
std::string percent_decode(std::string_view s);

}  // namespace ws
