#include <doctest/doctest.h>

#include "config/session.hpp"

using ws::config::parse_session;

namespace {

std::string error_of(std::string_view json) {
  auto r = parse_session(json);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::invalid_input);
  return r.error().message;
}

}  // namespace

TEST_CASE("a session gives name, namespace, project (default namespace) and id") {
  auto r = parse_session(R"({"name":"s1","namespace":"proj","id":"uuid-1"})");
  REQUIRE(r.ok());
  CHECK(r->name == "s1");
  CHECK(r->namespace_name == "proj");
  CHECK(r->project == "proj");
  CHECK(r->id == "uuid-1");
  CHECK(r->repos.empty());
  CHECK_FALSE(r->workflow.has_value());
}

TEST_CASE("session keys match case-insensitively, as Go's encoding/json") {
  auto r = parse_session(R"({"Name":"s1","NAMESPACE":"p","repoUrl":"https://h/o/app.git"})");
  REQUIRE(r.ok());
  REQUIRE(r->repos.size() == 1);
  CHECK(r->repos[0].name == "app");
}

TEST_CASE("Repos may be a JSON string or an array and wins over RepoURL") {
  auto as_string = parse_session(
      R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one","Repos":"[{\"url\":\"https://h/o/two\"}]"})");
  REQUIRE(as_string.ok());
  CHECK(as_string->repos[0].name == "two");
  auto as_array = parse_session(
      R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one","Repos":[{"url":"https://h/o/three"}]})");
  REQUIRE(as_array.ok());
  CHECK(as_array->repos[0].name == "three");
}

TEST_CASE("an empty Repos falls back to RepoURL") {
  auto r = parse_session(R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one","Repos":[]})");
  REQUIRE(r.ok());
  CHECK(r->repos[0].name == "one");
}

TEST_CASE("the workflow defaults to branch main and normalises its path") {
  auto r = parse_session(
      R"({"name":"s","namespace":"p","workflow":{"gitUrl":"https://h/o/wf.git","path":"a/./b/"}})");
  REQUIRE(r.ok());
  REQUIRE(r->workflow.has_value());
  CHECK(r->workflow->branch == "main");
  CHECK(r->workflow->path == "a/b");
  CHECK(r->workflow->name == "wf");
}

TEST_CASE("a session that is not a JSON object is refused") {
  CHECK(error_of("[]") == "session must be a JSON object, got an array");
  CHECK(error_of("{").rfind("session is not valid JSON (at byte 1)", 0) == 0);
}

TEST_CASE("a session without name or namespace is refused") {
  CHECK(error_of(R"({"namespace":"p"})") == R"(session has no "name")");
  CHECK(error_of(R"({"name":"s"})") == R"(session has no "namespace")");
  CHECK(error_of(R"({"name":"_","namespace":"p"})") ==
        "session.name '_' has no character of [A-Za-z0-9-] to keep");
}

TEST_CASE("session fields of the wrong type are refused by name") {
  CHECK(error_of(R"({"name":1,"namespace":"p"})") == "session.name must be a string, got a number");
  CHECK(error_of(R"({"name":"s","namespace":"p","Repos":5})") ==
        "session.Repos must be a JSON array or a string holding one, got a number");
  CHECK(error_of(R"({"name":"s","namespace":"p","workflow":"x"})") ==
        "session.workflow must be an object, got a string");
  CHECK(error_of(R"({"name":"s","namespace":"p","workflow":{"gitUrl":true}})") ==
        "session.workflow.gitUrl must be a string, got a boolean");
}

TEST_CASE("bad repos in a session name Repos") {
  CHECK(error_of(R"({"name":"s","namespace":"p","Repos":"[\"https://h/o/a\"]"})") ==
        R"(Repos[0] must be an object {"url": ...}, got a string)");
}

TEST_CASE("odd session input is accepted with warnings") {
  auto r = parse_session(R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one",)"
                         R"("Repos":[{"branch":"x"},{"url":"https://h/o/two"}],)"
                         R"("workflow":{"gitUrl":"https://h/o/w","path":"/flows"}})");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  REQUIRE(r->repos.size() == 1);
  CHECK(r->repos[0].name == "two");
  CHECK(r->workflow->path == "flows");
  REQUIRE(r->warnings.size() == 2);
  CHECK(r->warnings[0].message == R"(Repos[0] has no "url": skipped)");
  CHECK(r->warnings[1].message ==
        "session.workflow.path '/flows' starts with '/': taken relative to the workflow repository");
}

TEST_CASE("Repos of null, [] or \"[]\" falls back to RepoURL, in every form") {
  for (const char* repos : {"null", "[]", R"("[]")", R"("null")", R"("")"}) {
    auto r = parse_session(std::string(R"({"name":"s","namespace":"p","RepoURL":"https://h/o/one","Repos":)") +
                           repos + "}");
    REQUIRE_MESSAGE(r.ok(), repos);
    REQUIRE_MESSAGE(r->repos.size() == 1, repos);
    CHECK(r->repos[0].name == "one");
  }
}

TEST_CASE("a workflow path leaving the clone is refused") {
  CHECK(error_of(R"({"name":"s","namespace":"p","workflow":{"gitUrl":"https://h/o/w","path":"../x"}})") ==
        "session.workflow.path '../x' must not contain '..'");
}
