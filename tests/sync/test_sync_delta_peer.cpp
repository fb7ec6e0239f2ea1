// Delta uploads in the tree sync (MirrorOptions::delta_threshold): a large
// file that changed sends only its changed parts to RGW, which copies the
// rest on the server; s3rver refuses the copy (NotImplemented), so the file
// goes up whole and the refusal is remembered in the state database; and a
// delta upload killed at any of its requests leaves the old object whole,
// the leftover upload aborted by a later cycle. A proxy between the library
// and the server counts what was really sent.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "fault_proxy.hpp"
#include "rgw.hpp"
#include "s3rver.hpp"
#include "store/digest.hpp"
#include "store/store.hpp"
#include "support.hpp"
#include "sync/sync.hpp"

namespace fs = std::filesystem;
using namespace ws;
using namespace ws::sync;

namespace {

constexpr uint64_t kMiB = 1ull << 20;

std::string random_bytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

store::StoreConfig rgw_config(const std::string& endpoint) {
  store::StoreConfig cfg;
  cfg.endpoint = endpoint;
  cfg.bucket = "test-bucket";
  cfg.access_key = wstest::Rgw::kAccessKey;
  cfg.secret_key = wstest::Rgw::kSecretKey;
  return cfg;
}

std::unique_ptr<store::Store> open(const store::StoreConfig& cfg) {
  auto s = store::open_store(cfg);
  REQUIRE(s.ok());
  return std::move(*s);
}

// Body bytes and part copies that went through a proxy.
struct Counter {
  std::mutex mu;
  uint64_t body_bytes = 0;
  size_t copies = 0;
  void count(const wstest::HttpRequest& r) {
    std::lock_guard lock(mu);
    body_bytes += r.body.size();
    if (!r.header("x-amz-copy-source-range").empty()) ++copies;
  }
  std::pair<uint64_t, size_t> take() {
    std::lock_guard lock(mu);
    auto out = std::make_pair(body_bytes, copies);
    body_bytes = 0;
    copies = 0;
    return out;
  }
};

MirrorOptions delta_options(const fs::path& state_db) {
  MirrorOptions opts;
  opts.state_db = state_db;
  opts.delta_threshold = 10 * kMiB;
  return opts;
}

SyncSummary mirror(store::Store& store, const fs::path& root, const std::string& prefix, const MirrorOptions& opts) {
  auto s = mirror_up(store, root, prefix, opts);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  REQUIRE_MESSAGE(s->ok(), (s->ok() ? "" : s->failed.front().message));
  return std::move(*s);
}

// The object's bytes, read back and checked against its own MD5 metadata.
std::string md5_of_object(store::Store& store, const std::string& key) {
  wstest::TempDir dir;
  auto got = store.get_file(key, dir / "o");
  REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.error().message));
  return *store::md5_file_hex(dir / "o");
}

}  // namespace

TEST_CASE("a large file that grew sends its last partial part and the append; rclone check agrees") {
  auto& rgw = wstest::Rgw::shared();
  Counter counter;
  wstest::FaultProxy proxy(rgw.endpoint(), [&](const wstest::HttpRequest& r) {
    counter.count(r);
    return std::optional<wstest::HttpReply>();
  });
  auto store = open(rgw_config(proxy.endpoint()));
  wstest::TempDir dir;
  const fs::path root = dir / "tree";
  std::string data = random_bytes(17 * kMiB + 1000, 1);
  wstest::write_file(root / "projects" / "session.jsonl", data);
  wstest::write_file(root / "small.txt", "small");
  const auto opts = delta_options(dir / "state.db");

  const auto first = mirror(*store, root, "sync-delta-grow", opts);
  CHECK(first.transferred == 2);
  CHECK(counter.take().first >= data.size());

  data += random_bytes(64 * 1024, 2);
  wstest::write_file(root / "projects" / "session.jsonl", data);
  const auto second = mirror(*store, root, "sync-delta-grow", opts);
  CHECK(second.transferred == 1);
  CHECK(second.bytes_copied == 15 * kMiB);
  const auto [sent, copies] = counter.take();
  CHECK(copies == 3);
  CHECK(sent >= data.size() - 15 * kMiB);
  CHECK(sent < data.size() - 15 * kMiB + 8192);

  auto direct = open(rgw_config(rgw.endpoint()));
  CHECK(md5_of_object(*direct, "sync-delta-grow/projects/session.jsonl") == store::md5_hex(data));
  const auto check = wstest::run({"rclone", "check", "--download", root.string(), "s3:test-bucket/sync-delta-grow"},
                                 {}, rgw.rclone_env());
  CHECK_MESSAGE(check.exit_code == 0, check.err);
}

