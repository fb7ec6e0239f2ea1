// Backup -> restore into a fresh clone gives back exactly what was there:
// refs/heads, HEAD, `git ls-files -s`, `git status`, bytes and modes.
#include <doctest/doctest.h>

#include "git/backup.hpp"
#include "git/restore.hpp"
#include "git_fixture.hpp"

using wsgit::git_sh;
using wsgit::snapshot;
namespace fs = std::filesystem;

namespace {

struct RoundTrip {
  wstest::TempDir dir{"ws-git-rt"};
  std::string origin;
  fs::path work = dir / "work";
  fs::path state = dir / "state";
  fs::path fresh = dir / "fresh";

  explicit RoundTrip(bool empty_origin = false) {
    if (empty_origin) {
      git_sh("git init -q --bare -b main origin.git", dir.path());
      origin = "file://" + (dir / "origin.git").string();
    } else {
      origin = wsgit::make_origin(dir.path());
    }
    git_sh("git clone -q '" + origin + "' work", dir.path());
  }

  // Backs `work` up, restores into a fresh `git clone`, returns both snapshots.
  std::pair<wsgit::RepoSnapshot, wsgit::RepoSnapshot> run() {
    const auto before = snapshot(work);
    auto backed = ws::git::backup_repo({work, state, {}, false}, ws::Logger());
    REQUIRE_MESSAGE(backed.ok(), backed.error().message);
    git_sh("git clone -q '" + origin + "' fresh", dir.path());
    ws::git::RestoreOptions opts;
    opts.state_dir = state;
    opts.repo = fresh;
    auto restored = ws::git::restore_repo(opts, ws::Logger());
    REQUIRE_MESSAGE(restored.ok(), restored.error().message);
    CHECK(restored->rejected_worktree.empty());
    CHECK(restored->rejected_index.empty());
    CHECK(restored->head_matches);
    return {before, snapshot(fresh)};
  }
};

void check_same(const std::pair<wsgit::RepoSnapshot, wsgit::RepoSnapshot>& pair) {
  CHECK_MESSAGE(pair.first == pair.second, wsgit::describe_difference(pair.first, pair.second));
}

}  // namespace

TEST_CASE("round trip: new and ahead branches, tags") {
  RoundTrip rt;
  git_sh(R"(
    printf 'ahead\n' >> README.md && git commit -q -am ahead
    git checkout -q -b topic && printf 'topic\n' > topic.txt && git add topic.txt && git commit -q -m topic
    git tag t-local && git branch spare main~1
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: staged and unstaged changes to the same file") {
  RoundTrip rt;
  git_sh(R"(
    printf 'staged line\n' >> README.md && git add README.md
    printf 'unstaged line\n' >> README.md
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: binary files modified, added and deleted, staged and not") {
  RoundTrip rt;
  git_sh(R"(
    head -c 2000 /dev/urandom >> blob.bin && git add blob.bin
    head -c 500 /dev/urandom >> blob.bin
    head -c 4096 /dev/urandom > staged.bin && git add staged.bin
    head -c 4096 /dev/urandom > untracked.bin
    printf '\x00\x01\x02' > tiny.bin && git add tiny.bin && git commit -q -m tiny && git rm -q tiny.bin
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: mode changes") {
  RoundTrip rt;
  git_sh(R"(
    chmod +x README.md
    chmod -x run.sh && git add run.sh
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: deletions and renames") {
  RoundTrip rt;
  git_sh(R"(
    git rm -q src/deep/main.c
    mkdir docs && git mv README.md docs/README.md
    rm run.sh
    mv blob.bin moved.bin
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: untracked files in nested dirs with spaces and unicode names") {
  RoundTrip rt;
  git_sh(R"(
    mkdir -p 'new dir/ünïcode ✓/deeper'
    printf 'a\n' > 'new dir/file with spaces.txt'
    printf 'b\n' > 'new dir/ünïcode ✓/deeper/é.txt'
    printf 'no newline' > 'new dir/ünïcode ✓/nonl'
    printf '#!/bin/sh\n' > 'new dir/tool.sh' && chmod +x 'new dir/tool.sh'
    : > empty.txt
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: ignored files stay out of the backup") {
  RoundTrip rt;
  git_sh(R"(
    mkdir -p build && printf 'generated\n' > build/out.o && printf 'log\n' > debug.log
    printf 'kept\n' > kept.txt
  )", rt.work);
  auto [before, after] = rt.run();
  CHECK(after.files.count("kept.txt") == 1);
  CHECK(after.files.count("build/out.o") == 0);
  CHECK(after.files.count("debug.log") == 0);
  before.files.erase("build/out.o");
  before.files.erase("debug.log");
  CHECK_MESSAGE(before == after, wsgit::describe_difference(before, after));
  CHECK(wstest::read_file(rt.state / "uncommitted.patch").find("generated") == std::string::npos);
}

TEST_CASE("round trip: detached HEAD with changes") {
  RoundTrip rt;
  git_sh(R"(
    git checkout -q --detach HEAD~1
    printf 'on detached\n' >> README.md && printf 'new\n' > new.txt && git add new.txt
  )", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: a repository without commits keeps its staged and untracked files") {
  RoundTrip rt(true);
  git_sh(R"(
    printf 'first\n' > staged.txt && git add staged.txt
    mkdir d && printf 'loose\n' > d/untracked.txt
  )", rt.work);
  auto pair = rt.run();
  CHECK_FALSE(fs::exists(rt.state / "repo.bundle"));
  CHECK(fs::exists(rt.state / "metadata.json"));
  check_same(pair);
}

TEST_CASE("round trip: a submodule's presence changes nothing") {
  wstest::TempDir sub("ws-git-sub");
  const std::string sub_url = wsgit::make_origin(sub.path());
  RoundTrip rt;
  git_sh("git -c protocol.file.allow=always submodule add -q '" + sub_url + "' libs/sub && git commit -q -m sub && git push -q origin main", rt.work);
  git_sh("printf 'change\\n' >> README.md", rt.work);
  check_same(rt.run());
}

TEST_CASE("round trip: everything at once") {
  RoundTrip rt;
  git_sh(R"(
    printf 'ahead\n' >> README.md && git commit -q -am ahead
    git checkout -q -b work
    printf 'staged\n' >> README.md && git add README.md && printf 'unstaged\n' >> README.md
    head -c 1500 /dev/urandom >> blob.bin
    chmod +x src/deep/main.c && git add src/deep/main.c
    git mv run.sh tools.sh
    mkdir -p 'x y/ü' && printf 'u\n' > 'x y/ü/z.txt' && head -c 800 /dev/urandom > 'x y/b.bin'
    printf 'ignored\n' > skip.log
  )", rt.work);
  auto [before, after] = rt.run();
  before.files.erase("skip.log");
  CHECK_MESSAGE(before == after, wsgit::describe_difference(before, after));
}

TEST_CASE("round trip: symlinks added, staged and retargeted") {
  RoundTrip rt;
  git_sh(R"(
    ln -s README.md link-untracked
    ln -s src/deep link-staged && git add link-staged
    ln -s run.sh tool && git add tool && git commit -q -m tool && ln -sfn blob.bin tool
  )", rt.work);
  check_same(rt.run());
}
