// The pod simulation: the platform's real pod on this machine. The init
// container's `ambient-workspace hydrate` runs as root; the runner works as
// UID 1001 GID 0 with git's own safety checks on and its identity set
// globally in its HOME; the sidecar `ambient-workspace sync` runs as 1001
// and gets SIGTERM at the end; then a second pod hydrates again and
// everything the runner made must come back byte for byte, with modes,
// owned by 1001:0. Once against s3rver and once against the local store.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "s3rver.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kBucket = "ambient-sessions";
const std::vector<std::string> kAsRunner = {"setpriv", "--reuid", "1001", "--regid", "0", "--clear-groups"};

fs::path cli_path() { return wstest::build_root() / "examples" / "ambient-workspace" / "ambient-workspace"; }

bool skip_unless_root() {
  if (::geteuid() == 0) return false;
  MESSAGE("the pod suite needs root (hydrate runs as root, the runner as 1001): skipped");
  return true;
}

// The runner's environment: its own HOME with its global git identity,
// nothing that relaxes git's ownership check.
wstest::EnvChanges runner_env(const fs::path& home) {
  return {{"HOME", home.string()},          {"GIT_CONFIG_NOSYSTEM", "1"},  {"GIT_CONFIG_GLOBAL", std::nullopt},
          {"GIT_CONFIG_COUNT", std::nullopt}, {"GIT_AUTHOR_NAME", std::nullopt}, {"GIT_AUTHOR_EMAIL", std::nullopt},
          {"GIT_COMMITTER_NAME", std::nullopt}, {"GIT_COMMITTER_EMAIL", std::nullopt},
          {"GIT_TERMINAL_PROMPT", "0"}};
}

wstest::CommandResult as_runner(const std::string& script, const fs::path& cwd, const fs::path& home) {
  std::vector<std::string> argv = kAsRunner;
  for (const auto& a : {"bash", "-euo", "pipefail", "-c"}) argv.emplace_back(a);
  argv.push_back(script);
  return wstest::run(argv, cwd, runner_env(home));
}

