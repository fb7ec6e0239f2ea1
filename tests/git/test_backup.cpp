// Backup: metadata.json as the scripts wrote it, and no work when nothing changed.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <thread>

#include "git/backup.hpp"
#include "git_fixture.hpp"

using wsgit::git_sh;
namespace fs = std::filesystem;

namespace {

struct BackupCase {
  wstest::TempDir dir{"ws-git-backup"};
  std::string origin = wsgit::make_origin(dir.path());
  fs::path work = dir / "work";
  fs::path out = dir / "state" / "work";
  BackupCase() { git_sh("git clone -q '" + origin + "' work", dir.path()); }
  ws::git::BackupResult backup() {
    auto r = ws::git::backup_repo({work, out, {}, false}, ws::Logger());
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
  }
  boost::json::object metadata() {
    return boost::json::parse(wstest::read_file(out / "metadata.json")).as_object();
  }
};

}  // namespace

TEST_CASE("metadata.json records the remote without userinfo, the branch, HEAD and the local branches") {
  BackupCase c;
  git_sh("git remote set-url origin https://x-access-token:ghp_secret@example.com/o/r.git && git branch extra", c.work);
  c.backup();
  auto m = c.metadata();
  CHECK(m["remoteUrl"].as_string() == "https://example.com/o/r.git");
  CHECK(m["currentBranch"].as_string() == "main");
  CHECK(m["headSha"].as_string() == git_sh("git rev-parse HEAD", c.work).substr(0, 40));
  CHECK(boost::json::serialize(m["localBranches"]) == R"(["extra","main"])");
  CHECK(m["backedUpAt"].as_string().size() == 20);
  for (const auto& entry : fs::recursive_directory_iterator(c.dir / "state")) {
    if (entry.is_regular_file()) CHECK(wstest::read_file(entry.path()).find("ghp_secret") == std::string::npos);
  }
}

TEST_CASE("currentBranch is HEAD on a detached HEAD, as git rev-parse --abbrev-ref prints it") {
  BackupCase c;
  git_sh("git checkout -q --detach HEAD~1", c.work);
  c.backup();
  CHECK(c.metadata()["currentBranch"].as_string() ==
        git_sh("git rev-parse --abbrev-ref HEAD", c.work).substr(0, 4));
}

TEST_CASE("a second backup of an unchanged repository rewrites nothing") {
  BackupCase c;
  git_sh("printf 'x\\n' >> README.md && printf 'u\\n' > untracked.txt", c.work);
  CHECK_FALSE(c.backup().unchanged);
  const auto stamp = fs::last_write_time(c.out / "repo.bundle");
  const auto meta = wstest::read_file(c.out / "metadata.json");
  git_sh("git status --porcelain >/dev/null", c.work);  // may refresh the index
  CHECK(c.backup().unchanged);
  CHECK(fs::last_write_time(c.out / "repo.bundle") == stamp);
  CHECK(wstest::read_file(c.out / "metadata.json") == meta);
}

TEST_CASE("any change to work tree, untracked files, index or refs is backed up again") {
  BackupCase c;
  c.backup();
  const char* changes[] = {
      "printf 'edit\\n' >> README.md",          // work tree, tracked
      "printf 'again\\n' >> README.md",         // the same file once more
      "printf 'u\\n' > new.txt",                // untracked
      "git add new.txt",                       // index
      "git commit -q -m c",                    // refs
      "git branch side",                       // a new ref
      "git checkout -q side",                  // HEAD
  };
  for (const char* change : changes) {
    CAPTURE(change);
    git_sh(change, c.work);
    CHECK_FALSE(c.backup().unchanged);
    CHECK(c.backup().unchanged);
  }
}

TEST_CASE("a backup whose files were removed is written again") {
  BackupCase c;
  c.backup();
  fs::remove(c.out / "staged.patch");
  CHECK_FALSE(c.backup().unchanged);
  CHECK(fs::exists(c.out / "staged.patch"));
}

TEST_CASE("two backups into one directory at once both succeed: each writes under its own temporary names") {
  BackupCase c;
  for (int round = 0; round < 20; ++round) {
    std::string errors[2];
    auto backup = [&](int i) {
      auto r = ws::git::backup_repo({c.work, c.out, c.dir / ("fp-" + std::to_string(i)), true}, ws::Logger());
      if (!r) errors[i] = r.error().message;
    };
    {
      std::jthread a(backup, 0);
      std::jthread b(backup, 1);
    }
    CHECK_MESSAGE(errors[0].empty(), errors[0]);
    CHECK_MESSAGE(errors[1].empty(), errors[1]);
  }
  CHECK(fs::exists(c.out / "repo.bundle"));
}

TEST_CASE("temporary files of a killed backup are removed by the next one, a live process's are kept") {
  BackupCase c;
  c.backup();
  wstest::Child sleeper({"sleep", "30"});
  const fs::path orphan = c.out / "repo.bundle.tmp-999999999-0";
  const fs::path live = c.out / ("repo.bundle.tmp-" + std::to_string(sleeper.pid()) + "-0");
  wstest::write_file(orphan, "half a bundle");
  wstest::write_file(live, "being written");
  git_sh("printf 'x\\n' >> README.md", c.work);
  c.backup();
  CHECK_FALSE(fs::exists(orphan));
  CHECK(fs::exists(live));
}
