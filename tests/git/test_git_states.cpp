// Git states that once broke backup -> restore (issue 11), as fixed cases:
// the library's patches apply with plain `git apply` and the library's
// restore gives back what the git CLI saw (test_git_states_random.cpp finds
// such states).
#include <sys/resource.h>

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

namespace {

// A branch `side` from main whose commit changes README.md one way while
// main's next commit changes it another: any replay of one onto the other
// conflicts.
constexpr const char* kDiverged = R"(
  git checkout -q -b side && printf 'theirs\n' > README.md && git commit -q -am theirs
  git checkout -q main && printf 'ours\n' > README.md && git commit -q -am ours
)";

// Backs up `script`'s state, restores it with the library, and checks the
// git CLI sees the same (status, stages, in-progress files, bytes); then
// `finish` resolves and continues the operation in the restored repository.
void round_trip_operation(const std::string& script, const std::string& operation, const std::string& finish) {
  SavedState saved(script);
  const std::string meta = wstest::read_file(saved.state / "metadata.json");
  CHECK_MESSAGE(meta.find("\"operation\":\"" + operation + "\"") != std::string::npos, meta);
  std::vector<std::string> warnings;
  auto restored = saved.restore(&warnings);
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(restored->not_restored.empty());
  CHECK(warnings.empty());
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "fresh"));
  // The operation goes on where the agent left it, in both repositories alike.
  const std::string done = git_sh(finish + " && git log --format='%s %T' -3", saved.work);
  CHECK(git_sh(finish + " && git log --format='%s %T' -3", saved.dir / "fresh") == done);
}

}  // namespace

TEST_CASE("a merge stopped by conflicts restores with MERGE_HEAD, its three stages and the markers; merge --continue works") {
  round_trip_operation(std::string(kDiverged) + "git merge side >/dev/null || true\n"
                                                "printf 'unrelated\\n' > new.txt && git add new.txt",
                       "merge", "git add README.md && GIT_EDITOR=true git merge --continue >/dev/null");
}

TEST_CASE("a rebase stopped by a conflict restores its rebase-merge state; rebase --continue works") {
  round_trip_operation(std::string(kDiverged) + "git rebase side >/dev/null 2>&1 || true",
                       "rebase", "git add README.md && GIT_EDITOR=true git rebase --continue >/dev/null 2>&1");
}

TEST_CASE("a cherry-pick of a commit on no branch stopped by a conflict restores; cherry-pick --continue works") {
  round_trip_operation(std::string(kDiverged) +
                           "pick=$(git rev-parse side) && git branch -q -D side && git reflog expire --expire=now --all"
                           " && git cherry-pick $pick >/dev/null 2>&1 || true",
                       "cherry-pick", "git add README.md && GIT_EDITOR=true git cherry-pick --continue >/dev/null");
}

TEST_CASE("a revert stopped by a conflict restores REVERT_HEAD; revert --continue works") {
  round_trip_operation(R"(
    printf 'one\n' > README.md && git commit -q -am one
    printf 'two\n' > README.md && git commit -q -am two
    git revert --no-edit HEAD~1 >/dev/null 2>&1 || true
  )", "revert", "git add README.md && GIT_EDITOR=true git revert --continue >/dev/null");
}

TEST_CASE("git am stopped by a conflict restores rebase-apply; am --continue works") {
  round_trip_operation(std::string(kDiverged) +
                           "git format-patch -q -1 --stdout side > ../side.mbox && git am -3 ../side.mbox >/dev/null 2>&1"
                           " || true",
                       "am", "git add README.md && git am --continue >/dev/null");
}

TEST_CASE("an interactive rebase stopped at an edit restores; rebase --continue works") {
  round_trip_operation(R"(
    printf 'one\n' >> README.md && git commit -q -am one
    printf 'two\n' >> README.md && git commit -q -am two
    GIT_SEQUENCE_EDITOR='sed -i 1s/^pick/edit/' git rebase -q -i HEAD~2 >/dev/null 2>&1
    printf 'amended\n' > amended.txt && git add amended.txt && git commit -q --amend -m 'one, amended'
  )", "rebase", "git rebase --continue >/dev/null 2>&1");
}

TEST_CASE("intents to add, assume-unchanged and skip-worktree entries survive, with the bytes git no longer looks at") {
  SavedState saved(R"(
    printf 'planned\n' > planned.txt && git add -N planned.txt
    printf 'staged\n' > staged.txt && git add staged.txt
    git update-index --assume-unchanged README.md && printf 'hidden edit\n' >> README.md
    git update-index --skip-worktree run.sh && printf 'echo sparse\n' >> run.sh
  )");
  // What git apply cannot express is not in the patches: they still apply.
  saved.restore_with_git_cli("main");
  auto restored = saved.restore();
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(restored->not_restored.empty());
  const auto expected = wsgit::observe(saved.work);
  CHECK(expected.answers.at("flags").find("h README.md") != std::string::npos);
  CHECK(expected.answers.at("flags").find("S run.sh") != std::string::npos);
  check_same(expected, wsgit::observe(saved.dir / "fresh"));
}

