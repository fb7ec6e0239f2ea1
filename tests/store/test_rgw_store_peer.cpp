// The store contract and the S3 behaviours that s3rver cannot check, against
// Ceph RGW: it verifies every SigV4 signature (so odd keys prove the
// signer's encoding), keeps real multipart objects (ETag "<md5>-<parts>")
// and lists with delimiters as S3 does. rclone is the independent reader and
// writer of the same objects.
#include <boost/json.hpp>

#include <mutex>
#include <set>
#include <sstream>

#include "rgw_backend.hpp"
#include "store/digest.hpp"
#include "store_contract.hpp"

namespace {

namespace fs = std::filesystem;
using ws::Errc;

wstest::CommandResult rclone(std::vector<std::string> args) {
  args.insert(args.begin(), "rclone");
  return wstest::run(args, {}, RgwBackend::server().rclone_env());
}

// Names where signers go wrong: every byte S3 wants percent-encoded, and
// UTF-8 of two, three and four bytes.
const std::vector<std::string> kOddNames = {
    "with space/file name.txt", "accents/é à ü ñ.txt", "plus+sign", "tilde~name", "hash#tag",
    "per%cent%25", "question?mark", "amp&and=eq", "semi;colon", "[brackets]", "emoji 🚀/😀.bin",
    "mixed/a+b c#d%e?f&g;h[i]~j",
};

}  // namespace

TYPE_TO_STRING(RgwBackend);
WS_STORE_CONTRACT(RgwBackend);

TEST_CASE("odd keys (spaces, accents, + ~ # % ? & ; [ ], emoji) are signed right: put, head, get, list, delete") {
  RgwBackend b;
  auto store = store_contract::open(b.config());
  wstest::TempDir dir;
  for (const auto& n : kOddNames) {
    CAPTURE(n);
    const auto put = store->put_bytes(b.key(n), "content of " + n);
    WS_REQUIRE_OK(put);
    const auto head = store->head(b.key(n));
    WS_REQUIRE_OK(head);
    CHECK(head->md5_hex == ws::store::md5_hex("content of " + n));
    const auto got = store->get_file(b.key(n), dir / "out");
    WS_REQUIRE_OK(got);
    CHECK(wstest::read_file(dir / "out") == "content of " + n);
  }
  const auto listed = store->list(b.key(""));
  WS_REQUIRE_OK(listed);
  std::set<std::string> keys;
  for (const auto& o : *listed) keys.insert(o.key);
  std::set<std::string> expected;
  for (const auto& n : kOddNames) expected.insert(b.key(n));
  CHECK(keys == expected);
  // A prefix with the same characters is signed in the query string.
  const auto under = store->list(b.key("mixed/a+b c#d%e?f&g;h["));
  WS_REQUIRE_OK(under);
  CHECK(under->size() == 1);
  const auto failures = store->remove(std::vector<std::string>(expected.begin(), expected.end()));
  WS_REQUIRE_OK(failures);
  CHECK(failures->empty());
  CHECK(store->list(b.key(""))->empty());
}

TEST_CASE("a multipart upload is a real multipart object with the whole file's MD5 for rclone") {
  RgwBackend b;
  auto cfg = b.config();
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  cfg.part_parallelism = 3;
  auto store = store_contract::open(cfg);
  wstest::TempDir dir;
  const auto data = store_contract::pattern((12ull << 20) + 12345, 7);
  wstest::write_file(dir / "big.bin", data);
  ws::store::PutOptions opts;
  opts.mtime = 1650000000.75;
  const std::string key = b.key("multi part/é+#%?[x].bin");
  const auto put = store->put_file(key, dir / "big.bin", opts);
  WS_REQUIRE_OK(put);
  const auto info = store->head(key);
  WS_REQUIRE_OK(info);
  CHECK(info->size == data.size());
  CHECK(info->etag.ends_with("-3"));  // three parts, as S3 composes it
  CHECK(info->md5_hex == ws::store::md5_hex(data));  // from X-Amz-Meta-Md5chksum
  const auto got = store->get_file(key, dir / "back.bin");
  WS_REQUIRE_OK(got);
  CHECK(*ws::store::md5_file_hex(dir / "back.bin") == ws::store::md5_hex(data));
  CHECK(store_contract::file_mtime(dir / "back.bin") == doctest::Approx(1650000000.75));
  const auto listed = store->list(key);
  WS_REQUIRE_OK(listed);
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().md5_hex.empty());  // a multipart ETag is no MD5
  const auto sums = rclone({"md5sum", "s3:test-bucket/" + b.key("multi part/")});
  REQUIRE_MESSAGE(sums.exit_code == 0, sums.err);
  CHECK(sums.out == ws::store::md5_hex(data) + "  é+#%?[x].bin\n");
}

