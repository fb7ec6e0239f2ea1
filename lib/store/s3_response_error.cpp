#include "store/s3_response_error.hpp"

#include <string>

#include "common/redact.hpp"
#include "store/s3_xml.hpp"

namespace ws::store {
namespace {

// What a platform engineer should look at when the server refused the
// credentials: the codes say which half of the pair is wrong.
std::string_view auth_advice(std::string_view code) {
  if (code == "InvalidAccessKeyId") return "the server knows no such access key: check AWS_ACCESS_KEY_ID";
  if (code == "SignatureDoesNotMatch") {
    return "the server computed another signature for this access key, most often because the secret "
           "key is wrong: check AWS_SECRET_ACCESS_KEY";
  }
  return {};
}

}  // namespace

Error s3_response_error(const http::Response& resp, std::string_view what, std::string_view access_key,
                        std::string_view secret_key) {
  const auto doc = parse_error_document(resp.body);
  const std::string code = doc ? doc->code : std::string();
  Errc errc = Errc::store;
  if (resp.status == 404 || code == "NoSuchKey" || code == "NoSuchBucket" || code == "NoSuchUpload") {
    errc = Errc::not_found;
  } else if (resp.status == 403 || code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" ||
             code == "AccessDenied") {
    errc = Errc::auth;
  } else if (resp.status == 501 || code == "NotImplemented") {
    errc = Errc::unsupported;
  } else if (resp.status == 412 || code == "PreconditionFailed") {
    errc = Errc::conflict;
  }
  std::string text = std::string(what) + ": S3 answered HTTP " + std::to_string(resp.status);
  if (!code.empty()) text += " " + code;
  if (doc && !doc->message.empty()) text += ": " + doc->message;
  if (!doc && resp.status == 404) text += " (not found)";
  if (const auto advice = auth_advice(code); !advice.empty()) text.append(" (").append(advice).append(")");
  // Credentials too short to be real would only mangle ordinary words.
  for (const auto credential : {secret_key, access_key}) {
    if (credential.size() >= 4) text = scrub(std::move(text), credential);
  }
  return Error(errc, std::move(text));
}

}  // namespace ws::store
