// Restoring state an attacker wrote (issue 14, row 1): whatever the saved
// patches say, nothing is created, overwritten or deleted outside the work
// tree; each refused change is reported by its path and the rest applies.
#include <doctest/doctest.h>

#include <algorithm>

#include "git/rejected_patch.hpp"
#include "git/restore.hpp"
#include "git_fixture.hpp"
#include "hostile_state.hpp"

using wsgit::git_sh;
using wsgit::HostileState;
namespace fs = std::filesystem;

namespace {

struct Restored {
  ws::Result<ws::git::RestoreResult> result;
  std::vector<std::string> warnings;

  bool warned_about(const std::string& path) const {
    return std::any_of(warnings.begin(), warnings.end(),
                       [&](const std::string& w) { return w.find(path) != std::string::npos; });
  }
  bool rejected(const std::string& path) const {
    const auto& r = result->rejected_worktree;
    return std::find(r.begin(), r.end(), path) != r.end();
  }
};

// Restores the hostile state into a fresh clone of its origin, as hydrate does.
Restored restore_fresh_clone(const HostileState& h) {
  git_sh("rm -rf fresh && git clone -q '" + h.origin + "' fresh", h.dir.path());
  Restored out{ws::Error(), {}};
  ws::git::RestoreOptions opts;
  opts.state_dir = h.state;
  opts.repo = h.dir / "fresh";
  out.result = ws::git::restore_repo(opts, ws::Logger([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) out.warnings.emplace_back(e.message);
  }));
  REQUIRE_MESSAGE(out.result.ok(), out.result.error().message);
  return out;
}

}  // namespace

TEST_CASE("a saved file under a symlink to outside the repo is not created there") {
  HostileState h;
  h.set_uncommitted_patch(HostileState::create_patch());
  const auto r = restore_fresh_clone(h);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  CHECK_FALSE(fs::exists(h.victim / "pwned.sh"));
  CHECK(r.rejected("cache/pwned.sh"));
  CHECK(r.warned_about("cache/pwned.sh"));
}

TEST_CASE("a saved rename onto a file under a symlink to outside the repo overwrites nothing there") {
  HostileState h;
  SUBCASE("a regular file") { h.set_uncommitted_patch(HostileState::rename_file_patch()); }
  SUBCASE("a symbolic link (replayed by the library itself)") {
    h.set_uncommitted_patch(HostileState::rename_link_patch());
  }
  const auto r = restore_fresh_clone(h);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  CHECK(r.rejected("cache/existing.txt"));
  CHECK(r.warned_about("cache/existing.txt"));
  // The rename is refused whole: its source stays where it was.
  CHECK(fs::exists(fs::symlink_status(h.dir / "fresh" / "notes.txt")));
  CHECK(fs::is_symlink(h.dir / "fresh" / "link.txt"));
}

TEST_CASE("a saved deletion of a file under a symlink to outside the repo deletes nothing there") {
  HostileState h;
  h.set_uncommitted_patch(HostileState::delete_patch());
  const auto r = restore_fresh_clone(h);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  CHECK(r.rejected("cache/victim.txt"));
  CHECK(r.warned_about("cache/victim.txt"));
}

TEST_CASE("the three attacks in one patch all fail, and a harmless change beside them applies") {
  HostileState h;
  h.set_uncommitted_patch(HostileState::all_patches() +
                          "diff --git a/notes.txt b/notes.txt\n"
                          "--- a/notes.txt\n"
                          "+++ b/notes.txt\n"
                          "@@ -1 +1,2 @@\n"
                          " notes\n"
                          "+more notes\n");
  const auto r = restore_fresh_clone(h);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  CHECK(r.rejected("cache/pwned.sh"));
  CHECK(r.rejected("cache/existing.txt"));
  CHECK(r.rejected("cache/victim.txt"));
  CHECK(wstest::read_file(h.dir / "fresh" / "notes.txt") == "notes\nmore notes\n");
}

TEST_CASE("a patch that makes a symlink and writes below it in the same go writes nothing outside") {
  HostileState h;
  std::string link = "out";
  SUBCASE("at the top") {}
  SUBCASE("in directories the patch creates") { link = "new/dirs/out"; }
  h.set_uncommitted_patch("diff --git a/" + link + " b/" + link + "\n"
                          "new file mode 120000\n"
                          "--- /dev/null\n"
                          "+++ b/" + link + "\n"
                          "@@ -0,0 +1 @@\n"
                          "+" + h.victim.string() + "\n"
                          "\\ No newline at end of file\n"
                          "diff --git a/" + link + "/planted.txt b/" + link + "/planted.txt\n"
                          "new file mode 100644\n"
                          "--- /dev/null\n"
                          "+++ b/" + link + "/planted.txt\n"
                          "@@ -0,0 +1 @@\n"
                          "+planted\n");
  const auto r = restore_fresh_clone(h);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  CHECK(r.rejected(link + "/planted.txt"));
  CHECK(r.warned_about(link + "/planted.txt"));
}

