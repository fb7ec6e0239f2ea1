#include <doctest/doctest.h>

#include "common/ascii.hpp"

TEST_CASE("ascii_lower folds A-Z only and leaves UTF-8 bytes alone") {
  CHECK(ws::ascii_lower("HTTPS://Example.COM") == "https://example.com");
  CHECK(ws::ascii_lower("ÄÖÜ-Straße") == "ÄÖÜ-straße");
  CHECK(ws::ascii_lower(std::string("\xC3\x84\x80\xFF", 4)) == std::string("\xC3\x84\x80\xFF", 4));
  CHECK(ws::ascii_lower("@[`{") == "@[`{");  // the neighbours of A-Z and a-z
}

TEST_CASE("ascii_iequals ignores ASCII case and nothing else") {
  CHECK(ws::ascii_iequals("Content-MD5", "content-md5"));
  CHECK_FALSE(ws::ascii_iequals("Content-MD5", "content-md"));
  CHECK_FALSE(ws::ascii_iequals("É", "é"));
  CHECK_FALSE(ws::ascii_iequals("[", "{"));
}
