// Two syncs on one workspace at once (issue 14, row 11): the second stops
// with a message naming the lock file and its holder, and no run ever fails
// on the other's temporary files.
#include <doctest/doctest.h>
#include <sys/file.h>
#include <unistd.h>

#include <thread>

#include "workspace/workspace.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kBucket = "b";

struct Workspace {
  wstest::TempDir tmp{"ws-sync-lock"};
  fs::path root = tmp / "ws";
  fs::path store = tmp / "store";
  std::string origin = wsws::make_origin(tmp / "origins", "app");

  Workspace() {
    fs::create_directories(store / kBucket);
    auto r = ws::workspace::hydrate(wsws::session_config(root, "file://" + store.string(), kBucket,
                                                         {{"REPOS_JSON", "[{\"url\":\"" + origin + "\"}]"}}),
                                    {}, {});
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  }
  wstest::CommandResult sync_once() const {
    return wstest::run({(wstest::build_root() / "examples/ambient-workspace/ambient-workspace").string(), "sync",
                        "--once"},
                       {},
                       {{"WORKSPACE_ROOT", root.string()}, {"SESSION_NAME", "sess-1"}, {"NAMESPACE", "proj"},
                        {"S3_ENDPOINT", "file://" + store.string()}, {"S3_BUCKET", kBucket},
                        {"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}, {"REPOS_JSON", std::nullopt}});
  }
};

}  // namespace

TEST_CASE("sync --once while another sync holds the workspace exits 1 naming the lock file and its pid") {
  Workspace w;
  const fs::path lock_path = w.root / ".libworkspace" / "sync.lock";
  {
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT, 0666);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    const std::string pid = std::to_string(::getpid()) + "\n";
    REQUIRE(::pwrite(fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size()));
    const auto r = w.sync_once();
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find("another sync holds " + lock_path.string() + " (pid " + std::to_string(::getpid()) +
                             ")") != std::string::npos,
                  r.err);
    ::close(fd);
  }
  const auto after = w.sync_once();
  CHECK_MESSAGE(after.exit_code == 0, after.err);
}

TEST_CASE("two sync --once at once on one workspace: each completes or names the other, none fails otherwise") {
  Workspace w;
  int completed = 0;
  for (int round = 0; round < 8; ++round) {
    CAPTURE(round);
    // A change, so that both runs have a repo backup to write.
    wsws::git_sh("printf 'round " + std::to_string(round) + "\\n' >> README.md", w.root / "repos" / "app");
    wstest::CommandResult a, b;
    {
      std::jthread ta([&] { a = w.sync_once(); });
      std::jthread tb([&] { b = w.sync_once(); });
    }
    for (const auto* r : {&a, &b}) {
      if (r->exit_code == 0) {
        ++completed;
        continue;
      }
      CHECK(r->exit_code == 1);
      CHECK_MESSAGE(r->err.find("another sync holds") != std::string::npos, r->err);
    }
  }
  CHECK(completed >= 8);
}