void runner_ok(const std::string& script, const fs::path& cwd, const fs::path& home) {
  const auto r = as_runner(script, cwd, home);
  INFO("script: " << script << "\nstdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

// What a pod's workspace holds, as the runner sees it: each repo's branches,
// HEAD, status, staged and unstaged diffs and recent authors; every file's
// bytes and every entry's mode (outside .git, and outside the library's
// own state).
std::string snapshot(const fs::path& ws, const fs::path& home) {
  const auto r = as_runner(R"SH(
    for r in repos/*/; do
      echo "== $r"
      git -C "$r" for-each-ref --format='%(refname) %(objectname)' refs/heads
      git -C "$r" symbolic-ref -q HEAD || git -C "$r" rev-parse HEAD
      git -C "$r" status --porcelain=v1 -uall
      echo "staged $(git -C "$r" diff --cached --binary | sha256sum)"
      echo "unstaged $(git -C "$r" diff --binary | sha256sum)"
      git -C "$r" log -3 --format='%H %an <%ae>'
    done
    trees="repos .claude artifacts file-uploads workflows"
    find $trees -name .git -prune -o -printf '%p %y %m\n' | LC_ALL=C sort
    find $trees -name .git -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  )SH", ws, home);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

// Every entry below the workspace root that is not owned by 1001:0.
std::vector<std::string> not_the_runners(const fs::path& ws) {
  std::vector<std::string> out;
  for (auto it = fs::recursive_directory_iterator(ws); it != fs::recursive_directory_iterator(); ++it) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0 || st.st_uid != 1001 || st.st_gid != 0) {
      out.push_back(fs::relative(it->path(), ws).string() + " " + std::to_string(st.st_uid) + ":" +
                    std::to_string(st.st_gid));
    }
  }
  return out;
}

std::string read_until(const fs::path& log, std::string_view needle, std::chrono::seconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  std::string text;
  while (std::chrono::steady_clock::now() < end) {
    text = fs::exists(log) ? wstest::read_file(log) : "";
    if (text.find(needle) != std::string::npos) return text;
    std::this_thread::sleep_for(50ms);
  }
  return text;
}

void run_pod_simulation(const std::string& endpoint, const fs::path& tmp) {
  // Two repos: app (default main) and legacy, whose default is master while
  // REPOS_JSON asks for main, as the operator's default does.
  const std::string app = wsws::make_origin(tmp / "origins", "app");
  const std::string legacy = wsws::make_origin(tmp / "origins", "legacy");
  wsws::git_sh("git branch -m main master && git symbolic-ref HEAD refs/heads/master",
               tmp / "origins" / "legacy.git");
  const std::string flows = wsws::make_origin(tmp / "origins", "flows");
  const fs::path home = tmp / "home";
  fs::create_directories(home);
  REQUIRE(::chown(home.c_str(), 1001, 0) == 0);
  runner_ok("git config --global user.name 'Runner Person' && git config --global user.email runner@example.com",
            home, home);

  wstest::EnvChanges env = {
      {"SESSION_NAME", "sess-1"}, {"NAMESPACE", "proj"}, {"S3_ENDPOINT", endpoint}, {"S3_BUCKET", kBucket},
      {"AWS_ACCESS_KEY_ID", "S3RVER"}, {"AWS_SECRET_ACCESS_KEY", "S3RVER"}, {"AWS_CA_BUNDLE", std::nullopt},
      {"REPOS_JSON", "[{\"url\":\"" + app + "\",\"branch\":\"main\"},{\"url\":\"" + legacy + "\",\"branch\":\"main\"}]"},
      {"ACTIVE_WORKFLOW_GIT_URL", flows}, {"SYNC_INITIAL_DELAY", "0"}, {"SYNC_INTERVAL", "2"},
      {"REPO_BACKUP_INTERVAL", "1"}, {"HOME", home.string()}};

  // The first pod: init container as root.
  const fs::path ws1 = tmp / "ws1";
  env["WORKSPACE_ROOT"] = ws1.string();
  auto hydrated = wstest::run({cli_path().string(), "hydrate"}, {}, env);
  INFO(hydrated.err);
  REQUIRE(hydrated.exit_code == 0);
  CHECK(not_the_runners(ws1) == std::vector<std::string>{});
  CHECK(as_runner("git -C repos/legacy symbolic-ref --short HEAD", ws1, home).out == "master\n");
  for (const auto& r : {"repos/app", "repos/legacy", "workflows/flows"}) {
    CAPTURE(r);
    CHECK(as_runner("git -C " + std::string(r) + " config --local --get-regexp '^user\\.' || true", ws1, home).out == "");
  }

  // The runner, as 1001:0, with git's safety checks on.
  runner_ok(R"SH(
    cd repos/app
    printf 'edited by the runner\n' >> README.md
    git add README.md && git commit -q -m 'runner edit'
    git checkout -q -b agent/work
    printf 'feature\n' > feature.txt && git add feature.txt && git commit -q -m 'add feature'
    printf 'stashed\n' >> README.md && git stash -q && git stash pop -q
    printf 'staged\n' > staged.txt && git add staged.txt
    printf 'untracked\n' > untracked.txt
    chmod +x feature.txt
    cd ../legacy && printf 'on master\n' >> README.md
    cd ../..
    mkdir -p .claude/projects/p1 && printf '{"turn":1}\n' >> .claude/projects/p1/session.jsonl
    printf '# report\n' > artifacts/report.md && mkdir -p artifacts/deep && head -c 5000 /dev/urandom > artifacts/deep/data.bin
    printf 'uploaded\n' > file-uploads/notes.txt
  )SH", ws1, home);
  CHECK(as_runner("git -C repos/app log -1 --format='%an <%ae>'", ws1, home).out == "Runner Person <runner@example.com>\n");

  // A repo the sidecar did not clone and does not own: root made it (as
  // another user would). The sidecar backs it up all the same, without any
  // safe.directory entry.
  wsws::git_sh("git clone -q " + app + " repos/extra && printf 'mine\\n' > repos/extra/extra.txt", ws1);

  // The sidecar as 1001, until SIGTERM.
  std::vector<std::string> sidecar_argv = kAsRunner;
  sidecar_argv.push_back(cli_path().string());
  sidecar_argv.push_back("sync");
  wstest::Child sidecar(sidecar_argv, {}, env, tmp / "sidecar.log");
  const std::string first = read_until(tmp / "sidecar.log", "sync done", 60s);
  INFO(first);
  REQUIRE(first.find("sync done") != std::string::npos);
  runner_ok(R"SH(printf '{"turn":2}\n' >> .claude/projects/p1/session.jsonl)SH", ws1, home);
  sidecar.signal(SIGTERM);
  CHECK(sidecar.wait(30s) == 0);
  const std::string sidecar_log = wstest::read_file(tmp / "sidecar.log");
  INFO(sidecar_log);
  CHECK(sidecar_log.find("final sync done") != std::string::npos);
  CHECK(sidecar_log.find("backup_failed") == std::string::npos);
  CHECK(sidecar_log.find("backed up repos/extra") != std::string::npos);
  // Only so that the runner's git may read it for the comparison below.
  REQUIRE(wstest::run({"chown", "-R", "1001:0", (ws1 / "repos" / "extra").string()}).exit_code == 0);

  // The second pod.
  const fs::path ws2 = tmp / "ws2";
  env["WORKSPACE_ROOT"] = ws2.string();
  auto again = wstest::run({cli_path().string(), "hydrate"}, {}, env);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(not_the_runners(ws2) == std::vector<std::string>{});
  const std::string before = snapshot(ws1, home);
  const std::string after = snapshot(ws2, home);
  CHECK(before.find("agent/work") != std::string::npos);
  CHECK(before.find("repos/extra/extra.txt") != std::string::npos);
  CHECK(before.find(R"({"turn":2})") == std::string::npos);  // bytes are hashed, not shown
  CHECK(after == before);
  CHECK(wstest::read_file(ws2 / ".claude/projects/p1/session.jsonl") == "{\"turn\":1}\n{\"turn\":2}\n");
  // The runner can keep working in the second pod.
  runner_ok("cd repos/app && printf 'x\\n' >> README.md && git commit -q -am 'second pod' && touch ../../artifacts/new",
            ws2, home);
}

// A temporary directory the runner (1001) can reach.
void reachable(const fs::path& dir) { fs::permissions(dir, fs::perms(0755), fs::perm_options::replace); }

}  // namespace

TEST_CASE("a real pod against s3rver: root hydrate, 1001 runner and sidecar, a second pod gets it all back") {
  if (skip_unless_root()) return;
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp("pod");
  reachable(tmp.path());
  run_pod_simulation(s3.endpoint(), tmp.path());
}

TEST_CASE("a real pod against the local store: root hydrate, 1001 runner and sidecar, a second pod gets it all back") {
  if (skip_unless_root()) return;
  wstest::TempDir tmp("pod");
  reachable(tmp.path());
  const fs::path bucket = tmp / "store" / kBucket;
  fs::create_directories(bucket);
  REQUIRE(::chown((tmp / "store").c_str(), 1001, 0) == 0);
  REQUIRE(::chown(bucket.c_str(), 1001, 0) == 0);
  run_pod_simulation("file://" + (tmp / "store").string(), tmp.path());
}