TEST_CASE("an object rclone uploaded in parts comes back identical through get_file") {
  RgwBackend b;
  wstest::TempDir dir;
  const auto data = store_contract::pattern(11ull << 20, 17);
  wstest::write_file(dir / "up" / "from rclone +#.bin", data);
  const timespec times[2] = {{1400000000, 250000000}, {1400000000, 250000000}};
  REQUIRE(::utimensat(AT_FDCWD, (dir / "up" / "from rclone +#.bin").c_str(), times, 0) == 0);
  const auto up = rclone({"copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", (dir / "up").string(),
                          "s3:test-bucket/" + b.key("fromrc")});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  auto store = store_contract::open(b.config());
  const auto got = store->get_file(b.key("fromrc/from rclone +#.bin"), dir / "down.bin");
  WS_REQUIRE_OK(got);
  CHECK(got->etag.ends_with("-3"));
  CHECK(got->md5_hex == ws::store::md5_hex(data));
  CHECK(*ws::store::md5_file_hex(dir / "down.bin") == ws::store::md5_hex(data));
  CHECK(store_contract::file_mtime(dir / "down.bin") == doctest::Approx(1400000000.25));
}

TEST_CASE("remove deletes more than one DeleteObjects batch of 1000") {
  RgwBackend b;
  auto store = store_contract::open(b.config());
  std::vector<std::string> keys;
  for (int i = 0; i < 1003; ++i) keys.push_back(b.key("many/" + std::to_string(i) + (i % 7 == 0 ? " é+&" : "")));
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (size_t t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < keys.size(); i += 8) failed += !store->put_bytes(keys[i], "x").ok();
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(failed == 0);
  REQUIRE(store->list(b.key("many/"))->size() == 1003);
  const auto failures = store->remove(keys);
  WS_REQUIRE_OK(failures);
  CHECK(failures->empty());
  CHECK(store->list(b.key("many/"))->empty());
}

TEST_CASE("a paginated listing of nested prefixes agrees with rclone's walk by delimiter") {
  RgwBackend b;
  auto cfg = b.config();
  cfg.list_max_keys = 3;
  auto store = store_contract::open(cfg);
  const std::vector<std::string> names = {"a/b/c/deep.txt", "a/b/z", "a/top.txt", "a b/x", "a+/y",
                                          "art/x", "artifacts/1", "b.txt", "z/ü/ñ/é.txt", "z/0"};
  for (const auto& n : names) REQUIRE(store->put_bytes(b.key("p/" + n), n).ok());
  const auto all = store->list(b.key("p/"));
  WS_REQUIRE_OK(all);
  std::vector<std::string> ours;
  for (const auto& o : *all) ours.push_back(o.key.substr(b.key("p/").size()));
  std::vector<std::string> expected = names;
  std::sort(expected.begin(), expected.end());
  CHECK(ours == expected);
  // rclone without --fast-list lists one directory at a time, delimiter '/'.
  const auto walk = rclone({"lsf", "-R", "--files-only", "s3:test-bucket/" + b.key("p")});
  REQUIRE_MESSAGE(walk.exit_code == 0, walk.err);
  std::vector<std::string> theirs;
  std::istringstream lines(walk.out);
  for (std::string line; std::getline(lines, line);) theirs.push_back(line);
  std::sort(theirs.begin(), theirs.end());
  CHECK(theirs == expected);
  const auto under_a = store->list(b.key("p/a/"));
  WS_REQUIRE_OK(under_a);
  CHECK(under_a->size() == 3);
}

