#include <doctest/doctest.h>

#include <algorithm>

#include "config/excludes.hpp"
#include "config/layout.hpp"
#include "config/sanitize.hpp"

namespace layout = ws::config::layout;

TEST_CASE("a session's keys live under <namespace>/<session>/") {
  CHECK(layout::session_prefix("ns", "s1") == "ns/s1/");
}

TEST_CASE("repo state keys follow the scripts' repo-state layout") {
  CHECK(layout::repo_state_prefix("ns/s1/", "app") == "ns/s1/repo-state/app/");
  CHECK(layout::kRepoBundle == "repo.bundle");
  CHECK(layout::kUncommittedPatch == "uncommitted.patch");
  CHECK(layout::kStagedPatch == "staged.patch");
  CHECK(layout::kRepoMetadata == "metadata.json");
}

TEST_CASE("the synced trees are the state directory, artifacts and file-uploads") {
  const auto trees = layout::synced_trees(".claude");
  CHECK(trees[0] == ".claude");
  CHECK(trees[1] == "artifacts");
  CHECK(trees[2] == "file-uploads");
}

TEST_CASE("the exclude list is the scripts' rclone filter list") {
  CHECK(ws::config::kSyncExcludes.front() == "repos/**");
  CHECK(std::find(ws::config::kSyncExcludes.begin(), ws::config::kSyncExcludes.end(), "*.pyc") !=
        ws::config::kSyncExcludes.end());
}

TEST_CASE("sanitize_name keeps ASCII letters, digits and dashes only") {
  CHECK(ws::config::sanitize_name("My_Session-42!") == "MySession-42");
  CHECK(ws::config::sanitize_name("ünï") == "n");
  CHECK(ws::config::sanitize_name("") == "");
}

TEST_CASE("normalize_relative_path drops . and empty segments") {
  auto r = ws::config::normalize_relative_path("./a//b/./", "P");
  REQUIRE(r.ok());
  CHECK(*r == "a/b");
  auto empty = ws::config::normalize_relative_path(".", "P", /*allow_empty=*/true);
  REQUIRE(empty.ok());
  CHECK(*empty == "");
}

TEST_CASE("normalize_relative_path refuses a NUL byte") {
  auto r = ws::config::normalize_relative_path(std::string_view("a\0b", 3), "P");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "P must not contain a NUL byte");
}