TEST_CASE("a patch that deletes the link and makes a directory in its place writes inside the repo only") {
  // What an agent's `rm cache && mkdir cache` saves (a type change, issue 11):
  // applied whole, libgit2 removes the link before it writes below it.
  HostileState h;
  h.set_uncommitted_patch("diff --git a/cache b/cache\n"
                          "deleted file mode 120000\n"
                          "--- a/cache\n"
                          "+++ /dev/null\n"
                          "@@ -1 +0,0 @@\n"
                          "-" + h.victim.string() + "\n"
                          "\\ No newline at end of file\n" +
                          HostileState::create_patch());
  const auto r = restore_fresh_clone(h);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  CHECK_FALSE(fs::exists(h.victim / "pwned.sh"));
  CHECK_FALSE(fs::is_symlink(h.dir / "fresh" / "cache"));
  CHECK(fs::is_regular_file(fs::symlink_status(h.dir / "fresh" / "cache" / "pwned.sh")));
  CHECK(r.result->rejected_worktree.empty());
}

TEST_CASE("saved changes to .git/, to .. paths and to absolute paths are refused and reported") {
  HostileState h;
  std::string patch;
  for (const std::string path : {".git/hooks/post-checkout", ".GIT/config", "sub/.git/x", "../escape.txt",
                                 "a/../../escape2.txt"}) {
    patch += "diff --git a/" + path + " b/" + path + "\n"
             "new file mode 100755\n"
             "--- /dev/null\n"
             "+++ b/" + path + "\n"
             "@@ -0,0 +1 @@\n"
             "+#!/bin/sh\n";
  }
  bool staged = false;
  SUBCASE("in the work-tree patch") { h.set_uncommitted_patch(patch); }
  SUBCASE("in the staged patch") {
    staged = true;
    wstest::write_file(h.state / "staged.patch", patch);
  }
  git_sh("rm -rf fresh && git clone -q '" + h.origin + "' fresh", h.dir.path());
  std::vector<std::string> warnings;
  ws::git::RestoreOptions opts;
  opts.state_dir = h.state;
  opts.repo = h.dir / "fresh";
  auto r = ws::git::restore_repo(opts, ws::Logger([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.message);
  }));
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK_FALSE(fs::exists(h.dir / "fresh" / ".git" / "hooks" / "post-checkout"));
  CHECK_FALSE(fs::exists(h.dir / "escape.txt"));
  CHECK_FALSE(fs::exists(h.dir / "escape2.txt"));
  CHECK(git_sh("git config --list --local", h.dir / "fresh").find("#!/bin/sh") == std::string::npos);
  CHECK((staged ? r->rejected_index : r->rejected_worktree).size() == 5);
  CHECK(git_sh("git ls-files", h.dir / "fresh").find("escape") == std::string::npos);
}

TEST_CASE("repo restore from the command line refuses the attack, names the paths and exits 1") {
  HostileState h;
  h.set_uncommitted_patch(HostileState::all_patches());
  git_sh("git clone -q '" + h.origin + "' fresh", h.dir.path());
  auto r = wstest::run({(wstest::build_root() / "examples/ambient-workspace/ambient-workspace").string(),
                        "repo", "restore", h.state.string(), (h.dir / "fresh").string()});
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(h.victim_untouched(), h.victim_listing());
  for (const char* path : {"cache/pwned.sh", "cache/existing.txt", "cache/victim.txt"}) {
    CHECK_MESSAGE(r.err.find(path) != std::string::npos, r.err);
  }
}

TEST_CASE("a saved change that does not apply is kept in .git/libworkspace with the whole saved patch") {
  HostileState h;
  const std::string patch = "diff --git a/gone.txt b/gone.txt\n"
                            "--- a/gone.txt\n"
                            "+++ b/gone.txt\n"
                            "@@ -1 +1 @@\n"
                            "-old\n"
                            "+new\n";
  h.set_uncommitted_patch(patch);
  const auto r = restore_fresh_clone(h);
  CHECK(r.rejected("gone.txt"));
  REQUIRE(r.result->kept_patches.size() == 1);
  const fs::path kept = r.result->kept_patches[0];
  CHECK(kept.parent_path() == h.dir / "fresh" / ".git" / "libworkspace");
  CHECK(kept.filename().string().rfind("rejected-", 0) == 0);
  const std::string text = wstest::read_file(kept);
  CHECK(text.find("#   gone.txt\n") != std::string::npos);
  CHECK(text.substr(text.size() - patch.size()) == patch);
  // git apply reads it as the saved patch (the header is skipped).
  CHECK(wstest::sh("git apply --check --include=gone.txt '" + kept.string() + "'", h.dir / "fresh").err.find(
            "gone.txt") != std::string::npos);
}

TEST_CASE("kept patches never overwrite each other") {
  wstest::TempDir dir("ws-git-kept");
  wstest::write_file(dir / "saved.patch", "diff --git a/x b/x\n");
  auto first = ws::git::keep_rejected_patch(dir / "kept", dir / "saved.patch", ws::git::SavedPatch::worktree, {"x"});
  auto second = ws::git::keep_rejected_patch(dir / "kept", dir / "saved.patch", ws::git::SavedPatch::worktree, {"x"});
  auto staged = ws::git::keep_rejected_patch(dir / "kept", dir / "saved.patch", ws::git::SavedPatch::staged, {"x"});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(staged.ok());
  CHECK(*first != *second);
  CHECK(staged->filename().string().find(".staged.patch") != std::string::npos);
  CHECK(fs::exists(*first));
  CHECK(fs::exists(*second));
}
