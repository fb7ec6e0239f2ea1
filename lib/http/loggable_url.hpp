// A URL as it may appear in a log line or an error message: no userinfo, and
// the values of credential-bearing query parameters (presigned S3 URLs carry
// X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token) masked.
#pragma once

#include <string>
#include <string_view>

namespace ws::http {

std::string loggable_url(std::string_view url);

}  // namespace ws::http
