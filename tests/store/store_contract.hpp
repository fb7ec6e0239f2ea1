// The behaviour both backends owe (lib/store/store.hpp), written once and run
// against each: test_local_store.cpp (suite unit) and
// test_s3_store_peer.cpp (suite peer, s3rver). A Backend provides
//   ws::store::StoreConfig config() const;  // a working store, fresh key space
//   std::string key(std::string_view k) const;  // k inside that key space
//   static constexpr bool kRefusesUnsafeKeys;  // only the filesystem must
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "store/digest.hpp"
#include "store/store.hpp"
#include "support.hpp"

// REQUIRE that a Result (a variable, evaluated more than once) is ok, showing its error.
#define WS_REQUIRE_OK(r) REQUIRE_MESSAGE((r).ok(), ((r).ok() ? std::string() : (r).error().message))

namespace store_contract {

inline std::unique_ptr<ws::store::Store> open(const ws::store::StoreConfig& cfg) {
  auto s = ws::store::open_store(cfg);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
  return std::move(*s);
}

inline double file_mtime(const std::filesystem::path& p) {
  struct stat st{};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
}

inline std::string pattern(size_t n, unsigned seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x = x * 1664525u + 1013904223u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

}  // namespace store_contract

TEST_CASE_TEMPLATE_DEFINE("put_bytes then get_bytes and head give back the same object", B, contract_roundtrip) {
  B b;
  auto store = store_contract::open(b.config());
  ws::store::PutOptions opts;
  opts.mtime = 1700000000.5;
  REQUIRE(store->put_bytes(b.key("dir/hello.txt"), "hello world", opts).ok());
  auto data = store->get_bytes(b.key("dir/hello.txt"));
  REQUIRE(data);
  CHECK(*data == "hello world");
  auto info = store->head(b.key("dir/hello.txt"));
  REQUIRE(info);
  CHECK(info->key == b.key("dir/hello.txt"));
  CHECK(info->size == 11);
  CHECK(info->md5_hex == ws::store::md5_hex("hello world"));
  REQUIRE(info->mtime.has_value());
  CHECK(*info->mtime == doctest::Approx(1700000000.5));
}

TEST_CASE_TEMPLATE_DEFINE("an empty object round trips", B, contract_empty) {
  B b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes(b.key("empty"), "").ok());
  auto data = store->get_bytes(b.key("empty"));
  REQUIRE(data);
  CHECK(data->empty());
  auto info = store->head(b.key("empty"));
  REQUIRE(info);
  CHECK(info->size == 0);
  CHECK(info->md5_hex == "d41d8cd98f00b204e9800998ecf8427e");
}

TEST_CASE_TEMPLATE_DEFINE("a missing key is not_found for head, get_bytes and get_file", B, contract_missing) {
  B b;
  auto store = store_contract::open(b.config());
  wstest::TempDir dir;
  wstest::write_file(dir / "keep.txt", "untouched");
  CHECK(store->head(b.key("nope")).error().code == ws::Errc::not_found);
  CHECK(store->get_bytes(b.key("nope")).error().code == ws::Errc::not_found);
  auto got = store->get_file(b.key("nope"), dir / "keep.txt");
  REQUIRE_FALSE(got);
  CHECK(got.error().code == ws::Errc::not_found);
  CHECK(wstest::read_file(dir / "keep.txt") == "untouched");
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE_TEMPLATE_DEFINE("put_file then get_file restores bytes and mtime", B, contract_files) {
  B b;
  auto store = store_contract::open(b.config());
  wstest::TempDir dir;
  const auto data = store_contract::pattern(300000, 3);
  wstest::write_file(dir / "src.bin", data);
  ws::store::PutOptions opts;
  opts.mtime = 1600000000.25;
  REQUIRE(store->put_file(b.key("f/src.bin"), dir / "src.bin", opts).ok());
  auto info = store->get_file(b.key("f/src.bin"), dir / "out" / "dst.bin");
  REQUIRE_MESSAGE(info.ok(), (info.ok() ? "" : info.error().message));
  CHECK(info->size == data.size());
  CHECK(info->md5_hex == ws::store::md5_hex(data));
  CHECK(wstest::read_file(dir / "out" / "dst.bin") == data);
  CHECK(store_contract::file_mtime(dir / "out" / "dst.bin") == doctest::Approx(1600000000.25));
}

TEST_CASE_TEMPLATE_DEFINE("put_file without an mtime keeps the source file's mtime", B, contract_src_mtime) {
  B b;
  auto store = store_contract::open(b.config());
  wstest::TempDir dir;
  wstest::write_file(dir / "src", "abc");
  const timespec times[2] = {{1500000000, 0}, {1500000000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, (dir / "src").c_str(), times, 0) == 0);
  REQUIRE(store->put_file(b.key("src"), dir / "src").ok());
  auto info = store->head(b.key("src"));
  REQUIRE(info);
  REQUIRE(info->mtime.has_value());
  CHECK(*info->mtime == doctest::Approx(1500000000.0));
}

TEST_CASE_TEMPLATE_DEFINE("put_file of a missing source fails and writes nothing", B, contract_missing_src) {
  B b;
  auto store = store_contract::open(b.config());
  wstest::TempDir dir;
  auto st = store->put_file(b.key("x"), dir / "absent");
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ws::Errc::not_found);
  CHECK(store->head(b.key("x")).error().code == ws::Errc::not_found);
}

