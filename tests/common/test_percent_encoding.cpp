#include <doctest/doctest.h>

#include "common/percent_encoding.hpp"

TEST_CASE("uri_encode escapes everything but the unreserved bytes, slashes optionally") {
  CHECK(ws::uri_encode("a b/c#d+e%f&g=h?", true) == "a%20b/c%23d%2Be%25f%26g%3Dh%3F");
  CHECK(ws::uri_encode("a/b", false) == "a%2Fb");
  CHECK(ws::uri_encode("ü", true) == "%C3%BC");
  CHECK(ws::uri_encode("AZaz09-._~", false) == "AZaz09-._~");
  CHECK(ws::uri_encode(std::string("\0\xff", 2), false) == "%00%FF");
}

TEST_CASE("percent_decode reads either case and leaves a malformed escape as written") {
  CHECK(ws::percent_decode("p%40ss%3a%3A") == "p@ss::");
  CHECK(ws::percent_decode("%C3%BC") == "ü");
  CHECK(ws::percent_decode("100%") == "100%");
  CHECK(ws::percent_decode("%4") == "%4");
  CHECK(ws::percent_decode("%zz%41") == "%zzA");
  CHECK(ws::percent_decode("%41") == "A");  // an escape at the very end
}

TEST_CASE("percent_decode undoes uri_encode for every byte") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  CHECK(ws::percent_decode(ws::uri_encode(all, false)) == all);
}