TEST_CASE("a wrong secret is SignatureDoesNotMatch: an auth error that says which setting to check") {
  RgwBackend b;
  auto cfg = b.config();
  cfg.secret_key = "not-the-right-secret";
  auto store = store_contract::open(cfg);
  const auto st = store->check_bucket();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == Errc::auth);
  CHECK(st.error().message.find("SignatureDoesNotMatch") != std::string::npos);
  CHECK(st.error().message.find("AWS_SECRET_ACCESS_KEY") != std::string::npos);
  CHECK(st.error().message.find("not-the-right-secret") == std::string::npos);
  const auto put = store->put_bytes(b.key("refused"), "x");
  REQUIRE_FALSE(put);
  CHECK(put.error().code == Errc::auth);
  CHECK(store_contract::open(b.config())->head(b.key("refused")).error().code == Errc::not_found);
}

TEST_CASE("an unknown access key is InvalidAccessKeyId: an auth error that says which setting to check") {
  RgwBackend b;
  auto cfg = b.config();
  cfg.access_key = "NO-SUCH-ACCESS-KEY";
  cfg.secret_key = "its-secret-value";
  const auto st = store_contract::open(cfg)->check_bucket();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == Errc::auth);
  CHECK(st.error().message.find("InvalidAccessKeyId") != std::string::npos);
  CHECK(st.error().message.find("AWS_ACCESS_KEY_ID") != std::string::npos);
  CHECK(st.error().message.find("NO-SUCH-ACCESS-KEY") == std::string::npos);
  CHECK(st.error().message.find("its-secret-value") == std::string::npos);
}

TEST_CASE("refused requests log and report neither the credentials nor a signature") {
  RgwBackend b;
  std::mutex mu;
  std::vector<std::string> lines;
  ws::Logger log([&](const ws::LogEvent& e) {
    std::lock_guard lock(mu);
    lines.push_back(std::string(e.event) + " " + std::string(e.message));
  });
  auto cfg = b.config();
  cfg.secret_key = "a-secret-that-must-not-leak";
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  wstest::TempDir dir;
  wstest::write_file(dir / "big", store_contract::pattern(6ull << 20));
  std::vector<std::string> errors;
  auto note = [&](const auto& r) {
    CHECK_FALSE(r.ok());
    if (!r.ok()) errors.push_back(r.error().message);
  };
  {
    auto opened = ws::store::open_store(cfg, log);
    REQUIRE(opened);
    auto& store = **opened;
    note(store.put_file(b.key("big"), dir / "big"));
    note(store.put_bytes(b.key("small"), "x"));
    note(store.get_bytes(b.key("small")));
    note(store.list(b.key("")));
    note(store.remove({b.key("small")}));
  }
  cfg.access_key = "UNKNOWN-ACCESS-KEY";
  auto unknown = ws::store::open_store(cfg, log);
  REQUIRE(unknown);
  note((*unknown)->check_bucket());
  for (const auto& text : lines) {
    CAPTURE(text);
    CHECK(text.find("a-secret-that-must-not-leak") == std::string::npos);
    CHECK(text.find("Signature=") == std::string::npos);
  }
  for (const auto& text : errors) {
    CAPTURE(text);
    CHECK(text.find("a-secret-that-must-not-leak") == std::string::npos);
    CHECK(text.find("Signature=") == std::string::npos);
    CHECK(text.find("UNKNOWN-ACCESS-KEY") == std::string::npos);
  }
}
