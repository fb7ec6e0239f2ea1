// The tree sync against Ceph RGW, which verifies every signature: trees
// whose names need every kind of percent-encoding go up and come down
// intact, multipart included, and rclone (the scripts' client) agrees
// byte for byte with what the library wrote and wrote what it reads. The
// CLI's `store sync` / `store copy` run once too, as an operator would.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <random>

#include "rgw.hpp"
#include "store/store.hpp"
#include "support.hpp"
#include "sync/sync.hpp"

namespace fs = std::filesystem;
using namespace ws;
using namespace ws::sync;

namespace {

constexpr const char* kBucket = "test-bucket";

std::unique_ptr<store::Store> rgw_store() {
  store::StoreConfig cfg;
  cfg.endpoint = wstest::Rgw::shared().endpoint();
  cfg.bucket = kBucket;
  cfg.access_key = wstest::Rgw::kAccessKey;
  cfg.secret_key = wstest::Rgw::kSecretKey;
  cfg.multipart_threshold = 8ull << 20;
  cfg.part_size = 5ull << 20;
  auto s = store::open_store(cfg);
  REQUIRE(s.ok());
  return std::move(*s);
}

wstest::CommandResult rclone(std::vector<std::string> args) {
  args.insert(args.begin(), "rclone");
  return wstest::run(args, {}, wstest::Rgw::shared().rclone_env());
}

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

void set_mtime(const fs::path& p, int64_t sec, long nsec) {
  struct timespec ts[2] = {{sec, nsec}, {sec, nsec}};
  REQUIRE(utimensat(AT_FDCWD, p.c_str(), ts, 0) == 0);
}

int64_t mtime_sec(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mtim.tv_sec;
}

// Directories and files named with spaces, accents, + ~ # % ? & ; [ ] and
// emoji, and one file large enough for a multipart upload.
void make_odd_tree(const fs::path& root) {
  const std::vector<std::string> names = {
      "with space/file name.txt", "accents/é à ü ñ/naïve café.md", "plus+sign/a+b.txt", "tilde~/~x~",
      "hash#/#tag#", "per%cent/100%25 %.txt", "question?/why?.txt", "amp&/a&b=c.txt", "semi;colon/x;y",
      "[brackets]/[0] [1].json", "emoji 🚀/😀 smile.bin", "all/ +~#%?&;[]é🚀.txt",
  };
  unsigned seed = 1;
  for (const auto& n : names) {
    wstest::write_file(root / n, random_bytes(500 + seed * 91, seed));
    ++seed;
  }
  wstest::write_file(root / "big #1 é+.bin", random_bytes(11 << 20, 99));
  set_mtime(root / "big #1 é+.bin", 1500000000, 500000000);
  set_mtime(root / "all/ +~#%?&;[]é🚀.txt", 1400000000, 0);
}

size_t file_count(const fs::path& root) {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) n += e.is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("an odd-named tree mirrors up to RGW and rclone check --download finds it identical") {
  wstest::TempDir t("syncrgw");
  make_odd_tree(t / "src");
  auto st = rgw_store();
  auto up = mirror_up(*st, t / "src", "up/s/artifacts");
  REQUIRE(up.ok());
  CHECK(up->ok());
  CHECK(up->transferred == file_count(t / "src"));

  const auto check = rclone({"check", "--download", (t / "src").string(), "s3:test-bucket/up/s/artifacts"});
  CHECK_MESSAGE(check.exit_code == 0, check.err);
  const auto lsjson = rclone({"lsjson", "s3:test-bucket/up/s/artifacts/all"});
  REQUIRE(lsjson.exit_code == 0);
  CHECK_MESSAGE(lsjson.out.find("\"ModTime\":\"2014-05-13T16:53:20") != std::string::npos, lsjson.out);

  // And back down: the same bytes and mtimes, and a second mirror has nothing to do.
  auto down = copy_down(*st, "up/s/artifacts", t / "dst");
  REQUIRE(down.ok());
  CHECK(down->ok());
  const auto diff = wstest::run({"diff", "-r", (t / "src").string(), (t / "dst").string()});
  CHECK_MESSAGE(diff.exit_code == 0, diff.out);
  CHECK(mtime_sec(t / "dst/big #1 é+.bin") == 1500000000);
  auto again = mirror_up(*st, t / "src", "up/s/artifacts");
  REQUIRE(again.ok());
  CHECK(again->transferred == 0);
  CHECK(again->deleted == 0);
}

TEST_CASE("an odd-named tree rclone wrote to RGW copies down identically and rclone check --download agrees") {
  wstest::TempDir t("syncrgw");
  make_odd_tree(t / "src");
  const auto put = rclone({"copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", (t / "src").string(),
                           "s3:test-bucket/rc/s/state"});
  REQUIRE_MESSAGE(put.exit_code == 0, put.err);

  auto st = rgw_store();
  auto down = copy_down(*st, "rc/s/state", t / "dst");
  REQUIRE(down.ok());
  CHECK(down->ok());
  CHECK(down->transferred == file_count(t / "src"));
  const auto diff = wstest::run({"diff", "-r", (t / "src").string(), (t / "dst").string()});
  CHECK_MESSAGE(diff.exit_code == 0, diff.out);
  CHECK(mtime_sec(t / "dst/big #1 é+.bin") == 1500000000);
  CHECK(mtime_sec(t / "dst/all/ +~#%?&;[]é🚀.txt") == 1400000000);
  const auto check = rclone({"check", "--download", (t / "dst").string(), "s3:test-bucket/rc/s/state"});
  CHECK_MESSAGE(check.exit_code == 0, check.err);

  // What rclone wrote, multipart included, is what we would have written.
  MirrorOptions mo;
  mo.excludes.clear();
  mo.verify_every = 1;
  auto again = mirror_up(*st, t / "dst", "rc/s/state", mo);
  REQUIRE(again.ok());
  CHECK(again->transferred == 0);
  CHECK(again->unchanged == file_count(t / "src"));
}

TEST_CASE("a deleted odd-named file is deleted on RGW by the next mirror") {
  wstest::TempDir t("syncrgw");
  make_odd_tree(t / "src");
  auto st = rgw_store();
  REQUIRE(mirror_up(*st, t / "src", "del/s")->ok());
  fs::remove(t / "src/all/ +~#%?&;[]é🚀.txt");
  fs::remove(t / "src/[brackets]/[0] [1].json");
  auto del = mirror_up(*st, t / "src", "del/s");
  REQUIRE(del.ok());
  CHECK(del->ok());
  CHECK(del->deleted == 2);
  const auto check = rclone({"check", "--download", (t / "src").string(), "s3:test-bucket/del/s"});
  CHECK_MESSAGE(check.exit_code == 0, check.err);
}

TEST_CASE("the CLI's store sync and store copy work on RGW; a wrong secret exits 1 with advice") {
  wstest::TempDir t("syncrgw");
  make_odd_tree(t / "src");
  const std::string cli = (wstest::build_root() / "examples/ambient-workspace/ambient-workspace").string();
  wstest::EnvChanges env = {{"S3_ENDPOINT", wstest::Rgw::shared().endpoint()},
                            {"AWS_ACCESS_KEY_ID", wstest::Rgw::kAccessKey},
                            {"AWS_SECRET_ACCESS_KEY", wstest::Rgw::kSecretKey},
                            {"AWS_REGION", wstest::Rgw::kRegion},
                            {"AWS_CA_BUNDLE", std::nullopt}};
  const auto up = wstest::run({cli, "store", "sync", (t / "src").string(), "s3://test-bucket/cli/up"}, {}, env);
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  const auto check = rclone({"check", "--download", (t / "src").string(), "s3:test-bucket/cli/up"});
  CHECK_MESSAGE(check.exit_code == 0, check.err);

  const auto put = rclone({"copy", (t / "src").string(), "s3:test-bucket/cli/rc"});
  REQUIRE_MESSAGE(put.exit_code == 0, put.err);
  const auto down = wstest::run({cli, "store", "copy", "s3://test-bucket/cli/rc", (t / "dst").string()}, {}, env);
  REQUIRE_MESSAGE(down.exit_code == 0, down.err);
  const auto diff = wstest::run({"diff", "-r", (t / "src").string(), (t / "dst").string()});
  CHECK_MESSAGE(diff.exit_code == 0, diff.out);

  env["AWS_SECRET_ACCESS_KEY"] = "a-wrong-secret-key";
  const auto refused = wstest::run({cli, "store", "sync", (t / "src").string(), "s3://test-bucket/cli/up"}, {}, env);
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(refused.err.find("SignatureDoesNotMatch") != std::string::npos, refused.err);
  CHECK(refused.err.find("AWS_SECRET_ACCESS_KEY") != std::string::npos);
  CHECK(refused.err.find("a-wrong-secret-key") == std::string::npos);
}
