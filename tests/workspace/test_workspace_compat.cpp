// Compatibility with the state-sync image's scripts, both ways (behaviour §2):
// the scripts' procedure is replayed with their tools — rclone for S3, the
// git CLI for bundles and patches — against the same s3rver. rclone runs
// with --fast-list (recursive listings): s3rver 3.7.1 mis-answers delimiter
// listings of nested prefixes (TESTING.md), which real S3 does not.
#include <doctest/doctest.h>

#include "s3rver.hpp"
#include "workspace/workspace.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;
using wsws::git_sh;

namespace {

constexpr const char* kBucket = "ambient-sessions";
constexpr const char* kExcludes =
    "--exclude 'repos/**' --exclude 'node_modules/**' --exclude '.venv/**' --exclude '__pycache__/**' "
    "--exclude '.cache/**' --exclude '*.pyc' --exclude 'target/**' --exclude 'dist/**' "
    "--exclude 'build/**' --exclude '.git/**' --exclude 'debug/**'";

wstest::EnvChanges script_env(const wstest::S3rver& s3) {
  auto env = s3.rclone_env();
  for (const auto& [k, v] : wsws::git_env()) env[k] = v;
  return env;
}

void run_script(const std::string& script, const fs::path& cwd, const wstest::S3rver& s3) {
  auto r = wstest::sh(script, cwd, script_env(s3));
  INFO("script:\n" << script << "\nstdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
}

// What the sync script does: bundle + two patches + metadata per repo, then
// rclone sync of the trees and rclone copy of repo-state.
void scripts_save(const fs::path& root, const wstest::S3rver& s3) {
  run_script(std::string(R"SH(
    REMOTE=s3:ambient-sessions/proj/sess-1
    RS=$(mktemp -d)
    for d in repos/*/; do
      name=$(basename "$d"); mkdir -p "$RS/$name"
      ( cd "$d"
        git bundle create "$RS/$name/repo.bundle" --all 2>/dev/null
        git diff HEAD > "$RS/$name/uncommitted.patch"
        git diff --cached > "$RS/$name/staged.patch"
        branches=$(git for-each-ref --format='"%(refname:short)"' refs/heads | paste -sd, -)
        printf '{"remoteUrl":"%s","currentBranch":"%s","headSha":"%s","localBranches":[%s],"backedUpAt":"%s"}\n' \
          "$(git remote get-url origin)" "$(git rev-parse --abbrev-ref HEAD)" "$(git rev-parse HEAD)" \
          "$branches" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$RS/$name/metadata.json" )
    done
    for tree in .claude artifacts file-uploads; do
      mkdir -p "$tree"
      rclone sync --fast-list --checksum )SH") + kExcludes + R"SH( "$tree" "$REMOTE/$tree"
    done
    rclone copy "$RS" "$REMOTE/repo-state"
    rm -rf "$RS"
  )SH", root, s3);
}

// What the hydrate script does: rclone copy of the trees, clone, then per
// repo-state: fetch the bundle's branches, check out, git apply both patches.
void scripts_hydrate(const fs::path& root, const std::string& repo_url, const wstest::S3rver& s3) {
  fs::create_directories(root / "repos");
  run_script(R"SH(
    REMOTE=s3:ambient-sessions/proj/sess-1
    for tree in .claude artifacts file-uploads; do rclone copy --fast-list "$REMOTE/$tree" "$tree"; done
    git clone -q ")SH" + repo_url + R"SH(" repos/app
    RS=$(mktemp -d)
    rclone copy --fast-list "$REMOTE/repo-state" "$RS"
    for d in "$RS"/*/; do
      name=$(basename "$d")
      branch=$(sed -E 's/.*"currentBranch":"([^"]*)".*/\1/' "$d/metadata.json")
      ( cd "repos/$name"
        git fetch -q --update-head-ok "$d/repo.bundle" '+refs/heads/*:refs/heads/*'
        git checkout -q -f "$branch"
        if [ -s "$d/uncommitted.patch" ]; then git apply "$d/uncommitted.patch"; fi
        if [ -s "$d/staged.patch" ]; then git apply --cached "$d/staged.patch"; fi )
    done
    rm -rf "$RS"
  )SH", root, s3);
}

}  // namespace

TEST_CASE("state saved by the library hydrates with the scripts' rclone and plain git apply") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const auto cfg = wsws::session_config(tmp / "ws1", s3.endpoint(), kBucket,
                                        {{"REPOS_JSON", "[{\"url\":\"" + app + "\"}]"}});
  REQUIRE(ws::workspace::hydrate(cfg, {}, {}));
  wsws::agent_changes(tmp / "ws1" / "repos" / "app");
  wsws::agent_files(tmp / "ws1", "lib-wrote");
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(engine);
  auto cycle = (*engine)->run_cycle(true);
  REQUIRE_MESSAGE(cycle, (cycle ? "" : cycle.error().message));

  scripts_hydrate(tmp / "ws2", app, s3);
  // The library's patches are binary-safe and carry untracked files, and
  // still apply with plain `git apply`: the scripts get everything back.
  const auto before = wsws::snapshot_workspace(tmp / "ws1");
  const auto after = wsws::snapshot_workspace(tmp / "ws2");
  CHECK_MESSAGE(before == after, wsws::describe_difference(before, after));
}

TEST_CASE("state saved by the scripts hydrates with the library") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const fs::path ws1 = tmp / "ws1";
  fs::create_directories(ws1 / "repos");
  git_sh("git clone -q " + app + " repos/app", ws1);
  // Text-only changes: the scripts' patches lose binary changes and
  // untracked files, which is what the library does better.
  git_sh(R"(
    git checkout -q -b agent/work
    printf 'feature\n' > feature.txt && git add feature.txt && git commit -q -m 'add feature'
    printf 'staged\n' >> README.md && git add README.md
    printf 'unstaged on top\n' >> README.md
    git rm -q old.txt
  )", ws1 / "repos" / "app");
  wsws::agent_files(ws1, "scripts-wrote");
  scripts_save(ws1, s3);

