// The tree sync against real peers: s3rver as the S3 server, rclone as the
// scripts' independent reader and writer of the same objects, and a
// fault-injecting HTTP proxy (Beast) between us and s3rver.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <random>
#include <thread>

#include "beast_server.hpp"
#include "fault_proxy.hpp"
#include "http/http.hpp"
#include "s3rver.hpp"
#include "store/store.hpp"
#include "support.hpp"
#include "sync/sync.hpp"

namespace fs = std::filesystem;
using namespace ws;
using namespace ws::sync;

namespace {

constexpr const char* kBucket = "bucket";

std::unique_ptr<store::Store> s3_store(const std::string& endpoint, uint64_t multipart_threshold = 64ull << 20) {
  store::StoreConfig cfg;
  cfg.endpoint = endpoint;
  cfg.bucket = kBucket;
  cfg.access_key = wstest::S3rver::kAccessKey;
  cfg.secret_key = wstest::S3rver::kSecretKey;
  cfg.multipart_threshold = multipart_threshold;
  cfg.part_size = 5ull << 20;
  auto s = store::open_store(cfg);
  REQUIRE(s.ok());
  return std::move(*s);
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

struct timespec mtime_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mtim;
}

void make_tree(const fs::path& root, int files = 20) {
  for (int i = 0; i < files; ++i) {
    wstest::write_file(root / std::string("d").append(std::to_string(i % 4)) /
                           std::string("f").append(std::to_string(i)).append(".txt"),
                       random_bytes(1000 + i * 37, i));
  }
  wstest::write_file(root / "node_modules/pkg/index.js", "excluded");
  wstest::write_file(root / "sub/__pycache__/m.pyc", "excluded");
  wstest::write_file(root / "sub/x.pyc", "excluded");
  wstest::write_file(root / "sub/build/out.o", "excluded");
}

std::vector<std::string> rclone_filter_args() {
  std::vector<std::string> out;
  for (const auto& e : default_excludes()) {
    out.push_back("--exclude");
    out.push_back(e);
  }
  return out;
}

wstest::CommandResult rclone(const wstest::S3rver& s3, std::vector<std::string> args) {
  args.insert(args.begin(), "rclone");
  auto env = s3.rclone_env();
  env["TZ"] = "UTC";
  return wstest::run(args, {}, env);
}

// s3rver writes an object's metadata file non-atomically: killed mid-PUT it
// leaves an empty one that breaks every later listing of the bucket. Real
// S3 never exposes a PUT that did not complete, so drop such torn objects.
void forget_torn_writes(const wstest::S3rver& s3) {
  const std::string suffix = "._S3rver_metadata.json";
  std::vector<fs::path> torn;
  for (const auto& e : fs::recursive_directory_iterator(s3.data_dir())) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.ends_with(suffix) && fs::file_size(e.path()) == 0) torn.push_back(e.path());
  }
  for (const auto& meta : torn) {
    const std::string base = meta.string().substr(0, meta.string().size() - suffix.size());
    fs::remove(meta);
    fs::remove(base + "._S3rver_object");
    fs::remove(base + "._S3rver_object.md5");
  }
}

template <class T>
std::string why(const Result<T>& r) {
  return r.ok() ? std::string() : r.error().message;
}

size_t s3rver_requests(const wstest::S3rver& s3) {
  const std::string log = s3.log();
  return static_cast<size_t>(std::count(log.begin(), log.end(), '\n'));
}

}  // namespace

TEST_CASE("a mirror to s3rver passes rclone check --checksum and rclone reads our mtimes") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  make_tree(t / "src");
  wstest::write_file(t / "src/big.bin", random_bytes(12 << 20, 7));  // multipart: Md5chksum
  set_mtime(t / "src/d0/f0.txt", 1600000000, 250000000);
  auto st = s3_store(s3.endpoint(), 8 << 20);
  auto r = mirror_up(*st, t / "src", "ns/s/artifacts");
  REQUIRE(r.ok());
  CHECK(r->ok());
  CHECK(r->transferred == 21);

  auto args = rclone_filter_args();
  std::vector<std::string> check = {"check", "--checksum", (t / "src").string(), "s3:bucket/ns/s/artifacts"};
  check.insert(check.end(), args.begin(), args.end());
  const auto c = rclone(s3, check);
  CHECK_MESSAGE(c.exit_code == 0, c.err);

  const auto lsjson = rclone(s3, {"lsjson", "s3:bucket/ns/s/artifacts/d0/f0.txt"});
  REQUIRE(lsjson.exit_code == 0);
  CHECK_MESSAGE(lsjson.out.find("2020-09-13T12:26:40.25") != std::string::npos, lsjson.out);
}

