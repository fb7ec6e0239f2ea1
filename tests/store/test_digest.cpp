#include <doctest/doctest.h>

#include "store/digest.hpp"
#include "support.hpp"

using namespace ws::store;

TEST_CASE("md5 and sha256 of known inputs") {
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6");
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2") {
  CHECK(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("hex decoding refuses odd lengths and non-hex characters") {
  auto raw = from_hex("00fF10");
  REQUIRE(raw);
  CHECK(*raw == std::string("\x00\xff\x10", 3));
  CHECK_FALSE(from_hex("abc").ok());
  CHECK_FALSE(from_hex("zz").ok());
}

TEST_CASE("md5 of a file, whole and by range, matches md5 of its bytes") {
  wstest::TempDir dir;
  std::string data;
  for (int i = 0; i < 300000; ++i) data += static_cast<char>(i * 7);
  wstest::write_file(dir / "f", data);
  auto whole = md5_file_hex(dir / "f");
  REQUIRE(whole);
  CHECK(*whole == md5_hex(data));
  auto part = md5_file_hex(dir / "f", 1000, 270000);
  REQUIRE(part);
  CHECK(*part == md5_hex(std::string_view(data).substr(1000, 270000)));
  CHECK(md5_file_hex(dir / "missing").error().code == ws::Errc::not_found);
}
