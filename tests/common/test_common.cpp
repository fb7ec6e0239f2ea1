#include <doctest/doctest.h>

#include <stdexcept>

#include "common/error.hpp"
#include "common/exception_guard.hpp"
#include "common/log.hpp"
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

TEST_CASE("catch_exceptions turns an escaped exception into an internal error naming the work") {
  auto thrown = ws::catch_exceptions("sync cycle", []() -> ws::Result<int> { throw std::out_of_range("size -1"); });
  REQUIRE_FALSE(thrown);
  CHECK(thrown.error().code == ws::Errc::internal);
  CHECK(thrown.error().message == "sync cycle: unexpected exception: size -1");
  auto fine = ws::catch_exceptions("sync cycle", []() -> ws::Result<int> { return 7; });
  REQUIRE(fine);
  CHECK(*fine == 7);
}

TEST_CASE("a text log line cannot be forged by a newline in a key or file name") {
  const ws::LogEvent e{ws::LogLevel::warn, "sync.skipped", "skipping a\n2026-12-03T00:00:00Z error FORGED\r\x1b[2J"};
  const auto line = ws::format_text_line(e, "2026-12-03T10:00:00Z");
  CHECK(line == "2026-12-03T10:00:00Z warn  skipping a\\x0a2026-12-03T00:00:00Z error FORGED\\x0d\\x1b[2J");
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("printable keeps valid UTF-8 and escapes invalid bytes and C1 controls") {
  CHECK(ws::printable("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80");
  CHECK(ws::printable("a\xff" "b") == "a\\xffb");
  CHECK(ws::printable("\xc3") == "\\xc3");                      // cut short
  CHECK(ws::printable("\xc0\xaf") == "\\xc0\\xaf");             // overlong '/'
  CHECK(ws::printable("\xed\xa0\x80") == "\\xed\\xa0\\x80");    // a UTF-16 surrogate
  CHECK(ws::printable("\xc2\x9b" "1m") == "\\xc2\\x9b1m");      // C1 CSI
  CHECK(ws::printable(std::string_view("nul\0here", 8)) == "nul\\x00here");
}

TEST_CASE("a JSON log line is valid UTF-8 JSON whatever bytes the message carries") {
  const ws::LogEvent e{ws::LogLevel::error, "store.bad", "file \"x\\y\"\n\xff\xfe end"};
  CHECK(ws::format_json_line(e, "T") ==
        "{\"time\":\"T\",\"level\":\"error\",\"event\":\"store.bad\","
        "\"message\":\"file \\\"x\\\\y\\\"\\\\x0a\\\\xff\\\\xfe end\"}");
}
