// `ambient-workspace store ls|sync|copy` as a user runs them, against the
// local-directory store (file://) and an unreachable S3 endpoint.
#include <doctest/doctest.h>

#include <algorithm>

#include "support.hpp"

namespace fs = std::filesystem;

namespace {

std::string cli() { return (wstest::build_root() / "examples/ambient-workspace/ambient-workspace").string(); }

wstest::CommandResult store(std::vector<std::string> args, const wstest::EnvChanges& env = {}) {
  args.insert(args.begin(), {cli(), "store"});
  return wstest::run(args, {}, env);
}

}  // namespace

TEST_CASE("store sync, ls and copy round-trip a tree through a file:// remote") {
  wstest::TempDir t("storecli");
  wstest::write_file(t / "src/a.txt", "alpha");
  wstest::write_file(t / "src/d/b.txt", "bravo");
  wstest::write_file(t / "src/node_modules/x.js", "excluded");
  fs::create_directories(t / "objects/bucket");
  const std::string remote = "file://" + (t / "objects/bucket/ns/s1").string();

  const auto up = store({"sync", (t / "src").string(), remote, "--state-db", (t / "sync.db").string()});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(up.out.find("uploaded 2 files") != std::string::npos);
  CHECK(fs::exists(t / "objects/bucket/ns/s1/d/b.txt"));

  const auto again = store({"sync", (t / "src").string(), remote, "--state-db", (t / "sync.db").string()});
  REQUIRE(again.exit_code == 0);
  CHECK(again.out.find("uploaded 0 files (0 bytes), 2 unchanged") != std::string::npos);

  const auto ls = store({"ls", remote});
  REQUIRE(ls.exit_code == 0);
  CHECK(ls.out.find("  a.txt\n") != std::string::npos);  // relative to the remote
  CHECK(ls.out.find("  d/b.txt\n") != std::string::npos);
  CHECK(ls.out.find("ns/s1") == std::string::npos);
  CHECK(ls.out.find("node_modules") == std::string::npos);
  const auto ls_json = store({"ls", "--json", remote});
  REQUIRE(ls_json.exit_code == 0);
  CHECK(ls_json.out == "[{\"Path\":\"a.txt\",\"Size\":5,\"Hashes\":{\"md5\":\"2c1743a391305fbf367df8e4f069f9f9\"}},"
                       "{\"Path\":\"d/b.txt\",\"Size\":5,\"Hashes\":{\"md5\":\"fd9ab41e47a9ef4f6477a8a000bf404f\"}}]\n");

  const auto down = store({"copy", remote, (t / "dst").string()});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK(wstest::read_file(t / "dst/d/b.txt") == "bravo");
}

