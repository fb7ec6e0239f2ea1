// SigV4Signer against the published AWS Signature Version 4 test suite
// (region us-east-1, service "service", AKIDEXAMPLE, 2015-08-30T12:36:00Z)
// and the S3 API reference's GET-object example. Expected values typed in
// from those documents.
#include <doctest/doctest.h>

#include "store/digest.hpp"
#include "store/sigv4_signer.hpp"

using ws::http::Header;
using ws::store::SignableRequest;
using ws::store::SigV4Signer;

namespace {

constexpr const char* kDate = "20150830T123600Z";
constexpr const char* kEmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SigV4Signer suite_signer() {
  return SigV4Signer("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
}

std::string signature_of(const std::string& authorization) {
  return authorization.substr(authorization.rfind('=') + 1);
}

}  // namespace

TEST_CASE("aws suite get-vanilla-query-order-key: canonical request, string to sign, signature") {
  const std::vector<Header> headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kDate}};
  const SignableRequest r{"GET", "/", "Param1=value2&Param1=Value1", &headers, kEmptySha};
  const auto signer = suite_signer();
  const auto creq = signer.canonical_request(r);
  CHECK(creq ==
        "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
        "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto sts = signer.string_to_sign(kDate, creq);
  CHECK(sts ==
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89");
  CHECK(signer.signature(kDate, sts) == "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1");
  CHECK(signer.authorization(r, kDate) ==
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1");
}

TEST_CASE("aws suite post-x-www-form-urlencoded: a signed body hash and content-type") {
  const std::vector<Header> headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                       {"Host", "example.amazonaws.com"},
                                       {"X-Amz-Date", kDate}};
  const auto body_hash = ws::store::sha256_hex("Param1=value1");
  const SignableRequest r{"POST", "/", "", &headers, body_hash};
  const auto signer = suite_signer();
  const auto creq = signer.canonical_request(r);
  CHECK(creq ==
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
        "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
        "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
  CHECK(signer.string_to_sign(kDate, creq) ==
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
        "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281");
  CHECK(signature_of(signer.authorization(r, kDate)) ==
        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

TEST_CASE("aws suite get-utf8: a unicode path is signed in its encoded form") {
  const std::vector<Header> headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kDate}};
  const auto path = ws::uri_encode("/\xe1\x88\xb4", true);
  CHECK(path == "/%E1%88%B4");
  const SignableRequest r{"GET", path, "", &headers, kEmptySha};
  CHECK(signature_of(suite_signer().authorization(r, kDate)) ==
        "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST_CASE("aws suite get-vanilla-query-unreserved: unreserved characters stay as they are") {
  const std::string unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  CHECK(ws::uri_encode(unreserved, false) == unreserved);
  const std::vector<Header> headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kDate}};
  const auto query = unreserved + "=" + unreserved;
  const SignableRequest r{"GET", "/", query, &headers, kEmptySha};
  CHECK(signature_of(suite_signer().authorization(r, kDate)) ==
        "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
}

TEST_CASE("aws suite get-header-key-duplicate: repeated headers join with commas in order") {
  const std::vector<Header> headers = {{"Host", "example.amazonaws.com"},
                                       {"My-Header1", "value2"},
                                       {"My-Header1", "value2"},
                                       {"My-Header1", "value1"},
                                       {"X-Amz-Date", kDate}};
  const SignableRequest r{"GET", "/", "", &headers, kEmptySha};
  const auto signer = suite_signer();
  CHECK(signer.canonical_request(r).find("my-header1:value2,value2,value1\n") != std::string::npos);
  CHECK(signature_of(signer.authorization(r, kDate)) ==
        "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
}

TEST_CASE("header values are trimmed and inner runs of spaces collapsed") {
  const std::vector<Header> headers = {{"Host", "h"}, {"My-Header1", "  a   b   c  "}};
  const SignableRequest r{"GET", "/", "", &headers, kEmptySha};
  CHECK(suite_signer().canonical_request(r).find("my-header1:a b c\n") != std::string::npos);
}

TEST_CASE("S3 reference example: sign() a GET of /test.txt with a Range header") {
  // From the S3 API reference, "Signature Calculations for the Authorization
  // Header: Transferring Payload in a Single Chunk", example GET Object.
  const SigV4Signer signer("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1");
  ws::http::Request req;
  req.url = "https://examplebucket.s3.amazonaws.com/test.txt";
  req.headers = {{"Range", "bytes=0-9"}};
  const auto when = std::chrono::system_clock::from_time_t(1369353600);  // 2013-05-24T00:00:00Z
  signer.sign(req, kEmptySha, when);
  std::string authorization, host, date;
  for (const auto& h : req.headers) {
    if (h.name == "Authorization") authorization = h.value;
    if (h.name == "Host") host = h.value;
    if (h.name == "x-amz-date") date = h.value;
  }
  CHECK(host == "examplebucket.s3.amazonaws.com");
  CHECK(date == "20130524T000000Z");
  CHECK(authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  CHECK(authorization.find("wJalrXUtnFEMI") == std::string::npos);
}

TEST_CASE("sign() uses the URL's port in Host except the scheme's default, and re-signing replaces") {
  const SigV4Signer signer("AK", "SK", "us-east-1");
  ws::http::Request req;
  req.url = "http://127.0.0.1:4568/bucket/a%20b?list-type=2";
  signer.sign(req, ws::store::kUnsignedPayload);
  signer.sign(req, ws::store::kUnsignedPayload);
  int authorizations = 0;
  std::string host;
  for (const auto& h : req.headers) {
    authorizations += h.name == "Authorization";
    if (h.name == "Host") host = h.value;
  }
  CHECK(authorizations == 1);
  CHECK(host == "127.0.0.1:4568");
  ws::http::Request plain;
  plain.url = "http://minio.example:80/b/k";
  signer.sign(plain, ws::store::kUnsignedPayload);
  CHECK(std::any_of(plain.headers.begin(), plain.headers.end(),
                    [](const Header& h) { return h.name == "Host" && h.value == "minio.example"; }));
}
