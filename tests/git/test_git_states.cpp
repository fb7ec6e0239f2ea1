// Git states that once broke backup -> restore (issue 11), as fixed cases:
// the library's patches apply with plain `git apply` and the library's
// restore gives back what the git CLI saw (test_git_states_random.cpp finds
// such states).
#include <doctest/doctest.h>

#include <vector>

#include "git/backup.hpp"
#include "git/restore.hpp"
#include "git_fixture.hpp"
#include "git_states_oracle.hpp"

using wsgit::git_sh;
namespace fs = std::filesystem;

namespace {

// A work tree made by `script` in a clone of the fixture origin, backed up.
struct SavedState {
  wstest::TempDir dir{"ws-git-states"};
  std::string origin = wsgit::make_origin(dir.path());
  fs::path work = dir / "work";
  fs::path state = dir / "state";

  explicit SavedState(const std::string& script) {
    git_sh("git clone -q '" + origin + "' work", dir.path());
    git_sh(script, work);
    auto backed = ws::git::backup_repo({work, state, {}, false}, ws::Logger());
    REQUIRE_MESSAGE(backed.ok(), backed.error().message);
  }

  // The scripts' restore: plain `git fetch`, `git apply`, `git apply --cached`.
  void restore_with_git_cli(const std::string& branch) const {
    git_sh("git clone -q '" + origin + "' plain", dir.path());
    git_sh("git checkout -q --detach && git fetch -q '" + (state / "repo.bundle").string() +
               "' '+refs/heads/*:refs/heads/*' && git checkout -q -f " + branch + " && git apply '" +
               (state / "uncommitted.patch").string() + "' && git apply --cached '" +
               (state / "staged.patch").string() + "'",
           dir / "plain");
  }

  ws::Result<ws::git::RestoreResult> restore(std::vector<std::string>* warnings = nullptr) const {
    git_sh("git clone -q '" + origin + "' fresh", dir.path());
    ws::git::RestoreOptions opts;
    opts.state_dir = state;
    opts.repo = dir / "fresh";
    return ws::git::restore_repo(opts, ws::Logger([warnings](const ws::LogEvent& e) {
      if (warnings != nullptr && e.level == ws::LogLevel::warn) warnings->emplace_back(e.message);
    }));
  }
};

void check_same(const wsgit::GitView& expected, const wsgit::GitView& actual) {
  const std::string diff = wsgit::view_difference(expected, actual);
  CHECK_MESSAGE(diff.empty(), diff);
}

}  // namespace

TEST_CASE("a binary file moved with git mv, content unchanged, restores with git apply and with the library") {
  SavedState saved(R"(
    git mv blob.bin moved.bin
    printf 'unstaged\n' >> README.md && printf 'untracked\n' > new.txt
  )");
  CHECK(wstest::read_file(saved.state / "staged.patch").find("Binary files") == std::string::npos);
  saved.restore_with_git_cli("main");
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "plain"));
  auto restored = saved.restore();
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(restored->rejected_index.empty());
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "fresh"));
}

TEST_CASE("a saved file change no parser accepts is reported by path and every other change applies") {
  SavedState saved(R"(
    printf 'unstaged\n' >> README.md && printf 'untracked\n' > new.txt
    printf 'staged\n' >> src/deep/main.c && git add src/deep/main.c
  )");
  // What the library wrote before this fix for a binary rename.
  const std::string unreadable =
      "diff --git a/blob.bin b/moved.bin\nsimilarity index 100%\nrename from blob.bin\nrename to moved.bin\n"
      "Binary files a/blob.bin and b/moved.bin differ\n";
  for (const char* name : {"uncommitted.patch", "staged.patch"}) {
    const std::string patch = wstest::read_file(saved.state / name);
    const size_t second = patch.find("diff --git", 1);
    wstest::write_file(saved.state / name, second == std::string::npos
                                               ? unreadable + patch
                                               : patch.substr(0, second) + unreadable + patch.substr(second));
  }
  std::vector<std::string> warnings;
  auto restored = saved.restore(&warnings);
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(restored->rejected_worktree == std::vector<std::string>{"moved.bin"});
  CHECK(restored->rejected_index == std::vector<std::string>{"moved.bin"});
  // Each unreadable section is reported once, by path and reason; the
  // other warnings say where the rejected patches were kept.
  std::vector<std::string> unreadable_reports;
  for (const auto& w : warnings) {
    if (w.find("could not read the saved") != std::string::npos) unreadable_reports.push_back(w);
  }
  REQUIRE(unreadable_reports.size() == 2);
  CHECK(unreadable_reports[0].find("moved.bin") != std::string::npos);
  CHECK(unreadable_reports[0].find("invalid patch header") != std::string::npos);
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "fresh"));
}

TEST_CASE("type changes (file to symlink, symlink to file, file to directory) restore with git apply and the library") {
  SavedState saved(R"(
    rm README.md && ln -s run.sh README.md
    mkdir -p links && ln -s ../blob.bin links/l && git add links/l && git commit -q -m link
    rm links/l && printf 'now a file\n' > links/l
    rm src/deep/main.c && mkdir src/deep/main.c && printf 'inside\n' > src/deep/main.c/inner.txt
    rm run.sh && ln -s blob.bin run.sh && git add run.sh
  )");
  saved.restore_with_git_cli("main");
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "plain"));
  auto restored = saved.restore();
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "fresh"));
}
