// The store contract on the local-directory backend, plus what only a
// filesystem can get wrong: keys escaping the root, layout on disk, the md5 cache.
#include "store_contract.hpp"
#include "store/local_store.hpp"

namespace {

namespace fs = std::filesystem;

struct LocalBackend {
  static constexpr bool kRefusesUnsafeKeys = true;
  wstest::TempDir root{"local-store"};
  LocalBackend() { fs::create_directories(root / "test-bucket"); }
  ws::store::StoreConfig config() const {
    ws::store::StoreConfig cfg;
    cfg.endpoint = "file://" + root.path().string();
    cfg.bucket = "test-bucket";
    return cfg;
  }
  std::string key(std::string_view k) const { return "ns/sess/" + std::string(k); }
};

}  // namespace

TYPE_TO_STRING(LocalBackend);
WS_STORE_CONTRACT(LocalBackend);

TEST_CASE("objects are plain files at <dir>/<bucket>/<key> with the object's mtime") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  ws::store::PutOptions opts;
  opts.mtime = 1234567890.5;
  REQUIRE(store->put_bytes("a/b.txt", "x", opts).ok());
  CHECK(wstest::read_file(b.root / "test-bucket" / "a" / "b.txt") == "x");
  CHECK(store_contract::file_mtime(b.root / "test-bucket" / "a" / "b.txt") == doctest::Approx(1234567890.5));
}

TEST_CASE("keys that would escape the root are refused as unsafe_path") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  for (const char* key : {"../escape", "a/../../escape", "/abs", "a//b", ""}) {
    CAPTURE(key);
    CHECK(store->put_bytes(key, "x").error().code == ws::Errc::unsafe_path);
    CHECK(store->head(key).error().code == ws::Errc::unsafe_path);
    CHECK(store->get_bytes(key).error().code == ws::Errc::unsafe_path);
  }
  CHECK(store->list("../").error().code == ws::Errc::unsafe_path);
  auto failures = store->remove({"../escape"});
  REQUIRE(failures);
  REQUIRE(failures->size() == 1);
  CHECK((*failures)[0].key == "../escape");
  CHECK_FALSE(fs::exists(b.root / "escape"));
}

TEST_CASE("temporary files never show up in listings and are gone afterwards") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes("k", "v").ok());
  CHECK(store->list("")->size() == 1);
  CHECK(fs::is_empty(b.root / ".ws-tmp"));
}

TEST_CASE("removing the last object of a directory removes the directory") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes("x/y/z", "v").ok());
  REQUIRE(store->remove({"x/y/z"})->empty());
  CHECK_FALSE(fs::exists(b.root / "test-bucket" / "x"));
  CHECK(fs::exists(b.root / "test-bucket"));
}

TEST_CASE("removing a key where a directory of other keys sits is a no-op, as on S3") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes("d/inner", "v").ok());
  auto failures = store->remove({"d"});
  REQUIRE(failures);
  CHECK(failures->empty());
  CHECK(*store->get_bytes("d/inner") == "v");
}

TEST_CASE("a file changed behind the store's back is hashed again") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes("f", "one").ok());
  CHECK(store->head("f")->md5_hex == ws::store::md5_hex("one"));
  wstest::write_file(b.root / "test-bucket" / "f", "two!");
  CHECK(store->head("f")->md5_hex == ws::store::md5_hex("two!"));
  CHECK(store->list("")->front().md5_hex == ws::store::md5_hex("two!"));
}

TEST_CASE("a key below an existing object is a conflict, not a crash") {
  LocalBackend b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes("file", "v").ok());
  auto st = store->put_bytes("file/child", "w");
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ws::Errc::conflict);
}

TEST_CASE("open_store dispatches on the scheme and names bad fields") {
  ws::store::StoreConfig cfg;
  cfg.endpoint = "file://relative/dir";
  cfg.bucket = "b";
  CHECK(ws::store::open_store(cfg).error().code == ws::Errc::invalid_input);
  cfg.endpoint = "ftp://host";
  auto bad = ws::store::open_store(cfg);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("endpoint") != std::string::npos);
  cfg.endpoint = "file:///tmp";
  cfg.bucket = "../x";
  auto bucket = ws::store::open_store(cfg);
  REQUIRE_FALSE(bucket);
  CHECK(bucket.error().message.find("bucket") != std::string::npos);
  cfg.bucket = "b";
  auto ok = ws::store::open_store(cfg);
  REQUIRE(ok);
  CHECK((*ok)->describe() == "local bucket 'b' at file:///tmp");
}
