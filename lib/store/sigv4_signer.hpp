// AWS Signature Version 4 (header form) for S3 requests, over OpenSSL:
// canonical request -> string to sign -> HMAC chain from the secret key.
// Checked against the AWS SigV4 test-suite vectors (tests/store/test_sigv4_signer.cpp).
// The signer holds the secret key and never prints it; nothing it returns
// contains it (a signature is an HMAC, not the key).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/percent_encoding.hpp"
#include "http/http.hpp"

namespace ws::store {

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// What gets signed, as it will be sent.
struct SignableRequest {
  std::string_view method;
  std::string_view path;    // already URI-encoded, as in the request line: "/bucket/a%20b"
  std::string_view query;   // already encoded, without '?': "list-type=2&prefix=a%2F"
  const std::vector<http::Header>* headers = nullptr;  // all of them are signed; "host" included
  std::string_view payload_hash;  // hex SHA-256 of the body, or UNSIGNED-PAYLOAD
};

class SigV4Signer {
 public:
  SigV4Signer(std::string access_key, std::string secret_key, std::string region,
              std::string service = "s3");

  std::string canonical_request(const SignableRequest& r) const;
  // `date` is the x-amz-date value of the request.
  std::string string_to_sign(std::string_view date, std::string_view canonical_request) const;
  std::string signature(std::string_view date, std::string_view string_to_sign) const;
  // The Authorization header value.
  std::string authorization(const SignableRequest& r, std::string_view date) const;

  // Signs `req` in place for sending at `now`: sets Host (as curl would send
  // it, so that signed and sent agree), x-amz-date and x-amz-content-sha256,
  // then Authorization over every header present.
  void sign(http::Request& req, std::string_view payload_hash,
            std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;

 private:
  std::string scope(std::string_view date) const;
  std::string signing_key(std::string_view day) const;

  std::string access_key_, secret_key_, region_, service_;
  // The signing key depends only on the day: derived once a day instead of
  // with four HMACs per request. Shared by copies (same secret, same key).
  struct KeyCache {
    std::mutex mu;
    std::string day, key;
  };
  std::shared_ptr<KeyCache> keys_ = std::make_shared<KeyCache>();
};

}  // namespace ws::store
