// Hydrate -> sync -> hydrate against Ceph RGW, which verifies every
// signature, keeps real multipart objects and lists as S3 does: the round
// trip of test_workspace_peer.cpp on the server production looks like.
#include <doctest/doctest.h>

#include "rgw.hpp"
#include "store/store.hpp"
#include "workspace/workspace.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;
using wsws::git_sh;

using wsws::hydrate_ok;
using wsws::repos_json;
using wsws::sync_ok;

namespace {

constexpr const char* kBucket = "test-bucket";

// The session's settings on the shared gateway; each case its own session.
ws::config::Config rgw_session(const fs::path& root, const std::string& session,
                             std::map<std::string, std::string> extra = {}) {
  auto& rgw = wstest::Rgw::shared();
  extra.emplace("SESSION_NAME", session);
  extra.emplace("AWS_ACCESS_KEY_ID", wstest::Rgw::kAccessKey);
  extra.emplace("AWS_SECRET_ACCESS_KEY", wstest::Rgw::kSecretKey);
  return wsws::session_config(root, rgw.endpoint(), kBucket, extra);
}


}  // namespace

TEST_CASE("a rich workspace round-trips through RGW to the same repos, state and files") {
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const auto lib = wsws::make_origin(tmp / "origins", "lib");
  const std::map<std::string, std::string> env = {{"REPOS_JSON", repos_json({app, lib})}};

  const auto cfg1 = rgw_session(tmp / "ws1", "round-trip", env);
  CHECK(hydrate_ok(cfg1).repos_cloned == 2);
  wsws::agent_changes(tmp / "ws1" / "repos" / "app");
  git_sh("printf 'wip\\n' >> README.md", tmp / "ws1" / "repos" / "lib");
  wsws::agent_files(tmp / "ws1", "v1");
  sync_ok(cfg1);

  const auto cfg2 = rgw_session(tmp / "ws2", "round-trip", env);
  const auto second = hydrate_ok(cfg2);
  CHECK(second.repos_restored == 2);
  CHECK(second.unsafe_keys == 0);
  const auto before = wsws::snapshot_workspace(tmp / "ws1");
  const auto after = wsws::snapshot_workspace(tmp / "ws2");
  CHECK_MESSAGE(before == after, wsws::describe_difference(before, after));
}

TEST_CASE("a resumed session on RGW saves and restores its second round of changes") {
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const std::map<std::string, std::string> env = {{"REPOS_JSON", repos_json({app})}};
  const auto cfg1 = rgw_session(tmp / "ws1", "resumed", env);
  hydrate_ok(cfg1);
  wsws::agent_changes(tmp / "ws1" / "repos" / "app");
  wsws::agent_files(tmp / "ws1", "v1");
  sync_ok(cfg1);

  const auto cfg2 = rgw_session(tmp / "ws2", "resumed", env);
  hydrate_ok(cfg2);
  git_sh("git add -A && git commit -q -m 'resume: commit all' && printf 'after resume\\n' > later.txt",
         tmp / "ws2" / "repos" / "app");
  wsws::agent_files(tmp / "ws2", "v2");
  fs::remove(tmp / "ws2" / "artifacts" / "sub dir" / "weird #name%20(1).txt");
  sync_ok(cfg2);

  const auto cfg3 = rgw_session(tmp / "ws3", "resumed", env);
  hydrate_ok(cfg3);
  const auto saved = wsws::snapshot_workspace(tmp / "ws2");
  const auto restored = wsws::snapshot_workspace(tmp / "ws3");
  CHECK_MESSAGE(saved == restored, wsws::describe_difference(saved, restored));
  CHECK_FALSE(fs::exists(tmp / "ws3" / "artifacts" / "sub dir" / "weird #name%20(1).txt"));
}
