// `ambient-workspace store ls|sync|copy` as a user runs them, against the
// local-directory store (file://) and an unreachable S3 endpoint.
#include <doctest/doctest.h>

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
  CHECK(ls.out.find("ns/s1/a.txt") != std::string::npos);
  CHECK(ls.out.find("ns/s1/d/b.txt") != std::string::npos);
  CHECK(ls.out.find("node_modules") == std::string::npos);

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