TEST_CASE("s3rver refuses UploadPartCopy: the file goes up whole, and the state database remembers the refusal") {
  wstest::S3rver s3({"bucket"});
  Counter counter;
  wstest::FaultProxy proxy(s3.endpoint(), [&](const wstest::HttpRequest& r) {
    counter.count(r);
    return std::optional<wstest::HttpReply>();
  });
  store::StoreConfig cfg;
  cfg.endpoint = proxy.endpoint();
  cfg.bucket = "bucket";
  cfg.access_key = wstest::S3rver::kAccessKey;
  cfg.secret_key = wstest::S3rver::kSecretKey;
  wstest::TempDir dir;
  const fs::path root = dir / "tree";
  std::string data = random_bytes(11 * kMiB, 3);
  wstest::write_file(root / "big.bin", data);
  const auto opts = delta_options(dir / "state.db");
  mirror(*open(cfg), root, "p", opts);
  counter.take();

  data += "appended";
  wstest::write_file(root / "big.bin", data);
  const auto second = mirror(*open(cfg), root, "p", opts);
  CHECK(second.bytes_copied == 0);
  auto [sent, copies] = counter.take();
  CHECK(copies >= 1);  // asked once, refused
  CHECK(sent >= data.size());

  // A new process (a new Store): the state database says not to ask.
  data += "again";
  wstest::write_file(root / "big.bin", data);
  mirror(*open(cfg), root, "p", opts);
  std::tie(sent, copies) = counter.take();
  CHECK(copies == 0);
  CHECK(sent >= data.size());
  cfg.endpoint = s3.endpoint();
  CHECK(md5_of_object(*open(cfg), "p/big.bin") == store::md5_hex(data));
}

TEST_CASE("a delta upload killed at any of its requests leaves the old object whole; a later cycle cleans up") {
  auto& rgw = wstest::Rgw::shared();
  auto direct = open(rgw_config(rgw.endpoint()));
  const std::string old_data = random_bytes(11 * kMiB + 7, 4);  // parts: 5, 5, 1 MiB+7
  std::string new_data = old_data;
  new_data[6 * kMiB] ^= 1;  // part 2 changes, parts 1 and 3 are copied
  new_data += "tail";
  // Writes of the delta upload: start, three parts, complete; one more
  // trial lets it finish.
  for (int kill_at = 1; kill_at <= 6; ++kill_at) {
    CAPTURE(kill_at);
    const std::string prefix = "sync-delta-crash-" + std::to_string(kill_at);
    wstest::TempDir dir;
    const fs::path root = dir / "tree";
    wstest::write_file(root / "db.sqlite", old_data);
    auto opts = delta_options(dir / "state.db");
    mirror(*direct, root, prefix, opts);
    wstest::write_file(root / "db.sqlite", new_data);

    std::atomic<pid_t> child{0};
    std::atomic<int> writes{0};
    wstest::FaultProxy proxy(rgw.endpoint(), [&](const wstest::HttpRequest& r) -> std::optional<wstest::HttpReply> {
      if (r.method == "GET" || r.method == "HEAD") return std::nullopt;
      if (++writes != kill_at) return std::nullopt;
      while (child.load() == 0) std::this_thread::yield();
      ::kill(child.load(), SIGKILL);
      return wstest::HttpReply::text(500, "killed");
    });
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto s = store::open_store(rgw_config(proxy.endpoint()));
      if (s) (void)mirror_up(**s, root, prefix, opts);
      ::_exit(0);
    }
    child = pid;
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    const bool killed = WIFSIGNALED(status);
    CHECK(killed == (kill_at <= 5));

    // Whole: the old object until the completion, the new one after it.
    const auto md5 = md5_of_object(*direct, prefix + "/db.sqlite");
    CHECK(md5 == store::md5_hex(kill_at < 5 ? old_data : new_data));

    // A cycle that lists in full aborts what the killed one left behind,
    // and puts the new file up whole.
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    opts.verify_every = 1;
    opts.stale_upload_age = std::chrono::seconds(0);
    mirror(*direct, root, prefix, opts);
    CHECK(md5_of_object(*direct, prefix + "/db.sqlite") == store::md5_hex(new_data));
    const auto left = direct->abort_stale_uploads(prefix + "/", std::chrono::system_clock::now() + std::chrono::hours(1));
    REQUIRE(left.ok());
    CHECK(*left == 0);
    REQUIRE(direct->remove({prefix + "/db.sqlite"}).ok());
  }
}
