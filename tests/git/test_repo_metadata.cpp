#include <doctest/doctest.h>

#include "git/repo_metadata.hpp"

using ws::git::parse_repo_metadata;
using ws::git::RepoMetadata;

TEST_CASE("metadata.json uses the scripts' field names and round-trips") {
  RepoMetadata m;
  m.remote_url = "https://github.com/o/r.git";
  m.current_branch = "feature/x";
  m.head_sha = std::string(40, 'c');
  m.local_branches = {"main", "feature/x"};
  m.backed_up_at = "2026-11-27T09:30:00Z";
  const std::string json = ws::git::to_json(m);
  for (const char* key : {"\"remoteUrl\"", "\"currentBranch\"", "\"headSha\"", "\"localBranches\"", "\"backedUpAt\""}) {
    CHECK(json.find(key) != std::string::npos);
  }
  auto back = parse_repo_metadata(json);
  REQUIRE(back.ok());
  CHECK(back->current_branch == "feature/x");
  CHECK(back->local_branches == m.local_branches);
  CHECK(back->head_sha == m.head_sha);
}

TEST_CASE("metadata.json never carries a URL's userinfo") {
  RepoMetadata m;
  m.remote_url = "https://x-access-token:ghp_secret@github.com/o/r.git";
  const std::string json = ws::git::to_json(m);
  CHECK(json.find("ghp_secret") == std::string::npos);
  CHECK(json.find("https://github.com/o/r.git") != std::string::npos);
}

TEST_CASE("metadata written by the scripts parses; missing fields are empty") {
  auto m = parse_repo_metadata(R"({"remoteUrl":"https://h/r.git","currentBranch":"HEAD","headSha":"abc"})");
  REQUIRE(m.ok());
  CHECK(m->current_branch == "HEAD");
  CHECK(m->local_branches.empty());
  CHECK_FALSE(parse_repo_metadata("[1,2]").ok());
  CHECK_FALSE(parse_repo_metadata("not json").ok());
}
