// The one URL-authority parser and what is built on it: redaction, taking
// the userinfo out for a clone, finding the host of a remote.
#include <doctest/doctest.h>

#include "common/redact.hpp"
#include "common/url_authority.hpp"
#include "common/url_userinfo.hpp"

using ws::redact_url;
using ws::split_url_userinfo;
using ws::url_authority;

TEST_CASE("the authority ends at the path, the query or the fragment") {
  auto a = url_authority("https://u:p@host:8443/x?y#z");
  REQUIRE(a);
  CHECK(a->scheme == "https");
  CHECK(a->has_userinfo);
  CHECK(a->userinfo == "u:p");
  CHECK(a->host_port == "host:8443");
  CHECK(std::string_view("https://u:p@host:8443/x?y#z").substr(a->end) == "/x?y#z");
  for (const char* url : {"https://host?q=a@b", "https://host#a@b", "https://host/a@b"}) {
    CAPTURE(url);
    auto b = url_authority(url);
    REQUIRE(b);
    CHECK_FALSE(b->has_userinfo);
    CHECK(b->host_port == "host");
  }
  CHECK_FALSE(url_authority("git@github.com:org/repo.git"));
  CHECK_FALSE(url_authority("/srv/repo.git"));
}

TEST_CASE("an '@' in the password belongs to the userinfo, the host is after the last '@'") {
  CHECK(redact_url("https://user:p@ss@host/x") == "https://host/x");
  const auto split = split_url_userinfo("https://user:p@ss@host/x");
  CHECK(split.url == "https://host/x");
  REQUIRE(split.userinfo);
  CHECK(split.userinfo->user == "user");
  CHECK(split.userinfo->password == "p@ss");
}

TEST_CASE("IPv6 hosts keep their brackets and port; the userinfo before them goes") {
  auto a = url_authority("http://tok@[::1]:8080/repo.git");
  REQUIRE(a);
  CHECK(a->host_port == "[::1]:8080");
  CHECK(redact_url("http://tok@[::1]:8080/repo.git") == "http://[::1]:8080/repo.git");
  CHECK(redact_url("http://[fe80::1%25eth0]/x") == "http://[fe80::1%25eth0]/x");
  CHECK(redact_url("https://u:p@[2001:db8::7]") == "https://[2001:db8::7]");
}

TEST_CASE("percent-encoded userinfo is dropped as written and decoded when taken out") {
  CHECK(redact_url("https://us%40er:p%3Ass%2F@host/x") == "https://host/x");
  const auto split = split_url_userinfo("https://us%40er:p%3Ass%2F@host/x");
  REQUIRE(split.userinfo);
  CHECK(split.userinfo->user == "us@er");
  CHECK(split.userinfo->password == "p:ss/");
}

TEST_CASE("an empty userinfo ('@host') is dropped too, and a token alone is a user") {
  CHECK(redact_url("https://@host/x") == "https://host/x");
  const auto split = split_url_userinfo("https://ghp_token@host/x");
  REQUIRE(split.userinfo);
  CHECK(split.userinfo->user == "ghp_token");
  CHECK(split.userinfo->password.empty());
}