  const auto cfg = wsws::session_config(tmp / "ws2", s3.endpoint(), kBucket,
                                        {{"REPOS_JSON", "[{\"url\":\"" + app + "\"}]"}});
  auto r = ws::workspace::hydrate(cfg, {}, {});
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(r->repos_restored == 1);
  const auto before = wsws::snapshot_workspace(ws1);
  const auto after = wsws::snapshot_workspace(tmp / "ws2");
  CHECK_MESSAGE(before == after, wsws::describe_difference(before, after));
}

TEST_CASE("the library's next save over the scripts' state keeps the scripts' set as fallback") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const fs::path ws1 = tmp / "ws1";
  fs::create_directories(ws1 / "repos");
  git_sh("git clone -q " + app + " repos/app && cd repos/app && git checkout -q -b old-scripts", ws1);
  scripts_save(ws1, s3);
  const auto cfg = wsws::session_config(ws1, s3.endpoint(), kBucket);
  git_sh("git checkout -q -b library-now && printf 'x\\n' >> README.md", ws1 / "repos" / "app");
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(engine);
  REQUIRE((*engine)->run_cycle(true));
  // Adopted, then replaced: the manifest names the new set.
  const auto out = wstest::run({"rclone", "cat", "s3:ambient-sessions/proj/sess-1/repo-state/app/metadata.json"},
                               {}, s3.rclone_env());
  CHECK(out.out.find("library-now") != std::string::npos);
  const auto ls = wstest::run({"rclone", "lsf", "-R", "s3:ambient-sessions/proj/sess-1/repo-state/app"}, {},
                              s3.rclone_env());
  CHECK(ls.out.find("libworkspace-set.json") != std::string::npos);
  CHECK(ls.out.find(".pending") == std::string::npos);
}