TEST_CASE_TEMPLATE_DEFINE("an overwrite replaces the whole object", B, contract_overwrite) {
  B b;
  auto store = store_contract::open(b.config());
  REQUIRE(store->put_bytes(b.key("o"), "a much longer first version").ok());
  REQUIRE(store->put_bytes(b.key("o"), "short").ok());
  CHECK(*store->get_bytes(b.key("o")) == "short");
  CHECK(store->head(b.key("o"))->size == 5);
}

TEST_CASE_TEMPLATE_DEFINE("list is recursive, sorted, filtered by prefix, with sizes and md5", B, contract_list) {
  B b;
  auto store = store_contract::open(b.config());
  const std::vector<std::string> names = {"a/b/c/deep.txt", "a/top.txt", "art/x", "artifacts/1", "b.txt", "a/b/z"};
  for (const auto& n : names) REQUIRE(store->put_bytes(b.key(n), "content of " + n).ok());
  auto all = store->list(b.key(""));
  REQUIRE(all);
  std::vector<std::string> keys;
  for (const auto& o : *all) keys.push_back(o.key);
  std::vector<std::string> expected;
  for (const auto& n : names) expected.push_back(b.key(n));
  std::sort(expected.begin(), expected.end());
  CHECK(keys == expected);
  for (const auto& o : *all) {
    CAPTURE(o.key);
    const std::string content = "content of " + o.key.substr(b.key("").size());
    CHECK(o.size == content.size());
    CHECK(o.md5_hex == ws::store::md5_hex(content));
  }
  auto under_a = store->list(b.key("a/"));
  REQUIRE(under_a);
  CHECK(under_a->size() == 3);
  auto art = store->list(b.key("art"));
  REQUIRE(art);
  REQUIRE(art->size() == 2);
  CHECK((*art)[0].key == b.key("art/x"));
  CHECK((*art)[1].key == b.key("artifacts/1"));
  auto none = store->list(b.key("zzz/"));
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE_TEMPLATE_DEFINE("odd key names (spaces, unicode, #, +, %, &, =) round trip and list", B, contract_odd_keys) {
  B b;
  auto store = store_contract::open(b.config());
  const std::vector<std::string> names = {"sp ace/file name.txt", "ünï/cödé-日本.txt", "hash#tag", "plus+sign",
                                          "per%25cent%", "amp&eq=q?x", "tilde~_.-", "semi;colon,comma'quote"};
  for (const auto& n : names) {
    CAPTURE(n);
    REQUIRE(store->put_bytes(b.key(n), n).ok());
    auto got = store->get_bytes(b.key(n));
    REQUIRE_MESSAGE(got.ok(), (got.ok() ? "" : got.error().message));
    CHECK(*got == n);
    CHECK(store->head(b.key(n))->size == n.size());
  }
  auto all = store->list(b.key(""));
  REQUIRE(all);
  std::vector<std::string> keys;
  for (const auto& o : *all) keys.push_back(o.key);
  std::vector<std::string> expected;
  for (const auto& n : names) expected.push_back(b.key(n));
  std::sort(expected.begin(), expected.end());
  CHECK(keys == expected);
  auto failures = store->remove(expected);
  REQUIRE(failures);
  CHECK(failures->empty());
  CHECK(store->list(b.key(""))->empty());
}

TEST_CASE_TEMPLATE_DEFINE("remove deletes the keys, tolerates missing ones and leaves others", B, contract_remove) {
  B b;
  auto store = store_contract::open(b.config());
  for (const char* n : {"d/1", "d/2", "d/sub/3", "keep"}) REQUIRE(store->put_bytes(b.key(n), n).ok());
  auto failures = store->remove({b.key("d/1"), b.key("d/sub/3"), b.key("never-existed")});
  REQUIRE(failures);
  CHECK(failures->empty());
  auto left = store->list(b.key(""));
  REQUIRE(left);
  REQUIRE(left->size() == 2);
  CHECK((*left)[0].key == b.key("d/2"));
  CHECK((*left)[1].key == b.key("keep"));
  auto nothing = store->remove({});
  REQUIRE(nothing);
  CHECK(nothing->empty());
}

TEST_CASE_TEMPLATE_DEFINE("check_bucket accepts the bucket and reports a missing one as not_found", B, contract_bucket) {
  B b;
  const auto ok = store_contract::open(b.config())->check_bucket();
  WS_REQUIRE_OK(ok);
  auto cfg = b.config();
  cfg.bucket = "no-such-bucket";
  auto st = store_contract::open(cfg)->check_bucket();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ws::Errc::not_found);
  CHECK(st.error().message.find("no-such-bucket") != std::string::npos);
}

