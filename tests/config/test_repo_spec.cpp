#include <doctest/doctest.h>

#include "config/repo_spec.hpp"

using ws::Errc;
using ws::config::InputWarnings;
using ws::config::parse_repos_json;
using ws::config::repo_name_from_url;
using ws::config::repos_from_session;
using ws::config::repos_to_json;

namespace {

std::string name_of(std::string_view url) {
  auto r = repo_name_from_url(url);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return *r;
}

std::string error_of(std::string_view json) {
  auto r = parse_repos_json(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::invalid_input);
  return r.error().message;
}

}  // namespace

TEST_CASE("a repo is named after the last path segment of an https URL, without .git") {
  CHECK(name_of("https://github.com/org/repo.git") == "repo");
  CHECK(name_of("https://github.com/org/repo") == "repo");
  CHECK(name_of("https://gitlab.example.com/group/sub/project.git") == "project");
}

TEST_CASE("ssh://, scp-like and file:// URLs are named like https ones") {
  CHECK(name_of("ssh://git@github.com/org/repo.git") == "repo");
  CHECK(name_of("git@github.com:org/repo.git") == "repo");
  CHECK(name_of("git@github.com:repo.git") == "repo");
  CHECK(name_of("file:///srv/git/fixture.git") == "fixture");
  CHECK(name_of("/srv/git/plain") == "plain");
}

TEST_CASE("trailing slashes, query strings and fragments do not change the name") {
  CHECK(name_of("https://github.com/org/repo.git/") == "repo");
  CHECK(name_of("https://github.com/org/repo//") == "repo");
  CHECK(name_of("https://host/org/repo.git?ref=main") == "repo");
  CHECK(name_of("https://host/org/repo#readme") == "repo");
}

TEST_CASE("only one trailing .git is removed and dots inside a name are kept") {
  CHECK(name_of("https://host/org/my.repo.git") == "my.repo");
  CHECK(name_of("https://host/org/repo.git.git") == "repo.git");
}

TEST_CASE("a URL without a usable last segment is refused, naming the URL") {
  for (const char* url : {"https://github.com", "https://github.com/", "https://host/org/..",
                          "https://host/org/.", "https://host/org/.git", "git@host:"}) {
    auto r = repo_name_from_url(url);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::invalid_input);
    CHECK(r.error().message.find("gives no usable directory name") != std::string::npos);
  }
}

TEST_CASE("a URL's credentials never appear in a naming error") {
  auto r = repo_name_from_url("https://x-access-token:ghp_SECRET@github.com/");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("ghp_SECRET") == std::string::npos);
  CHECK(r.error().message.find("https://github.com/") != std::string::npos);
}