TEST_CASE("a bisect in progress is not carried: the backup and the restore name it, and the rest restores") {
  SavedState saved(R"(
    git bisect start -q HEAD HEAD~1 >/dev/null
    printf 'unstaged\n' >> README.md
  )");
  CHECK(wstest::read_file(saved.state / "metadata.json").find("BISECT_START") != std::string::npos);
  std::vector<std::string> warnings;
  auto restored = saved.restore(&warnings);
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  REQUIRE(restored->not_restored.size() == 1);
  CHECK(restored->not_restored[0].find("BISECT_START") != std::string::npos);
  bool logged = false;
  for (const auto& w : warnings) logged = logged || w.find("BISECT_START") != std::string::npos;
  CHECK(logged);
  CHECK(wstest::read_file(saved.dir / "fresh" / "README.md") == wstest::read_file(saved.work / "README.md"));
}

namespace {

// A stand-in for git-lfs: clean turns "REAL x" into the pointer "POINTER x",
// smudge the other way and leaves a mark that it ran.
std::string fake_lfs_config(const fs::path& mark) {
  return "git config filter.lfs.clean \"sed 's/^REAL /POINTER /'\" && git config filter.lfs.smudge \"touch '" +
         mark.string() + "' && sed 's/^POINTER /REAL /'\" && git config filter.lfs.required true";
}

}  // namespace

TEST_CASE("LFS pointer files restore as their pointer bytes: a filter driver of the backup repo never runs at restore") {
  wstest::TempDir marks("ws-git-lfs-marks");
  SavedState saved(fake_lfs_config(marks / "backup-smudge") + R"(
    printf '*.lfs filter=lfs -text\n' > .gitattributes
    printf 'REAL kept\n' > kept.lfs && printf 'REAL edited\n' > edited.lfs
    git add -A && git commit -q -m lfs
    printf 'REAL changed\n' > edited.lfs
  )");
  // The backup repo's work tree holds the smudged bytes; git (with the
  // driver) sees the pointers.
  CHECK(wstest::read_file(saved.work / "kept.lfs") == "REAL kept\n");
  auto restored = saved.restore();
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  const fs::path fresh = saved.dir / "fresh";
  CHECK(wstest::read_file(fresh / "kept.lfs") == "POINTER kept\n");
  CHECK(git_sh("git status --porcelain", fresh) == " M edited.lfs\n");
  CHECK(git_sh("git ls-files -s", fresh) == git_sh("git ls-files -s", saved.work));
  CHECK_FALSE(fs::exists(marks / "backup-smudge"));
}

TEST_CASE("LFS pointer files restore as their pointer bytes: a filter driver configured only at restore never runs") {
  wstest::TempDir marks("ws-git-lfs-marks");
  SavedState saved(R"(
    printf '*.lfs filter=lfs -text\n' > .gitattributes
    printf 'POINTER kept\n' > kept.lfs && git add -A && git commit -q -m lfs
    printf 'POINTER moved on\n' > kept.lfs && printf 'POINTER new\n' > new.lfs
  )");
  git_sh("git clone -q '" + saved.origin + "' fresh && cd fresh && " + fake_lfs_config(marks / "restore-smudge"),
         saved.dir.path());
  ws::git::RestoreOptions opts;
  opts.state_dir = saved.state;
  opts.repo = saved.dir / "fresh";
  auto restored = ws::git::restore_repo(opts, ws::Logger());
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(wstest::read_file(saved.dir / "fresh" / "kept.lfs") == "POINTER moved on\n");
  CHECK(wstest::read_file(saved.dir / "fresh" / "new.lfs") == "POINTER new\n");
  CHECK_FALSE(fs::exists(marks / "restore-smudge"));
}

TEST_CASE("a submodule's staged gitlink change survives; its own checkout is its repository's and is not carried") {
  SavedState saved(R"(
    git init -q -b main ../sub && git -C ../sub commit -q --allow-empty -m one
    git -c protocol.file.allow=always submodule add -q ../sub sm && git commit -q -m 'add sm'
    git -C sm commit -q --allow-empty -m two && git add sm
    git -C sm commit -q --allow-empty -m three
    printf 'unstaged\n' >> README.md
  )");
  std::vector<std::string> warnings;
  auto restored = saved.restore(&warnings);
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  CHECK(warnings.empty());
  const fs::path fresh = saved.dir / "fresh";
  CHECK(git_sh("git ls-files -s", fresh) == git_sh("git ls-files -s", saved.work));
  CHECK(git_sh("git diff --cached", fresh) == git_sh("git diff --cached --ignore-submodules=dirty", saved.work));
  CHECK(wstest::read_file(fresh / "README.md") == wstest::read_file(saved.work / "README.md"));
}

TEST_CASE("a large untracked file is written to the patch as it is read; git apply and restore give back its bytes") {
  SavedState saved(R"(
    head -c 40000000 /dev/urandom > 'big file.bin' && chmod +x 'big file.bin'
    printf 'unstaged\n' >> README.md && printf 'staged\n' > s.txt && git add s.txt
  )");
  // The backup ran in this process: libgit2's in-memory patch of 40 MB
  // would have taken it past 150 MiB.
  struct rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  CHECK(usage.ru_maxrss < 100 * 1024);
  saved.restore_with_git_cli("main");
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "plain"));
  auto restored = saved.restore();
  REQUIRE_MESSAGE(restored.ok(), restored.error().message);
  check_same(wsgit::observe(saved.work), wsgit::observe(saved.dir / "fresh"));
}
