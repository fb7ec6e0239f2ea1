#include <doctest/doctest.h>

#include "common/error.hpp"
#include "common/redact.hpp"

TEST_CASE("redact_url drops userinfo from https URLs") {
  CHECK(ws::redact_url("https://x-access-token:ghp_secret@github.com/o/r.git") ==
        "https://github.com/o/r.git");
  CHECK(ws::redact_url("https://user@host/p?q=1") == "https://host/p?q=1");
}

TEST_CASE("redact_url keeps ssh users and scp-like URLs, which carry no secret") {
  CHECK(ws::redact_url("ssh://git@github.com/o/r.git") == "ssh://git@github.com/o/r.git");
  CHECK(ws::redact_url("git@github.com:o/r.git") == "git@github.com:o/r.git");
  CHECK(ws::redact_url("ssh://git:pw@host/r") == "ssh://host/r");
}

TEST_CASE("redact_url ignores an @ outside the authority") {
  CHECK(ws::redact_url("https://host/path@v1") == "https://host/path@v1");
}

TEST_CASE("mask_secret never shows a short token and only the ends of a long one") {
  CHECK(ws::mask_secret("abc") == "*** (3 chars)");
  const auto m = ws::mask_secret("ghp_0123456789abcdef");
  CHECK(m.find("0123456789") == std::string::npos);
  CHECK(m.rfind("ghp_", 0) == 0);
}

TEST_CASE("scrub replaces every occurrence of a secret") {
  CHECK(ws::scrub("a tok b tok", "tok") == "a *** b ***");
  CHECK(ws::scrub("nothing", "") == "nothing");
}

TEST_CASE("Result carries a value or an error with context") {
  ws::Result<int> ok = 4;
  REQUIRE(ok);
  CHECK(*ok == 4);
  ws::Result<int> bad = ws::Error(ws::Errc::not_found, "no such key");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ws::Errc::not_found);
  auto e = ws::Error(ws::Errc::io, "disk full").context("writing a.txt");
  CHECK(e.message == "writing a.txt: disk full");
}