TEST_CASE("a tree rclone uploaded, with a multipart file, copies down identically with mtimes") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  make_tree(t / "src", 12);
  wstest::write_file(t / "src/big.bin", random_bytes(11 << 20, 9));
  set_mtime(t / "src/big.bin", 1500000000, 500000000);
  set_mtime(t / "src/d1/f1.txt", 1400000000, 0);
  const auto up = rclone(s3, {"copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M",
                              (t / "src").string(), "s3:bucket/ns/s/state"});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);

  auto st = s3_store(s3.endpoint());
  CopyOptions co;
  co.state_db = t / "state.db";
  auto r = copy_down(*st, "ns/s/state", t / "dst", co);
  REQUIRE(r.ok());
  CHECK(r->ok());
  CHECK(r->transferred == 17);  // rclone copy has no excludes
  const auto diff = wstest::run({"diff", "-r", (t / "src").string(), (t / "dst").string()});
  CHECK_MESSAGE(diff.exit_code == 0, diff.out);
  CHECK(mtime_of(t / "dst/big.bin").tv_sec == 1500000000);
  CHECK(mtime_of(t / "dst/d1/f1.txt").tv_sec == 1400000000);

  // Our mirror of what we downloaded finds nothing to do, multipart included.
  MirrorOptions mo;
  mo.excludes.clear();
  mo.verify_every = 1;
  auto again = mirror_up(*st, t / "dst", "ns/s/state", mo);
  REQUIRE(again.ok());
  CHECK(again->transferred == 0);
  CHECK(again->unchanged == 17);
}

TEST_CASE("a no-change second sync sends no request; deletes propagate") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  make_tree(t / "src");
  for (const auto& e : fs::recursive_directory_iterator(t / "src")) {
    if (e.is_regular_file()) set_mtime(e.path(), 1600000000, 0);
  }
  auto st = s3_store(s3.endpoint());
  MirrorOptions o;
  o.state_db = t / "state/sync.db";
  REQUIRE(mirror_up(*st, t / "src", "p", o)->ok());
  const size_t before = s3rver_requests(s3);
  auto again = mirror_up(*st, t / "src", "p", o);
  REQUIRE(again.ok());
  CHECK(again->transferred == 0);
  CHECK(again->unchanged == 20);
  CHECK(s3rver_requests(s3) == before);

  fs::remove(t / "src/d0/f0.txt");
  auto del = mirror_up(*st, t / "src", "p", o);
  REQUIRE(del.ok());
  CHECK(del->deleted == 1);
  const auto lsf = rclone(s3, {"lsf", "-R", "s3:bucket/p"});
  REQUIRE(lsf.exit_code == 0);
  CHECK(lsf.out.find("f0.txt") == std::string::npos);
  CHECK(lsf.out.find("f4.txt") != std::string::npos);
}

TEST_CASE("s3rver killed mid-sync: the cycle fails cleanly and the next one completes") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  make_tree(t / "src", 120);
  auto st = s3_store(s3.endpoint());
  // A previous good state that must survive the failed cycle.
  wstest::write_file(t / "old/keep.txt", "previous");
  REQUIRE(mirror_up(*st, t / "old", "p")->ok());

  std::atomic<bool> killed{false};
  Logger log({}, [&](const Progress& p) {
    if (p.files_done == 10 && !killed.exchange(true)) s3.stop();
  });
  MirrorOptions o;
  o.parallel = 4;
  auto r = mirror_up(*st, t / "src", "p", o, log);
  REQUIRE(killed);
  if (r.ok()) {
    CHECK_FALSE(r->ok());
    CHECK(r->deleted == 0);
  }
  forget_torn_writes(s3);
  s3.start();
  CHECK(st->head("p/keep.txt").ok());  // nothing deleted by the failed cycle
  auto ok = mirror_up(*st, t / "src", "p", o);
  const std::string detail = why(ok) + "\n" + s3.log().substr(s3.log().size() > 3000 ? s3.log().size() - 3000 : 0);
  REQUIRE_MESSAGE(ok.ok(), detail);
  CHECK(ok->ok());
  CHECK(ok->deleted == 1);
  auto args = rclone_filter_args();
  std::vector<std::string> check = {"check", "--checksum", (t / "src").string(), "s3:bucket/p"};
  check.insert(check.end(), args.begin(), args.end());
  const auto c = rclone(s3, check);
  CHECK_MESSAGE(c.exit_code == 0, c.err);
  // No temporary files left in the tree.
  for (const auto& e : fs::recursive_directory_iterator(t.path())) {
    CHECK_MESSAGE(e.path().filename().string().find(".ws-") == std::string::npos, e.path());
  }
}


