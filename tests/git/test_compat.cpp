// Compatibility both ways with the old scripts (behaviour §2): their state
// restores with the library, the library's state restores with plain
// `git fetch`, `git apply`, `git apply --cached`.
#include <doctest/doctest.h>

#include "git/backup.hpp"
#include "git/restore.hpp"
#include "git_fixture.hpp"

using wsgit::git_sh;
using wsgit::snapshot;
namespace fs = std::filesystem;

namespace {

// What the hydrate/sync scripts did to save a repo.
void scripts_backup(const fs::path& repo, const fs::path& state) {
  fs::create_directories(state);
  git_sh("git bundle create -q '" + (state / "repo.bundle").string() + "' --all && "
         "git diff HEAD > '" + (state / "uncommitted.patch").string() + "' && "
         "git diff --cached > '" + (state / "staged.patch").string() + "' && "
         "printf '{\"remoteUrl\":\"%s\",\"currentBranch\":\"%s\",\"headSha\":\"%s\",\"localBranches\":[],\"backedUpAt\":\"2026-01-01T00:00:00Z\"}' "
         "\"$(git remote get-url origin)\" \"$(git rev-parse --abbrev-ref HEAD)\" \"$(git rev-parse HEAD)\" > '" +
         (state / "metadata.json").string() + "'", repo);
}

void check_same(const wsgit::RepoSnapshot& a, const wsgit::RepoSnapshot& b) {
  CHECK_MESSAGE(a == b, wsgit::describe_difference(a, b));
}

}  // namespace

TEST_CASE("state written the old scripts' way restores with the library") {
  wstest::TempDir dir("ws-git-compat");
  const std::string origin = wsgit::make_origin(dir.path());
  git_sh("git clone -q '" + origin + "' work", dir.path());
  const fs::path work = dir / "work";
  git_sh(R"(
    printf 'ahead\n' >> README.md && git commit -q -am ahead
    git checkout -q -b topic
    printf 'staged\n' >> README.md && git add README.md && printf 'unstaged\n' >> README.md
    git rm -q src/deep/main.c
    printf 'new\n' > added.txt && git add added.txt
    chmod -x run.sh
  )", work);
  const auto before = snapshot(work);
  scripts_backup(work, dir / "state");
  git_sh("git clone -q '" + origin + "' fresh", dir.path());
  ws::git::RestoreOptions opts;
  opts.state_dir = dir / "state";
  opts.repo = dir / "fresh";
  auto r = ws::git::restore_repo(opts, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->current_branch == "topic");
  CHECK(r->head_matches);
  check_same(before, snapshot(dir / "fresh"));
}

TEST_CASE("a binary change the scripts could not save is reported and every other change still applies") {
  wstest::TempDir dir("ws-git-compat");
  const std::string origin = wsgit::make_origin(dir.path());
  git_sh("git clone -q '" + origin + "' work", dir.path());
  git_sh("head -c 100 /dev/urandom >> blob.bin && printf 'text change\\n' >> README.md", dir / "work");
  scripts_backup(dir / "work", dir / "state");
  git_sh("git clone -q '" + origin + "' fresh", dir.path());
  ws::git::RestoreOptions opts;
  opts.state_dir = dir / "state";
  opts.repo = dir / "fresh";
  std::vector<std::string> warnings;
  auto r = ws::git::restore_repo(opts, ws::Logger([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.message);
  }));
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->rejected_worktree == std::vector<std::string>{"blob.bin"});
  CHECK(!warnings.empty());
  CHECK(wstest::read_file(dir / "fresh" / "README.md") == wstest::read_file(dir / "work" / "README.md"));
}

TEST_CASE("state written by the library restores with git fetch, git apply and git apply --cached") {
  wstest::TempDir dir("ws-git-compat");
  const std::string origin = wsgit::make_origin(dir.path());
  git_sh("git clone -q '" + origin + "' work", dir.path());
  const fs::path work = dir / "work";
  git_sh(R"(
    printf 'ahead\n' >> README.md && git commit -q -am ahead
    git checkout -q -b work
    printf 'staged\n' >> README.md && git add README.md && printf 'unstaged\n' >> README.md
    head -c 1500 /dev/urandom >> blob.bin && git add blob.bin && head -c 10 /dev/urandom >> blob.bin
    head -c 700 /dev/urandom > new.bin
    chmod +x src/deep/main.c && git add src/deep/main.c && chmod -x run.sh
    git mv run.sh tools.sh
    mkdir -p 'x y/ü' && printf 'u\n' > 'x y/ü/z.txt' && : > 'x y/empty'
    printf 'ignored\n' > skip.log
  )", work);
  auto before = snapshot(work);
  before.files.erase("skip.log");
  auto b = ws::git::backup_repo({work, dir / "state", {}, false}, ws::Logger());
  REQUIRE_MESSAGE(b.ok(), b.error().message);
  const std::string state = (dir / "state").string();
  git_sh("git clone -q '" + origin + "' fresh", dir.path());
  git_sh("git bundle verify -q '" + state + "/repo.bundle'", dir / "fresh");
  git_sh("git checkout -q --detach && git fetch -q '" + state + "/repo.bundle' '+refs/heads/*:refs/heads/*' && "
         "git checkout -q -f work && git apply '" + state + "/uncommitted.patch' && git apply --cached '" +
         state + "/staged.patch'", dir / "fresh");
  check_same(before, snapshot(dir / "fresh"));
}
