// Delta uploads (put_file_parts) against Ceph RGW, which copies parts on
// the server (UploadPartCopy with a range): a changed file costs its
// changed parts, the object stays a plain object with rclone's metadata,
// and a copy never mixes in an object that changed under us. A counting
// proxy between the library and RGW measures what was really sent.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>

#include "fault_proxy.hpp"
#include "rgw_backend.hpp"
#include "store/digest.hpp"
#include "store_contract.hpp"

namespace {

namespace fs = std::filesystem;
using ws::store::PartsOptions;
using ws::store::PartsUpload;

constexpr uint64_t kMiB = 1ull << 20;

// What went through the proxy: body bytes of every request, and the copies.
struct Traffic {
  std::mutex mu;
  uint64_t body_bytes = 0;
  std::vector<std::string> copy_ranges, copy_if_match;
  std::vector<std::string> methods;
};

struct CountingRgw {
  Traffic traffic;
  wstest::FaultProxy proxy{RgwBackend::server().endpoint(), [this](const wstest::HttpRequest& r) {
                             std::lock_guard lock(traffic.mu);
                             traffic.body_bytes += r.body.size();
                             traffic.methods.push_back(r.method + " " + r.query());
                             if (!r.header("x-amz-copy-source-range").empty()) {
                               traffic.copy_ranges.push_back(r.header("x-amz-copy-source-range"));
                               traffic.copy_if_match.push_back(r.header("x-amz-copy-source-if-match"));
                             }
                             return std::optional<wstest::HttpReply>();
                           }};
  ws::store::StoreConfig config(const RgwBackend& b) const {
    auto cfg = b.config();
    cfg.endpoint = proxy.endpoint();
    return cfg;
  }
  uint64_t sent() {
    std::lock_guard lock(traffic.mu);
    return traffic.body_bytes;
  }
  void reset() {
    std::lock_guard lock(traffic.mu);
    traffic.body_bytes = 0;
    traffic.copy_ranges.clear();
    traffic.copy_if_match.clear();
  }
};

wstest::CommandResult rclone(std::vector<std::string> args) {
  args.insert(args.begin(), "rclone");
  return wstest::run(args, {}, RgwBackend::server().rclone_env());
}

PartsUpload put_parts(ws::store::Store& store, const std::string& key, const fs::path& src,
                      const ws::store::PartsRecord* base, double mtime = 1700000000.25) {
  ws::store::PutOptions put;
  put.mtime = mtime;
  PartsOptions opts;
  opts.base = base;
  auto up = store.put_file_parts(key, src, put, opts);
  REQUIRE_MESSAGE(up.ok(), (up.ok() ? "" : up.error().message));
  return std::move(*up);
}

// The object under `key` is `data`, whole, with rclone's metadata, as our
// reader (straight to RGW), rclone's md5sum and rclone check --download see it.
void check_object(const RgwBackend& b, const std::string& name, const std::string& data, const fs::path& local_dir) {
  auto direct = store_contract::open(b.config());
  auto& store = *direct;
  const auto info = store.head(b.key(name));
  WS_REQUIRE_OK(info);
  CHECK(info->size == data.size());
  CHECK(info->md5_hex == ws::store::md5_hex(data));  // X-Amz-Meta-Md5chksum
  REQUIRE(info->mtime);
  wstest::TempDir dir;
  WS_REQUIRE_OK(store.get_file(b.key(name), dir / "back"));
  CHECK(*ws::store::md5_file_hex(dir / "back") == ws::store::md5_hex(data));
  const auto sums = rclone({"md5sum", "s3:test-bucket/" + b.key(name)});
  REQUIRE_MESSAGE(sums.exit_code == 0, sums.err);
  CHECK(sums.out.substr(0, 32) == ws::store::md5_hex(data));
  const auto check = rclone({"check", "--download", local_dir.string(), "s3:test-bucket/" + b.key("")});
  CHECK_MESSAGE(check.exit_code == 0, check.err);
}

}  // namespace

TEST_CASE("an append sends the last partial part and the appended bytes; the rest is copied on RGW") {
  RgwBackend b;
  CountingRgw rgw;
  auto store = store_contract::open(rgw.config(b));
  wstest::TempDir dir;
  std::string data = store_contract::pattern(12 * kMiB + 300000, 3);  // parts: 5, 5, 2 MiB+
  wstest::write_file(dir / "up" / "transcript.jsonl", data);
  const auto first = put_parts(*store, b.key("transcript.jsonl"), dir / "up" / "transcript.jsonl", nullptr);
  CHECK(first.bytes_sent == data.size());
  CHECK(first.bytes_copied == 0);
  CHECK(first.record.part_md5.size() == 3);
  CHECK(first.record.etag.ends_with("-3"));
  CHECK(first.record.part_md5[0] == ws::store::md5_hex(data.substr(0, 5 * kMiB)));

  rgw.reset();
  const std::string appended = store_contract::pattern(64 * 1024, 9);
  data += appended;
  wstest::write_file(dir / "up" / "transcript.jsonl", data);
  const auto second = put_parts(*store, b.key("transcript.jsonl"), dir / "up" / "transcript.jsonl", &first.record);
  const uint64_t tail = data.size() - 10 * kMiB;  // the old partial part plus the append
  CHECK(second.bytes_sent == tail);
  CHECK(second.bytes_copied == 10 * kMiB);
  // What the proxy saw: the tail and a few small XML bodies, nothing else.
  CHECK(rgw.sent() >= tail);
  CHECK(rgw.sent() < tail + 4096);
  {
    std::lock_guard lock(rgw.traffic.mu);
    auto ranges = rgw.traffic.copy_ranges;  // copied in parallel, in any order
    std::sort(ranges.begin(), ranges.end());
    CHECK(ranges == std::vector<std::string>{"bytes=0-5242879", "bytes=5242880-10485759"});
    for (const auto& m : rgw.traffic.copy_if_match) CHECK(m == "\"" + first.record.etag + "\"");
  }
  CHECK(second.record.etag != first.record.etag);
  CHECK(second.record.part_md5[0] == first.record.part_md5[0]);
  check_object(b, "transcript.jsonl", data, dir / "up");
}