TEST_CASE_TEMPLATE_DEFINE("one store serves several threads at once", B, contract_threads) {
  B b;
  auto store = store_contract::open(b.config());
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const auto k = b.key(std::string("t").append(std::to_string(t)).append("/").append(std::to_string(i)));
        const auto v = store_contract::pattern(1000 + static_cast<size_t>(i), static_cast<unsigned>(t));
        auto got = store->put_bytes(k, v).ok() ? store->get_bytes(k) : ws::Result<std::string>(ws::Error());
        if (got && *got == v) ++ok[static_cast<size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == std::vector<int>(8, 5));
  CHECK(store->list(b.key(""))->size() == 40);
}

TEST_CASE_TEMPLATE_DEFINE("describe names the backend and bucket but no secret", B, contract_describe) {
  B b;
  auto cfg = b.config();
  const auto text = store_contract::open(cfg)->describe();
  CHECK(text.find(cfg.bucket) != std::string::npos);
  if (!cfg.secret_key.empty()) CHECK(text.find(cfg.secret_key) == std::string::npos);
  if (!cfg.access_key.empty()) CHECK(text.find(cfg.access_key) == std::string::npos);
}

// Runs the whole contract against one backend type.
#define WS_STORE_CONTRACT(Backend)                           \
  TEST_CASE_TEMPLATE_INVOKE(contract_roundtrip, Backend);    \
  TEST_CASE_TEMPLATE_INVOKE(contract_empty, Backend);        \
  TEST_CASE_TEMPLATE_INVOKE(contract_missing, Backend);      \
  TEST_CASE_TEMPLATE_INVOKE(contract_files, Backend);        \
  TEST_CASE_TEMPLATE_INVOKE(contract_src_mtime, Backend);    \
  TEST_CASE_TEMPLATE_INVOKE(contract_missing_src, Backend);  \
  TEST_CASE_TEMPLATE_INVOKE(contract_overwrite, Backend);    \
  TEST_CASE_TEMPLATE_INVOKE(contract_list, Backend);         \
  TEST_CASE_TEMPLATE_INVOKE(contract_odd_keys, Backend);     \
  TEST_CASE_TEMPLATE_INVOKE(contract_remove, Backend);       \
  TEST_CASE_TEMPLATE_INVOKE(contract_bucket, Backend);       \
  TEST_CASE_TEMPLATE_INVOKE(contract_threads, Backend);      \
  TEST_CASE_TEMPLATE_INVOKE(contract_describe, Backend)