TEST_CASE("store commands: usage errors exit 2, runtime failures exit 1") {
  wstest::TempDir t("storecli");
  fs::create_directories(t / "objects/bucket");
  const std::string remote = "file://" + (t / "objects/bucket/p").string();
  CHECK(store({"sync", (t / "missing").string(), remote}).exit_code == 1);
  CHECK(store({"sync", (t / "x").string(), "ftp://host/b"}).exit_code == 2);
  CHECK(store({"copy", remote}).exit_code == 2);
  CHECK(store({"sync", "a", remote, "--parallel", "zero"}).exit_code == 2);
  const auto help = store({"sync", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("examples:") != std::string::npos);
}

TEST_CASE("a failing S3 remote never prints the secret key") {
  const auto r = store({"ls", "s3://bucket/prefix"}, {{"S3_ENDPOINT", "http://127.0.0.1:1"},
                                                       {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                                       {"AWS_SECRET_ACCESS_KEY", "s3cr3t-value-never-shown"}});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("s3cr3t-value-never-shown") == std::string::npos);
  CHECK(r.out.find("s3cr3t-value-never-shown") == std::string::npos);
}

namespace {

// Uploads `src` to a fresh file:// remote with `extra` flags; returns the
// keys that landed, relative to the remote, sorted.
std::vector<std::string> synced_with(const wstest::TempDir& t, const std::string& name,
                                     std::vector<std::string> extra, int expect_exit = 0) {
  const fs::path bucket = t / ("objects-" + name) / "bucket";
  fs::create_directories(bucket);
  std::vector<std::string> args{"sync", (t / "src").string(), "file://" + (bucket / "p").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = store(args);
  CHECK_MESSAGE(r.exit_code == expect_exit, name << ": " << r.err);
  std::vector<std::string> keys;
  if (fs::exists(bucket / "p")) {
    for (const auto& e : fs::recursive_directory_iterator(bucket / "p")) {
      if (e.is_regular_file()) keys.push_back(fs::relative(e.path(), bucket / "p").string());
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

TEST_CASE("store sync: every --exclude counts, and filters keep rclone's order and meaning") {
  wstest::TempDir t("storecli");
  wstest::write_file(t / "src/a.log", "log");
  wstest::write_file(t / "src/b.tmp", "tmp");
  wstest::write_file(t / "src/c.txt", "txt");
  wstest::write_file(t / "src/d/keep.log", "nested log");
  using V = std::vector<std::string>;

  // The reported bug: the second --exclude replaced the first.
  CHECK(synced_with(t, "two-excludes", {"--exclude", "*.log", "--exclude", "*.tmp"}) == V{"c.txt"});
  // --include syncs only what it names; includes come before excludes.
  CHECK(synced_with(t, "include", {"--include", "*.log"}) == V{"a.log", "d/keep.log"});
  CHECK(synced_with(t, "include-exclude", {"--exclude", "d/**", "--include", "*.log"}) ==
        V{"a.log", "d/keep.log"});
  // --filter rules apply in the order given: the first match decides.
  CHECK(synced_with(t, "filter", {"--filter", "+ d/keep.log", "--filter", "- *.log"}) ==
        V{"b.tmp", "c.txt", "d/keep.log"});
  // --exclude-from reads one pattern per line, skipping comments and blanks.
  wstest::write_file(t / "excl", "# scratch files\n*.tmp\n\n  *.log  \n");
  CHECK(synced_with(t, "exclude-from", {"--exclude-from", (t / "excl").string()}) == V{"c.txt"});

  CHECK(synced_with(t, "bad-rule", {"--filter", "*.log"}, 2).empty());
  CHECK(synced_with(t, "missing-file", {"--exclude-from", (t / "nope").string()}, 2).empty());
  // An option that cannot repeat says so instead of keeping the last value.
  const auto twice = store({"sync", (t / "src").string(), "file://" + (t / "x").string(), "--parallel", "2",
                            "--parallel", "3"});
  CHECK(twice.exit_code == 2);
  CHECK(twice.err.find("'--parallel' is given more than once") != std::string::npos);
}

TEST_CASE("store sync --max-size reads rclone's suffixes and refuses anything else") {
  wstest::TempDir t("storecli");
  wstest::write_file(t / "src/small.bin", std::string(1000, 's'));
  wstest::write_file(t / "src/big.bin", std::string(3000, 'b'));
  using V = std::vector<std::string>;
  CHECK(synced_with(t, "1G", {"--max-size", "1G"}) == V{"big.bin", "small.bin"});
  CHECK(synced_with(t, "2k", {"--max-size", "2k"}) == V{"small.bin"});
  CHECK(synced_with(t, "2KiB", {"--max-size", "2KiB"}) == V{"small.bin"});
  CHECK(synced_with(t, "bytes", {"--max-size", "2999"}) == V{"small.bin"});
  CHECK(synced_with(t, "0.003M", {"--max-size", "0.003M"}) == V{"big.bin", "small.bin"});
  for (const char* bad : {"-5", "1X", "", "G", "1.G", "99999999999999999999"}) {
    const auto r = store({"sync", (t / "src").string(), "file://" + (t / "y").string(), "--max-size", bad});
    CHECK_MESSAGE(r.exit_code == 2, bad);
    CHECK_MESSAGE(r.err.find("--max-size: '" + std::string(bad) + "' is not a size") != std::string::npos, r.err);
  }
}

TEST_CASE("store sync -n and store copy --dry-run name every file they would transfer or delete") {
  wstest::TempDir t("storecli");
  wstest::write_file(t / "src/new.txt", "new");
  fs::create_directories(t / "objects/bucket/p");
  wstest::write_file(t / "objects/bucket/p/gone.txt", "stale");
  const std::string remote = "file://" + (t / "objects/bucket/p").string();
  const auto up = store({"sync", "-n", (t / "src").string(), remote});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK_MESSAGE(up.err.find("would upload new.txt (3 bytes)") != std::string::npos, up.err);
  CHECK_MESSAGE(up.err.find("would delete gone.txt") != std::string::npos, up.err);
  CHECK(fs::exists(t / "objects/bucket/p/gone.txt"));
  CHECK_FALSE(fs::exists(t / "objects/bucket/p/new.txt"));

  const auto down = store({"copy", "--dry-run", remote, (t / "dst").string()});
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  CHECK_MESSAGE(down.err.find("would download gone.txt (5 bytes)") != std::string::npos, down.err);
  CHECK_FALSE(fs::exists(t / "dst/gone.txt"));
}

TEST_CASE("help for a command group lists its commands; --version prints the version") {
  const auto group = wstest::run({cli(), "store", "--help"});
  CHECK(group.exit_code == 0);
  CHECK(group.out.find("store sync") != std::string::npos);
  CHECK(group.out.find("store copy") != std::string::npos);
  CHECK(wstest::run({cli(), "help", "store"}).out == group.out);
  const auto bare = wstest::run({cli(), "repo"});
  CHECK(bare.exit_code == 2);
  CHECK(bare.out.find("repo backup") != std::string::npos);
  const auto wrong = wstest::run({cli(), "store", "sink"});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err.find("unknown command 'store sink'") != std::string::npos);
  CHECK(wstest::run({cli(), "help", "store", "sync"}).out.find("usage: ambient-workspace store sync") == 0);
  const auto v = wstest::run({cli(), "--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.starts_with("ambient-workspace "));
}

TEST_CASE("file:///DIR is the directory of the objects: sync creates it, ls and copy read below it") {
  wstest::TempDir t("storecli");
  wstest::write_file(t / "src/a.txt", "alpha");
  // The reported failure: a destination that did not exist yet ("no bucket 'newdir'").
  const std::string remote = "file://" + (t / "data/newdir/sub").string();
  const auto up = store({"sync", (t / "src").string(), remote});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  CHECK(wstest::read_file(t / "data/newdir/sub/a.txt") == "alpha");
  const auto ls = store({"ls", "file://" + (t / "data/newdir").string()});
  REQUIRE_MESSAGE(ls.exit_code == 0, ls.err);
  CHECK(ls.out.find("  sub/a.txt\n") != std::string::npos);
  CHECK(store({"ls", "file:///"}).exit_code == 2);
  const auto missing = store({"copy", "file://" + (t / "nothing-here").string(), (t / "dst").string()});
  CHECK(missing.exit_code == 1);
  CHECK_MESSAGE(missing.err.find((t / "nothing-here").string()) != std::string::npos, missing.err);
}