TEST_CASE("a change inside a file sends the parts that hold it") {
  RgwBackend b;
  CountingRgw rgw;
  auto store = store_contract::open(rgw.config(b));
  wstest::TempDir dir;
  std::string data = store_contract::pattern(16 * kMiB + 5, 4);  // parts: 5, 5, 5, 1 MiB+5
  wstest::write_file(dir / "up" / "state.db", data);
  const auto first = put_parts(*store, b.key("state.db"), dir / "up" / "state.db", nullptr);
  rgw.reset();
  data[7 * kMiB] ^= 0x5a;                       // a page of part 2
  data[7 * kMiB + 4096] ^= 0x5a;                // the same part again
  data[12 * kMiB] ^= 0x11;                      // a page of part 3
  wstest::write_file(dir / "up" / "state.db", data);
  const auto second = put_parts(*store, b.key("state.db"), dir / "up" / "state.db", &first.record);
  CHECK(second.bytes_sent == 10 * kMiB);
  CHECK(second.bytes_copied == 6 * kMiB + 5);  // part 1 and the unchanged last part
  CHECK(rgw.sent() < 10 * kMiB + 4096);
  check_object(b, "state.db", data, dir / "up");
}

// RGW 16 ignores x-amz-copy-source-if-match on a part copy (AWS answers 412):
// here the copied part's MD5, which is not ours, is what refuses the mix.
TEST_CASE("an object replaced under us is never mixed into ours: the whole file is sent instead") {
  RgwBackend b;
  CountingRgw rgw;
  auto store = store_contract::open(rgw.config(b));
  wstest::TempDir dir;
  std::string data = store_contract::pattern(11 * kMiB, 5);
  wstest::write_file(dir / "up" / "big.bin", data);
  const auto first = put_parts(*store, b.key("big.bin"), dir / "up" / "big.bin", nullptr);
  // Another writer (rclone, the scripts) puts other bytes of the same size.
  wstest::TempDir other;
  const std::string theirs = store_contract::pattern(11 * kMiB, 6);
  wstest::write_file(other / "big.bin", theirs);
  const auto up = rclone({"copyto", (other / "big.bin").string(), "s3:test-bucket/" + b.key("big.bin")});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  rgw.reset();
  data[6 * kMiB] ^= 1;  // our change: part 2
  wstest::write_file(dir / "up" / "big.bin", data);
  const auto second = put_parts(*store, b.key("big.bin"), dir / "up" / "big.bin", &first.record);
  CHECK(second.bytes_copied == 0);
  CHECK(second.bytes_sent >= data.size());  // everything, after the refused attempt
  CHECK_FALSE(second.copy_unsupported);
  {
    std::lock_guard lock(rgw.traffic.mu);
    CHECK_FALSE(rgw.traffic.copy_ranges.empty());  // the guarded copy was tried
  }
  // Our bytes, not a mix of theirs and ours.
  check_object(b, "big.bin", data, dir / "up");
}

TEST_CASE("abort_stale_uploads aborts the uploads a killed uploader left, and only the old ones") {
  RgwBackend b;
  // Started by another client (curl signs it), never completed.
  const auto started = wstest::run({"curl", "-sf", "--aws-sigv4", "aws:amz:us-east-1:s3", "-u",
                                    std::string(wstest::Rgw::kAccessKey) + ":" + wstest::Rgw::kSecretKey, "-H",
                                    "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-X", "POST", RgwBackend::server().endpoint() + "/test-bucket/" + b.key("left/f") +
                                                "?uploads="});
  REQUIRE_MESSAGE(started.exit_code == 0, started.err);
  REQUIRE(started.out.find("<UploadId>") != std::string::npos);

  auto store = store_contract::open(b.config());
  const auto now = std::chrono::system_clock::now();
  const auto young = store->abort_stale_uploads(b.key(""), now - std::chrono::hours(1));
  WS_REQUIRE_OK(young);
  CHECK(*young == 0);
  const auto old = store->abort_stale_uploads(b.key(""), now + std::chrono::minutes(2));
  WS_REQUIRE_OK(old);
  CHECK(*old == 1);
  const auto again = store->abort_stale_uploads(b.key(""), now + std::chrono::minutes(2));
  WS_REQUIRE_OK(again);
  CHECK(*again == 0);
  const auto gone = store->head(b.key("left/f"));
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == ws::Errc::not_found);
}
