#include <doctest/doctest.h>

#include "store/object_key.hpp"

using ws::Errc;
using ws::store::check_prefix;
using ws::store::relative_path_for_key;

TEST_CASE("a plain key maps to the same relative path") {
  auto p = relative_path_for_key("ns/sess/artifacts/a b/ü#+%.txt");
  REQUIRE(p);
  CHECK(p->generic_string() == "ns/sess/artifacts/a b/ü#+%.txt");
  CHECK(p->is_relative());
}

TEST_CASE("keys that could escape their directory are unsafe") {
  for (const char* key : {"", "/etc/passwd", "../x", "a/../../x", "a/..", "./a", "a/./b", "a//b", "a/", ".."}) {
    CAPTURE(key);
    auto p = relative_path_for_key(key);
    REQUIRE_FALSE(p);
    CHECK(p.error().code == Errc::unsafe_path);
  }
  auto nul = relative_path_for_key(std::string_view("a\0b", 3));
  REQUIRE_FALSE(nul);
  CHECK(nul.error().code == Errc::unsafe_path);
  CHECK(nul.error().message.find("\\0") != std::string::npos);
}

TEST_CASE("dots inside a segment are ordinary characters") {
  CHECK(relative_path_for_key("a/..b/c..").ok());
  CHECK(relative_path_for_key(".claude/settings.json").ok());
}

TEST_CASE("a listing prefix may be empty, end in a slash or stop mid-segment") {
  CHECK(check_prefix("").ok());
  CHECK(check_prefix("ns/sess/").ok());
  CHECK(check_prefix("ns/sess/art").ok());
  CHECK_FALSE(check_prefix("ns/../").ok());
  CHECK_FALSE(check_prefix("/ns/").ok());
  CHECK_FALSE(check_prefix("ns//x").ok());
}
