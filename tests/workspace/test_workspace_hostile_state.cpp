// Hydrate over repo-state someone else wrote (issue 14): a patch aiming
// outside the repo through a symlink, a remoteUrl naming a local path, and a
// change that does not apply, which must be kept rather than lost.
#include <doctest/doctest.h>

#include <algorithm>

#include "hostile_state.hpp"
#include "workspace/workspace.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;
using wsgit::HostileState;

namespace {

constexpr const char* kBucket = "b";

struct Session {
  wstest::TempDir tmp{"ws-hostile-session"};
  fs::path store_root = tmp / "store";
  fs::path root = tmp / "ws";
  std::vector<std::pair<std::string, std::string>> warnings;  // event, message

  Session() { fs::create_directories(store_root / kBucket); }

  fs::path state_dir(const std::string& repo) const {
    return store_root / kBucket / "proj" / "sess-1" / "repo-state" / repo;
  }
  ws::config::Config config(const std::string& repos_json = "") const {
    std::map<std::string, std::string> extra;
    if (!repos_json.empty()) extra["REPOS_JSON"] = repos_json;
    return wsws::session_config(root, "file://" + store_root.string(), kBucket, extra);
  }
  ws::Logger logger() {
    return ws::Logger([this](const ws::LogEvent& e) {
      if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.event, e.message);
    });
  }
  ws::workspace::HydrateReport hydrate(const ws::config::Config& cfg) {
    auto r = ws::workspace::hydrate(cfg, {}, logger());
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return *r;
  }
  void sync(const ws::config::Config& cfg) {
    auto engine = ws::workspace::SyncEngine::open(cfg, {}, logger());
    REQUIRE(engine);
    auto r = (*engine)->run_cycle(true);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  }
  bool warned(const std::string& event, const std::string& text) const {
    return std::any_of(warnings.begin(), warnings.end(), [&](const auto& w) {
      return w.first == event && w.second.find(text) != std::string::npos;
    });
  }
  std::vector<fs::path> files_named(const fs::path& dir, const std::string& prefix) const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path());
    }
    return out;
  }
};

// The hostile set as the scripts would leave it (no manifest), for the repo
// REPOS_JSON names.
void store_state(const HostileState& h, const Session& s, const std::string& uncommitted) {
  h.set_uncommitted_patch(uncommitted);
  fs::create_directories(s.state_dir("origin"));
  for (const auto& e : fs::directory_iterator(h.state)) {
    fs::copy_file(e.path(), s.state_dir("origin") / e.path().filename());
  }
}

}  // namespace

TEST_CASE("hydrate refuses saved changes that would create, overwrite or delete files outside the repo") {
  HostileState h;
  Session s;
  store_state(h, s, HostileState::all_patches());
  const auto report = s.hydrate(s.config("[{\"url\":\"" + h.origin + "\"}]"));
  CHECK(report.repos_restored == 1);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  for (const char* path : {"cache/pwned.sh", "cache/existing.txt", "cache/victim.txt"}) {
    CHECK_MESSAGE(s.warned("restore.unsafe_path", path), path);
  }
}

TEST_CASE("a saved repo whose remoteUrl is a local path is not cloned, and its state stays in the store") {
  HostileState h;
  Session s;
  // A repository on the node that the state would copy into the workspace
  // (and, at the next sync, out to the store).
  wsws::git_sh("git init -q -b main private && cd private && echo secret > key.txt && git add -A && "
               "git commit -q -m private", h.dir.path());
  for (const std::string& url : {(h.dir / "private").string(), "file://" + (h.dir / "private").string()}) {
    CAPTURE(url);
    fs::remove_all(s.root);
    s.warnings.clear();
    fs::create_directories(s.state_dir("stolen"));
    wstest::write_file(s.state_dir("stolen") / "metadata.json",
                       "{\"remoteUrl\":\"" + url + "\",\"currentBranch\":\"main\",\"headSha\":\"\","
                       "\"localBranches\":[\"main\"],\"backedUpAt\":\"2026-12-03T00:00:00Z\"}");
    const auto report = s.hydrate(s.config());
    CHECK(report.restore_failed == 1);
    CHECK_FALSE(fs::exists(s.root / "repos" / "stolen"));
    CHECK(s.warned("restore.origin_refused", "repos/stolen"));
    s.sync(s.config());
    CHECK(fs::exists(s.state_dir("stolen") / "metadata.json"));
  }
}

TEST_CASE("a saved local remoteUrl is cloned when REPOS_JSON itself names local origins") {
  HostileState h;
  Session s;
  const std::string other = wsws::make_origin(h.dir / "origins", "other");
  fs::create_directories(s.state_dir("extra"));
  wstest::write_file(s.state_dir("extra") / "metadata.json",
                     "{\"remoteUrl\":\"" + h.origin + "\",\"currentBranch\":\"main\",\"headSha\":\"\","
                     "\"localBranches\":[\"main\"],\"backedUpAt\":\"2026-12-03T00:00:00Z\"}");
  const auto report = s.hydrate(s.config("[{\"url\":\"" + other + "\"}]"));
  CHECK(report.restore_failed == 0);
  CHECK(fs::exists(s.root / "repos" / "extra" / "notes.txt"));
}

TEST_CASE("a saved change that does not apply is kept in the repo and in the store, and survives the next sync") {
  HostileState h;
  Session s;
  const std::string patch =
      "diff --git a/notes.txt b/notes.txt\n"
      "--- a/notes.txt\n"
      "+++ b/notes.txt\n"
      "@@ -1 +1,2 @@\n"
      " notes\n"
      "+more notes\n"
      "diff --git a/gone.txt b/gone.txt\n"
      "--- a/gone.txt\n"
      "+++ b/gone.txt\n"
      "@@ -1 +1 @@\n"
      "-old\n"
      "+new\n";
  store_state(h, s, patch);
  const auto cfg = s.config("[{\"url\":\"" + h.origin + "\"}]");
  s.hydrate(cfg);
  const fs::path repo = s.root / "repos" / "origin";
  CHECK(wstest::read_file(repo / "notes.txt") == "notes\nmore notes\n");
  const auto local = s.files_named(repo / ".git" / "libworkspace", "rejected-");
  REQUIRE(local.size() == 1);
  const std::string kept = wstest::read_file(local[0]);
  CHECK(kept.find("#   gone.txt\n") != std::string::npos);
  CHECK(kept.find(patch) != std::string::npos);
  const auto stored = s.files_named(s.state_dir("origin"), "rejected-");
  REQUIRE(stored.size() == 1);
  CHECK(wstest::read_file(stored[0]) == kept);

  // The next backup replaces uncommitted.patch (gone.txt is not in it) and
  // leaves the kept copy alone; a second hydrate adds a copy, never overwrites.
  s.sync(cfg);
  CHECK(wstest::read_file(s.state_dir("origin") / "uncommitted.patch").find("gone.txt") == std::string::npos);
  CHECK(s.files_named(s.state_dir("origin"), "rejected-").size() == 1);
  CHECK(wstest::read_file(stored[0]) == kept);
}