TEST_CASE("REPOS_JSON items keep url, optional branch and autoPush, and get a name") {
  auto r = parse_repos_json(
      R"([{"url":"https://h/o/a.git","branch":"dev","autoPush":true},{"url":"https://h/o/b"}])");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 2);
  CHECK((*r)[0].url == "https://h/o/a.git");
  CHECK((*r)[0].branch == "dev");
  CHECK((*r)[0].auto_push == true);
  CHECK((*r)[0].name == "a");
  CHECK_FALSE((*r)[1].branch.has_value());
  CHECK_FALSE((*r)[1].auto_push.has_value());
  CHECK((*r)[1].name == "b");
}

TEST_CASE("null and empty optional fields count as absent, unknown fields are ignored") {
  auto r = parse_repos_json(R"([{"url":"https://h/o/a","branch":"","autoPush":null,"x":1}])");
  REQUIRE(r.ok());
  CHECK_FALSE((*r)[0].branch.has_value());
  CHECK_FALSE((*r)[0].auto_push.has_value());
}

TEST_CASE("an empty array means no repos") {
  auto r = parse_repos_json("[]");
  REQUIRE(r.ok());
  CHECK(r->empty());
}

TEST_CASE("canonical JSON is compact, ordered url/branch/autoPush and omits absent fields") {
  auto r = parse_repos_json(
      " [ {\"autoPush\": false, \"branch\": \"dev\", \"url\": \"https://h/o/a.git\"},\n"
      "   {\"url\": \"git@h:o/b.git\"} ] ");
  REQUIRE(r.ok());
  CHECK(repos_to_json(*r) ==
        R"([{"url":"https://h/o/a.git","branch":"dev","autoPush":false},{"url":"git@h:o/b.git"}])");
  CHECK(repos_to_json(*r, true) ==
        R"([{"url":"https://h/o/a.git","branch":"dev","autoPush":false,"name":"a"},)"
        R"({"url":"git@h:o/b.git","name":"b"}])");
}

TEST_CASE("invalid JSON is refused with the input's name and the byte offset") {
  const auto m = error_of(R"([{"url": "https://h/o/a",}])");
  CHECK(m == "REPOS_JSON is not valid JSON (at byte 25): syntax error");
}

TEST_CASE("data after the JSON array is refused with its byte offset") {
  CHECK(error_of("[] x") == "REPOS_JSON is not valid JSON (at byte 3): unexpected data after the JSON value");
}

TEST_CASE("truncated JSON is refused") {
  CHECK(error_of(R"([{"url": "https://h/o/a")").find("is not valid JSON") != std::string::npos);
}

TEST_CASE("JSON that is not an array is refused, saying what it was") {
  CHECK(error_of(R"({"url":"https://h/o/a"})") == "REPOS_JSON must be a JSON array, got an object");
  CHECK(error_of(R"("https://h/o/a")") == "REPOS_JSON must be a JSON array, got a string");
}

TEST_CASE("an item that is not an object is refused with its index") {
  CHECK(error_of(R"(["https://h/o/a"])") ==
        R"(REPOS_JSON[0] must be an object {"url": ...}, got a string)");
}

TEST_CASE("an item without url is skipped with a warning naming its index") {
  InputWarnings warnings;
  auto r = parse_repos_json(R"([{"url":"https://h/o/a"},{"branch":"main"},{"url":null},{"url":""}])",
                            "REPOS_JSON", &warnings);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(repos_to_json(*r) == R"([{"url":"https://h/o/a"}])");
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].event == "config.repo_without_url");
  CHECK(warnings[0].message == R"(REPOS_JSON[1] has no "url": skipped)");
  CHECK(warnings[1].message == R"(REPOS_JSON[2] has no "url": skipped)");
  CHECK(warnings[2].message == R"(REPOS_JSON[3] has no "url": skipped)");
}

TEST_CASE("null, blank and [] mean no repos; only null is worth a warning") {
  for (const char* text : {"null", " null ", "", "  ", "[]"}) {
    InputWarnings warnings;
    auto r = parse_repos_json(text, "REPOS_JSON", &warnings);
    REQUIRE_MESSAGE(r.ok(), text);
    CHECK(r->empty());
    const bool is_null = std::string_view(text).find("null") != std::string_view::npos;
    REQUIRE(warnings.size() == (is_null ? 1u : 0u));
    if (is_null) CHECK(warnings[0].message == "REPOS_JSON is null: no repos");
  }
}

TEST_CASE("a repo listed twice is kept once, as first given, with a warning") {
  InputWarnings warnings;
  auto r = parse_repos_json(R"([{"url":"https://h/o/a.git","branch":"dev"},{"url":"https://h/o/b"},)"
                            R"({"url":"https://tok_S@h/o/a/","branch":"main"}])",
                            "REPOS_JSON", &warnings);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(repos_to_json(*r) == R"([{"url":"https://h/o/a.git","branch":"dev"},{"url":"https://h/o/b"}])");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].event == "config.repo_duplicate");
  CHECK(warnings[0].message ==
        "REPOS_JSON[2] repeats the repo of REPOS_JSON[0] ('https://h/o/a.git'): cloned once, as "
        "REPOS_JSON[0] says");
  CHECK(warnings[0].message.find("tok_S") == std::string::npos);
}

TEST_CASE("a field of the wrong type is refused, naming field and type") {
  CHECK(error_of(R"([{"url":42}])") == "REPOS_JSON[0].url must be a string, got a number");
  CHECK(error_of(R"([{"url":"https://h/o/a","branch":["x"]}])") ==
        "REPOS_JSON[0].branch must be a string, got an array");
  CHECK(error_of(R"([{"url":"https://h/o/a","autoPush":"yes"}])") ==
        "REPOS_JSON[0].autoPush must be a boolean, got a string");
}

TEST_CASE("an item whose URL gives no name is refused with its index and URL") {
  CHECK(error_of(R"([{"url":"https://h/o/.."}])") ==
        "REPOS_JSON[0]: repo URL 'https://h/o/..' gives no usable directory name (got '..')");
}

TEST_CASE("two repos with the same name are refused, naming both URLs") {
  CHECK(error_of(R"([{"url":"https://github.com/a/tools"},{"url":"https://gitlab.com/b/tools.git"}])") ==
        "REPOS_JSON: repos 'https://github.com/a/tools' and 'https://gitlab.com/b/tools.git' "
        "would both be cloned into repos/tools");
}

TEST_CASE("errors about repos never echo URL credentials") {
  const auto m = error_of(R"([{"url":"https://u:tok_A@h/x/r"},{"url":"https://v:tok_B@h/y/r"}])");
  CHECK(m.find("tok_A") == std::string::npos);
  CHECK(m.find("tok_B") == std::string::npos);
  CHECK(m.find("'https://h/x/r' and 'https://h/y/r'") != std::string::npos);
}

TEST_CASE("the session's Repos wins over RepoURL when non-empty") {
  auto r = repos_from_session("https://h/o/single", R"([{"url":"https://h/o/multi"}])");
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].name == "multi");
}

TEST_CASE("RepoURL alone becomes a single repo without branch") {
  auto r = repos_from_session("https://h/o/single.git", "  ");
  REQUIRE(r.ok());
  CHECK(repos_to_json(*r) == R"([{"url":"https://h/o/single.git"}])");
}

TEST_CASE("Repos that is blank, null or [] falls back to RepoURL") {
  for (const char* repos : {"", "null", "[]", " [ ] "}) {
    auto r = repos_from_session("https://h/o/single", repos);
    REQUIRE_MESSAGE(r.ok(), repos);
    CHECK(repos_to_json(*r) == R"([{"url":"https://h/o/single"}])");
  }
}

TEST_CASE("a session with neither Repos nor RepoURL has no repos") {
  auto r = repos_from_session("", "");
  REQUIRE(r.ok());
  CHECK(r->empty());
}

TEST_CASE("errors in the session's repos name Repos or RepoURL") {
  auto bad_repos = repos_from_session("", "{");
  REQUIRE_FALSE(bad_repos.ok());
  CHECK(bad_repos.error().message.rfind("Repos is not valid JSON", 0) == 0);
  auto bad_url = repos_from_session("https://host/", "");
  REQUIRE_FALSE(bad_url.ok());
  CHECK(bad_url.error().message.rfind("RepoURL: repo URL 'https://host/'", 0) == 0);
}

TEST_CASE("a repo URL must be one git can fetch, and a branch one git accepts, or the error names the item") {
  using ws::config::parse_repos_json;
  auto not_url = parse_repos_json(R"([{"url":"not a url"}])");
  REQUIRE_FALSE(not_url);
  CHECK(not_url.error().message.starts_with("REPOS_JSON[0].url 'not a url' is not a git URL (it contains a space"));
  auto no_scheme = parse_repos_json(R"([{"url":"just-a-name"}])");
  REQUIRE_FALSE(no_scheme);
  CHECK(no_scheme.error().message.find("is not a git URL (no scheme, no host:path") != std::string::npos);
  auto odd_scheme = parse_repos_json(R"([{"url":"ext::sh -c evil"}])");
  REQUIRE_FALSE(odd_scheme);
  auto gopher = parse_repos_json(R"([{"url":"gopher://h/r.git"}])");
  REQUIRE_FALSE(gopher);
  CHECK(gopher.error().message.find("unknown scheme 'gopher'") != std::string::npos);
  for (const char* ok : {"https://github.com/org/app.git", "ssh://git@h/org/r", "git@github.com:org/r.git",
                         "file:///srv/r.git", "/srv/origins/r.git", "HTTPS://H/o/r"}) {
    CHECK_MESSAGE(parse_repos_json(std::string(R"([{"url":")") + ok + "\"}]").ok(), ok);
  }
  auto bad_branch = parse_repos_json(R"([{"url":"https://h/o/r.git","branch":"x y..z"}])");
  REQUIRE_FALSE(bad_branch);
  CHECK(bad_branch.error().message ==
        "REPOS_JSON[0].branch 'x y..z' is not a branch name git accepts (space or control character)");
  for (const char* b : {"a..b", "-x", "x.lock", "a/", "x~1", "a:b", "@", "a@{1}", "a//b", ".hidden"}) {
    CHECK_FALSE_MESSAGE(parse_repos_json(std::string(R"([{"url":"https://h/o/r.git","branch":")") + b + "\"}]").ok(), b);
  }
  for (const char* b : {"main", "feature/x-1", "release-1.2", "user@host"}) {
    CHECK_MESSAGE(parse_repos_json(std::string(R"([{"url":"https://h/o/r.git","branch":")") + b + "\"}]").ok(), b);
  }
}
