// Turns an S3 error answer into an Error a platform engineer can act on:
// the S3 error code and message are in the text, and the code tells the
// caller what kind of failure it was. Messages are scrubbed of the
// credentials, which some S3 servers echo in error documents.
#pragma once

#include <string_view>

#include "common/error.hpp"
#include "http/http.hpp"

namespace ws::store {

// 404 / NoSuchKey / NoSuchBucket / NoSuchUpload -> Errc::not_found;
// 403 / InvalidAccessKeyId / SignatureDoesNotMatch / AccessDenied -> Errc::auth,
// and the first two say which credential setting to check;
// 501 / NotImplemented -> Errc::unsupported; 412 / PreconditionFailed
// (a copy's source no longer matches) -> Errc::conflict;
// anything else -> Errc::store. `what` names the operation and key.
Error s3_response_error(const http::Response& resp, std::string_view what, std::string_view access_key,
                        std::string_view secret_key);

}  // namespace ws::store
