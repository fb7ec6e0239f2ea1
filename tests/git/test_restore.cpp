// Restore beyond the round trip: a missing repo is cloned first, the remote
// may have moved on, local changes are never overwritten, HEAD is checked.
#include <doctest/doctest.h>
#include <unistd.h>

#include "git/backup.hpp"
#include "git/restore.hpp"
#include "git_fixture.hpp"

using wsgit::git_sh;
using wsgit::snapshot;
namespace fs = std::filesystem;

namespace {

struct RestoreCase {
  wstest::TempDir dir{"ws-git-restore"};
  std::string origin = wsgit::make_origin(dir.path());
  fs::path work = dir / "work";
  fs::path state = dir / "state";
  std::vector<std::string> warnings;

  RestoreCase() {
    git_sh("git clone -q '" + origin + "' work", dir.path());
    git_sh("git checkout -q -b topic && printf 'c\\n' > c.txt && git add c.txt && git commit -q -m c && "
           "printf 'staged\\n' >> README.md && git add README.md && printf 'u\\n' > u.txt",
           work);
    auto b = ws::git::backup_repo({work, state, {}, false}, ws::Logger());
    REQUIRE_MESSAGE(b.ok(), b.error().message);
  }

  ws::Result<ws::git::RestoreResult> restore(const fs::path& repo, const std::string& remote_url = {},
                                             const ws::git::OriginPolicy& origins = ws::git::OriginPolicy::any_known()) {
    ws::git::RestoreOptions opts;
    opts.state_dir = state;
    opts.repo = repo;
    opts.remote_url = remote_url;
    opts.origins = origins;
    return ws::git::restore_repo(opts, ws::Logger([this](const ws::LogEvent& e) {
      if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.message);
    }));
  }
};

void check_same(const wsgit::RepoSnapshot& a, const wsgit::RepoSnapshot& b) {
  CHECK_MESSAGE(a == b, wsgit::describe_difference(a, b));
}

}  // namespace

TEST_CASE("a repository missing locally is cloned from remoteUrl, then restored") {
  RestoreCase c;
  auto r = c.restore(c.dir / "absent");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->cloned);
  check_same(snapshot(c.work), snapshot(c.dir / "absent"));
}

TEST_CASE("a saved local remoteUrl is not cloned under a session's policy unless the session uses local origins") {
  RestoreCase c;
  for (const std::string& url : {c.origin, (c.dir / "origin.git").string()}) {
    std::string meta = wstest::read_file(c.state / "metadata.json");
    const auto at = meta.find("\"remoteUrl\":\"") + 13;
    meta.replace(at, meta.find('"', at) - at, url);
    wstest::write_file(c.state / "metadata.json", meta);
    CAPTURE(url);
    auto refused = c.restore(c.dir / "absent", {}, ws::git::OriginPolicy::for_session({"https://github.com/org/app.git"}));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ws::Errc::unsafe_path);
    CHECK(refused.error().message.find("local origin") != std::string::npos);
    CHECK_FALSE(fs::exists(c.dir / "absent"));
    auto allowed = c.restore(c.dir / "absent", {}, ws::git::OriginPolicy::for_session({"/srv/git/app.git"}));
    REQUIRE_MESSAGE(allowed.ok(), allowed.error().message);
    CHECK(allowed->cloned);
    fs::remove_all(c.dir / "absent");
  }
}

TEST_CASE("--remote-url overrides the saved remoteUrl for the clone") {
  RestoreCase c;
  git_sh("git clone -q --bare '" + c.origin + "' moved.git", c.dir.path());
  auto r = c.restore(c.dir / "absent", "file://" + (c.dir / "moved.git").string());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(git_sh("git remote get-url origin", c.dir / "absent") == "file://" + (c.dir / "moved.git").string() + "\n");
}

TEST_CASE("a remote that moved on after the backup still restores the saved state") {
  RestoreCase c;
  git_sh("git clone -q '" + c.origin + "' other && cd other && printf 'later\\n' >> README.md && "
         "git -c user.name=o -c user.email=o@e commit -q -am later && git push -q origin main",
         c.dir.path());
  git_sh("git clone -q '" + c.origin + "' fresh", c.dir.path());
  auto r = c.restore(c.dir / "fresh");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->head_matches);
  check_same(snapshot(c.work), snapshot(c.dir / "fresh"));
}

TEST_CASE("a repository with local changes is not overwritten") {
  RestoreCase c;
  git_sh("git clone -q '" + c.origin + "' fresh && printf 'mine\\n' >> fresh/README.md", c.dir.path());
  const std::string mine = wstest::read_file(c.dir / "fresh" / "README.md");
  auto r = c.restore(c.dir / "fresh");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::conflict);
  CHECK(wstest::read_file(c.dir / "fresh" / "README.md") == mine);
}

TEST_CASE("a HEAD that differs from headSha is reported") {
  RestoreCase c;
  std::string meta = wstest::read_file(c.state / "metadata.json");
  const std::string head = git_sh("git rev-parse HEAD", c.work).substr(0, 40);
  const std::string other = git_sh("git rev-parse HEAD~1", c.work).substr(0, 40);
  meta.replace(meta.find(head), head.size(), other);
  wstest::write_file(c.state / "metadata.json", meta);
  git_sh("git clone -q '" + c.origin + "' fresh", c.dir.path());
  auto r = c.restore(c.dir / "fresh");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK_FALSE(r->head_matches);
  CHECK(r->current_branch == "topic");
  CHECK_FALSE(c.warnings.empty());
}

TEST_CASE("a state directory without metadata.json is not found") {
  wstest::TempDir dir("ws-git-restore");
  ws::git::RestoreOptions opts;
  opts.state_dir = dir / "nothing";
  opts.repo = dir / "repo";
  auto r = ws::git::restore_repo(opts, ws::Logger());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::not_found);
}

TEST_CASE("a clone another user owns is restored only when it sits directly under the trusted parent") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: needs root to give the clone to UID 1001 (CI runs as root)");
    return;
  }
  // A re-run hydrate (root) meets the clone it already gave to the runner.
  RestoreCase c;
  const fs::path repos = c.dir / "repos";
  fs::create_directories(repos);
  git_sh("git clone -q '" + c.origin + "' repos/app", c.dir.path());
  REQUIRE(wstest::sh("chown -R 1001:0 '" + (repos / "app").string() + "'").exit_code == 0);

  auto refused = c.restore(repos / "app");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("owned by another user") != std::string::npos);

  ws::git::RestoreOptions opts;
  opts.state_dir = c.state;
  opts.repo = repos / "app";
  opts.trusted_parent = repos;
  auto r = ws::git::restore_repo(opts, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  wstest::sh("chown -R 0:0 '" + (repos / "app").string() + "'");
  check_same(snapshot(c.work), snapshot(repos / "app"));
}
