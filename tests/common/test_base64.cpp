#include <doctest/doctest.h>

#include <string>

#include "common/base64.hpp"

using ws::base64_decode;
using ws::base64_encode;
using ws::base64url_decode;

TEST_CASE("base64 pads a last group of one or two bytes (RFC 4648 vectors)") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64 round trips every byte value at every padding length") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (size_t n : {size_t(0), size_t(1), size_t(2), size_t(3), size_t(254), size_t(255), size_t(256)}) {
    const std::string bytes = all.substr(0, n);
    CAPTURE(n);
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
    CHECK(base64url_decode(base64_encode(bytes)) == bytes);
  }
}

TEST_CASE("strict base64 wants its padding and the standard alphabet") {
  CHECK(base64_decode("Zm8=") == "fo");
  CHECK(base64_decode("Zg==") == "f");
  CHECK_FALSE(base64_decode("Zm8"));       // padding missing
  CHECK_FALSE(base64_decode("Zg="));       // half the padding
  CHECK_FALSE(base64_decode("Z==="));      // one sextet is no byte
  CHECK_FALSE(base64_decode("Zg==Zm8="));  // padding in the middle
  CHECK_FALSE(base64_decode("Zm9v!A=="));
  CHECK_FALSE(base64_decode("-_-_"));      // the URL alphabet is not S3's
  CHECK(base64_decode("+/+/") == "\xfb\xff\xbf");
}

TEST_CASE("base64url reads JWT segments with or without padding, in either alphabet") {
  CHECK(base64url_decode("Zm9vYg") == "foob");
  CHECK(base64url_decode("Zm9vYg==") == "foob");
  CHECK(base64url_decode("-_-_") == "\xfb\xff\xbf");
  CHECK(base64url_decode("+/+/") == "\xfb\xff\xbf");
  CHECK_FALSE(base64url_decode("Zm9v!"));
  CHECK_FALSE(base64url_decode("Zm9vY"));  // a lone sextet
}