TEST_CASE("through a faulty proxy (500/503, reset mid-body, stall) transfers retry and end identical") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  make_tree(t / "src", 12);
  std::atomic<int> puts{0}, gets{0};
  wstest::FaultProxy proxy(s3.endpoint(), [&](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
    if (req.method == "PUT" && req.target.find("/f") != std::string::npos) {
      const int n = puts++;
      if (n == 0) return wstest::HttpReply::text(503, "<Error><Code>SlowDown</Code></Error>");
      if (n == 1) return wstest::HttpReply::text(500, "<Error><Code>InternalError</Code></Error>");
    }
    if (req.method == "GET" && req.target.find("/f") != std::string::npos) {
      const int n = gets++;
      if (n == 0) return wstest::HttpReply::reset_after(100, "");
      if (n == 1) {
        wstest::HttpReply r;
        r.misbehaviour = wstest::HttpReply::Misbehaviour::stall;
        r.stall_for = std::chrono::milliseconds(1500);
        return r;
      }
    }
    return std::nullopt;
  });
  auto st = s3_store(proxy.endpoint());
  auto up = mirror_up(*st, t / "src", "p");
  REQUIRE(up.ok());
  CHECK(up->ok());
  CHECK(puts.load() >= 14);
  auto down = copy_down(*st, "p", t / "dst");
  REQUIRE(down.ok());
  CHECK(down->ok());
  CHECK(gets.load() >= 13);  // one retried reset; the stall only delays
  const auto diff = wstest::run({"diff", "-r", "-x", "node_modules", "-x", "__pycache__", "-x", "*.pyc", "-x",
                                 "build", "-x", "sub", (t / "src").string(), (t / "dst").string()});
  CHECK_MESSAGE(diff.exit_code == 0, diff.out);
}

TEST_CASE("a key the server keeps refusing fails alone: nothing deleted, nothing lost") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  wstest::write_file(t / "src/old.txt", "old");
  {
    auto direct = s3_store(s3.endpoint());
    REQUIRE(mirror_up(*direct, t / "src", "p")->ok());
  }
  fs::remove(t / "src/old.txt");
  wstest::write_file(t / "src/good.txt", "good");
  wstest::write_file(t / "src/cursed.txt", "cursed");
  wstest::FaultProxy proxy(s3.endpoint(), [](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
    if (req.method == "PUT" && req.target.find("cursed") != std::string::npos) {
      return wstest::HttpReply::text(500, "<Error><Code>InternalError</Code></Error>");
    }
    return std::nullopt;
  });
  auto st = s3_store(proxy.endpoint());
  auto r = mirror_up(*st, t / "src", "p");
  REQUIRE(r.ok());
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].path == "cursed.txt");
  CHECK(r->deleted == 0);
  auto direct = s3_store(s3.endpoint());
  CHECK(direct->head("p/old.txt").ok());
  CHECK(direct->head("p/good.txt").ok());
  CHECK(wstest::read_file(t / "src/cursed.txt") == "cursed");
}

TEST_CASE("unsafe keys in a listing are refused while the rest downloads") {
  // s3rver refuses such keys itself (real S3 stores them), so the proxy adds
  // them to its listing.
  wstest::S3rver s3({kBucket});
  wstest::TempDir t("syncpeer");
  std::atomic<int> unsafe_gets{0};
  const std::vector<std::string> unsafe = {"p/../evil", "p//abs", "p/a//b", "p/./dot", "p/x/.."};
  wstest::FaultProxy proxy(
      s3.endpoint(),
      [&](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
        if (req.method == "GET" && req.target.find("list-type") == std::string::npos &&
            req.target.find("/ok/") == std::string::npos) {
          ++unsafe_gets;
        }
        return std::nullopt;
      },
      [&](const wstest::HttpRequest& req, wstest::HttpReply& reply) {
        if (req.target.find("list-type=2") == std::string::npos) return;
        std::string extra;
        for (const auto& k : unsafe) {
          extra += "<Contents><Key>" + k +
                   "</Key><LastModified>2020-01-01T00:00:00.000Z</LastModified>"
                   "<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>1</Size>"
                   "<StorageClass>STANDARD</StorageClass></Contents>";
        }
        const auto end = reply.body.find("</ListBucketResult>");
        if (end != std::string::npos) reply.body.insert(end, extra);
      });
  auto st = s3_store(proxy.endpoint());
  REQUIRE(st->put_bytes("p/ok/file.txt", "ok").ok());
  auto r = copy_down(*st, "p", t / "dst");
  REQUIRE_MESSAGE(r.ok(), why(r));
  CHECK(r->transferred == 1);
  CHECK(r->failed.size() == unsafe.size());
  for (const auto& f : r->failed) CHECK(f.code == Errc::unsafe_path);
  CHECK(unsafe_gets.load() == 0);
  CHECK(wstest::read_file(t / "dst/ok/file.txt") == "ok");
  CHECK_FALSE(fs::exists(t / "evil"));
  CHECK_FALSE(fs::exists(t / "dst/abs"));
}
