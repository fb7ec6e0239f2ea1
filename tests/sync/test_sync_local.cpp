// mirror_up and copy_down against the local-directory store (and a few
// decorating stores that inject what the local store cannot produce:
// unsafe keys, failed transfers).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <set>

#include "store/digest.hpp"
#include "store/store.hpp"
#include "support.hpp"
#include "sync/sync.hpp"

namespace fs = std::filesystem;
using namespace ws;
using namespace ws::sync;

namespace {

std::unique_ptr<store::Store> local_store(const wstest::TempDir& t) {
  fs::create_directories(t / "store/bucket");
  store::StoreConfig cfg;
  cfg.endpoint = "file://" + (t / "store").string();
  cfg.bucket = "bucket";
  auto s = store::open_store(cfg);
  REQUIRE(s.ok());
  return std::move(*s);
}

// Forwards to another store; counts calls and injects failures.
class WrapStore : public store::Store {
 public:
  explicit WrapStore(store::Store& inner) : inner_(inner) {}
  std::string describe() const override { return described.empty() ? inner_.describe() : described; }
  std::string identity() const override { return inner_.identity(); }
  Status check_bucket() override { return inner_.check_bucket(); }
  Result<std::vector<store::ObjectInfo>> list(std::string_view prefix) override {
    ++lists;
    if (on_list) on_list();
    auto r = inner_.list(prefix);
    if (r) for (const auto& k : extra_keys) r->push_back({k, 1, "", "", std::nullopt});
    return r;
  }
  Result<store::ObjectInfo> head(std::string_view key) override { return inner_.head(key); }
  Result<store::ObjectInfo> get_file(std::string_view key, const fs::path& dest) override {
    std::lock_guard lock(mu);
    gets.insert(std::string(key));
    if (fail_get) return Error(Errc::network, "injected failure");
    return inner_.get_file(key, dest);
  }
  Result<std::string> get_bytes(std::string_view key) override { return inner_.get_bytes(key); }
  Status put_file(std::string_view key, const fs::path& src, const store::PutOptions& o) override {
    ++puts;
    {
      std::lock_guard lock(mu);
      put_md5s.emplace_back(std::string(key), o.md5_hex);
    }
    if (!fail_put_containing.empty() && key.find(fail_put_containing) != std::string_view::npos) {
      return Error(Errc::store, "injected failure");
    }
    return inner_.put_file(key, src, o);
  }
  Status put_bytes(std::string_view key, std::string_view data, const store::PutOptions& o) override {
    return inner_.put_bytes(key, data, o);
  }
  Result<std::vector<store::DeleteFailure>> remove(const std::vector<std::string>& keys) override {
    removes += keys.size();
    return inner_.remove(keys);
  }

  std::atomic<int> lists{0}, puts{0};
  std::atomic<size_t> removes{0};
  std::vector<std::string> extra_keys;
  std::string fail_put_containing;
  bool fail_get = false;
  std::function<void()> on_list;  // runs before each listing
  std::string described;          // describe()'s text when not empty
  std::mutex mu;
  std::set<std::string> gets;
  std::vector<std::pair<std::string, std::string>> put_md5s;  // (key, MD5 given), in call order

 private:
  store::Store& inner_;
};

void make_tree(const fs::path& root) {
  wstest::write_file(root / "a.txt", "alpha");
  wstest::write_file(root / "dir/b.txt", "bravo");
  wstest::write_file(root / "dir/deep/c.bin", std::string(300000, 'c'));
  wstest::write_file(root / "node_modules/x.js", "excluded");
  wstest::write_file(root / "dir/x.pyc", "excluded");
}

std::set<std::string> keys_of(store::Store& s, const std::string& prefix) {
  auto l = s.list(prefix);
  REQUIRE(l.ok());
  std::set<std::string> out;
  for (const auto& o : *l) out.insert(o.key);
  return out;
}

int64_t mtime_s(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mtim.tv_sec;
}

void set_old_mtime(const fs::path& p, int64_t sec) {
  struct timespec ts[2] = {{sec, 250000000}, {sec, 250000000}};
  REQUIRE(utimensat(AT_FDCWD, p.c_str(), ts, 0) == 0);
}

// make_tree's tree under t/src, its files old enough for their hashes to be
// cached, and options with a state database under t.
MirrorOptions settled_tree_with_state(const wstest::TempDir& t) {
  make_tree(t / "src");
  for (auto p : {"a.txt", "dir/b.txt", "dir/deep/c.bin"}) set_old_mtime(t / "src" / p, 1600000000);
  MirrorOptions o;
  o.state_db = t / "state/sync.db";
  return o;
}

// Records the progress calls of a transfer batch (from any thread).
struct ProgressRecord {
  std::mutex mu;
  Progress last;      // its counters; the views in it are not kept
  std::string phase;
  int starts = 0;     // calls with nothing done yet: one per progress sequence

  Logger logger() {
    return Logger({}, [this](const Progress& p) {
      std::lock_guard lock(mu);
      if (p.files_done == 0) ++starts;
      last = p;
      phase = std::string(p.phase);
    });
  }
};

}  // namespace

TEST_CASE("mirror_up uploads every included file and copy_down restores it with mtimes") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  make_tree(t / "src");
  set_old_mtime(t / "src/dir/b.txt", 1600000000);
  auto up = mirror_up(*st, t / "src", "ns/s1/artifacts");
  REQUIRE(up.ok());
  CHECK(up->ok());
  CHECK(up->transferred == 3);
  CHECK(up->files == 3);
  CHECK(keys_of(*st, "ns/s1/artifacts/") ==
        std::set<std::string>{"ns/s1/artifacts/a.txt", "ns/s1/artifacts/dir/b.txt", "ns/s1/artifacts/dir/deep/c.bin"});

  auto down = copy_down(*st, "ns/s1/artifacts/", t / "dst");
  REQUIRE(down.ok());
  CHECK(down->ok());
  CHECK(down->transferred == 3);
  CHECK(wstest::read_file(t / "dst/dir/deep/c.bin") == std::string(300000, 'c'));
  CHECK(wstest::read_file(t / "dst/a.txt") == "alpha");
  CHECK(mtime_s(t / "dst/dir/b.txt") == 1600000000);
  CHECK_FALSE(fs::exists(t / "dst/node_modules"));
}

TEST_CASE("a second mirror with a state database reads no file and sends no request") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  const MirrorOptions o = settled_tree_with_state(t);
  REQUIRE(mirror_up(st, t / "src", "p", o).ok());
  CHECK(st.lists == 1);
  CHECK(st.puts == 3);
  auto again = mirror_up(st, t / "src", "p", o);
  REQUIRE(again.ok());
  CHECK(again->transferred == 0);
  CHECK(again->unchanged == 3);
  CHECK_FALSE(again->listed);
  CHECK(st.lists == 1);
  CHECK(st.puts == 3);
}

TEST_CASE("the manifest belongs to the store's identity: rewording describe() keeps it, another bucket or prefix has its own") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  const MirrorOptions o = settled_tree_with_state(t);
  REQUIRE(mirror_up(st, t / "src", "p", o).ok());
  REQUIRE(st.lists == 1);

  st.described = "the same bucket, described in other words";
  auto reworded = mirror_up(st, t / "src", "p", o);
  REQUIRE(reworded.ok());
  CHECK_FALSE(reworded->listed);
  CHECK(reworded->unchanged == 3);
  CHECK(st.lists == 1);

  // Another bucket at the same endpoint: a manifest shared with the first
  // would claim files this bucket never received.
  fs::create_directories(t / "store/other");
  store::StoreConfig cfg;
  cfg.endpoint = "file://" + (t / "store").string();
  cfg.bucket = "other";
  auto other_bucket = store::open_store(cfg);
  REQUIRE(other_bucket.ok());
  WrapStore other(**other_bucket);
  other.described = st.described;
  auto there = mirror_up(other, t / "src", "p", o);
  REQUIRE(there.ok());
  CHECK(there->listed);
  CHECK(there->transferred == 3);
  CHECK(keys_of(**other_bucket, "p/").size() == 3);

  auto other_prefix = mirror_up(st, t / "src", "q", o);
  REQUIRE(other_prefix.ok());
  CHECK(other_prefix->listed);
  CHECK(other_prefix->transferred == 3);
  CHECK(keys_of(*inner, "q/").size() == 3);
}

TEST_CASE("the manifest is verified by a full listing every verify_every cycles") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::write_file(t / "src/f", "x");
  MirrorOptions o;
  o.state_db = t / "sync.db";
  o.verify_every = 3;
  for (int i = 0; i < 6; ++i) REQUIRE(mirror_up(st, t / "src", "p", o).ok());
  CHECK(st.lists == 2);  // cycles 1 and 4
  // A key deleted behind our back is restored at the next verification.
  REQUIRE(inner->remove({"p/f"}).ok());
  for (int i = 0; i < 3; ++i) REQUIRE(mirror_up(st, t / "src", "p", o).ok());
  CHECK(keys_of(*inner, "p/").count("p/f") == 1);
}

TEST_CASE("a changed file is uploaded again, an unchanged one is not") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::write_file(t / "src/same", "same");
  wstest::write_file(t / "src/edit", "v1");
  set_old_mtime(t / "src/same", 1600000000);
  set_old_mtime(t / "src/edit", 1600000000);
  MirrorOptions o;
  o.state_db = t / "sync.db";
  REQUIRE(mirror_up(st, t / "src", "p", o).ok());
  wstest::write_file(t / "src/edit", "v2");  // same size, new content
  auto r = mirror_up(st, t / "src", "p", o);
  REQUIRE(r.ok());
  CHECK(r->transferred == 1);
  CHECK(r->unchanged == 1);
  CHECK(*inner->get_bytes("p/edit") == "v2");
}

TEST_CASE("deleted files are deleted remotely, excluded remote keys are kept") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  wstest::write_file(t / "src/keep", "k");
  wstest::write_file(t / "src/gone", "g");
  REQUIRE(mirror_up(*st, t / "src", "p").ok());
  REQUIRE(st->put_bytes("p/node_modules/m.js", "m").ok());
  fs::remove(t / "src/gone");
  auto r = mirror_up(*st, t / "src", "p");
  REQUIRE(r.ok());
  CHECK(r->deleted == 1);
  CHECK(keys_of(*st, "p/") == std::set<std::string>{"p/keep", "p/node_modules/m.js"});
}

TEST_CASE("a file skipped for its size keeps its remote copy") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  wstest::write_file(t / "src/grows", "small");
  wstest::write_file(t / "src/other", "o");
  REQUIRE(mirror_up(*st, t / "src", "p").ok());
  wstest::write_file(t / "src/grows", std::string(100, 'x'));
  MirrorOptions o;
  o.max_file_size = 50;
  auto r = mirror_up(*st, t / "src", "p", o);
  REQUIRE(r.ok());
  REQUIRE(r->skipped.size() == 1);
  CHECK(r->deleted == 0);
  CHECK(*st->get_bytes("p/grows") == "small");
}

TEST_CASE("a failed upload keeps every remote file: deletions wait for a clean cycle") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::write_file(t / "src/old", "o");
  REQUIRE(mirror_up(st, t / "src", "p").ok());
  fs::remove(t / "src/old");
  wstest::write_file(t / "src/new-fail", "n");
  st.fail_put_containing = "fail";
  auto r = mirror_up(st, t / "src", "p");
  REQUIRE(r.ok());
  CHECK_FALSE(r->ok());
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].path == "new-fail");
  CHECK(r->status().error().code == Errc::store);
  CHECK(r->deleted == 0);
  CHECK(keys_of(*inner, "p/").count("p/old") == 1);
  st.fail_put_containing.clear();
  auto ok = mirror_up(st, t / "src", "p");
  REQUIRE(ok.ok());
  CHECK(ok->ok());
  CHECK(keys_of(*inner, "p/") == std::set<std::string>{"p/new-fail"});
}

TEST_CASE("mirroring a missing directory fails instead of deleting the remote") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  wstest::write_file(t / "src/f", "x");
  REQUIRE(mirror_up(*st, t / "src", "p").ok());
  auto r = mirror_up(*st, t / "missing", "p");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::not_found);
  CHECK(keys_of(*st, "p/").size() == 1);
}

TEST_CASE("unsafe keys are refused and reported while the rest downloads") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  REQUIRE(inner->put_bytes("p/good/file.txt", "good").ok());
  st.extra_keys = {"p/../evil", "p/a//b", "p//abs", std::string("p/nul\0x", 7), "p/./dot"};
  auto r = copy_down(st, "p", t / "dst");
  REQUIRE(r.ok());
  CHECK(r->transferred == 1);
  CHECK(r->failed.size() == 5);
  for (const auto& f : r->failed) CHECK(f.code == Errc::unsafe_path);
  CHECK(r->status().error().code == Errc::unsafe_path);
  CHECK(wstest::read_file(t / "dst/good/file.txt") == "good");
  CHECK(st.gets == std::set<std::string>{"p/good/file.txt"});
  CHECK_FALSE(fs::exists(t / "evil"));
}

TEST_CASE("a symlinked directory inside the target is never written through") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  REQUIRE(st->put_bytes("p/sub/f.txt", "inside?").ok());
  REQUIRE(st->put_bytes("p/ok.txt", "ok").ok());
  fs::create_directories(t / "dst");
  fs::create_directories(t / "outside");
  fs::create_directory_symlink(t / "outside", t / "dst/sub");
  auto r = copy_down(*st, "p", t / "dst");
  REQUIRE(r.ok());
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].code == Errc::unsafe_path);
  CHECK(fs::is_empty(t / "outside"));
  CHECK(wstest::read_file(t / "dst/ok.txt") == "ok");
}

TEST_CASE("a directory where a file belongs fails that file alone, and stays as it was") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  REQUIRE(st->put_bytes("p/d/taken", "file").ok());
  REQUIRE(st->put_bytes("p/d/free", "free").ok());
  fs::create_directories(t / "dst/d/taken");
  wstest::write_file(t / "dst/d/taken/inside", "kept");
  auto r = copy_down(*st, "p", t / "dst");
  REQUIRE(r.ok());
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].path == "d/taken");
  CHECK(r->failed[0].code == Errc::conflict);
  CHECK(wstest::read_file(t / "dst/d/taken/inside") == "kept");
  CHECK(wstest::read_file(t / "dst/d/free") == "free");
  CHECK(std::distance(fs::directory_iterator(t / "dst/d"), fs::directory_iterator()) == 2);
}

TEST_CASE("mirror_up_trees uploads several trees in one batch, largest first, one result per tree") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  for (int i = 0; i < 20; ++i) wstest::write_file(t / "a" / ("f" + std::to_string(i)), "a" + std::to_string(i));
  wstest::write_file(t / "b/big", std::string(200000, 'b'));
  ProgressRecord progress;
  MirrorOptions o;
  o.parallel = 1;
  auto results = mirror_up_trees(st, {{t / "a", "s/a"}, {t / "b", "s/b"}, {t / "missing", "s/c"}}, o,
                                 progress.logger());
  REQUIRE(results.size() == 3);
  REQUIRE(results[0].ok());
  CHECK(results[0]->transferred == 20);
  CHECK(results[0]->ok());
  REQUIRE(results[1].ok());
  CHECK(results[1]->transferred == 1);
  CHECK(results[1]->bytes_transferred == 200000);
  REQUIRE_FALSE(results[2].ok());
  CHECK(results[2].error().code == Errc::not_found);
  CHECK(keys_of(*inner, "s/a/").size() == 20);
  CHECK(*inner->get_bytes("s/b/big") == std::string(200000, 'b'));
  REQUIRE_FALSE(st.put_md5s.empty());
  CHECK(st.put_md5s.front().first == "s/b/big");
  // One progress sequence for the whole batch.
  CHECK(progress.starts == 1);
  CHECK(progress.last.files_total == 21);
  CHECK(progress.last.files_done == 21);
}

TEST_CASE("a file the remote lacks is hashed by its own upload, which sends its MD5") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  make_tree(t / "src");
  auto r = mirror_up(st, t / "src", "p");
  REQUIRE(r.ok());
  CHECK(r->transferred == 3);
  REQUIRE(st.put_md5s.size() == 3);
  for (const auto& [key, md5] : st.put_md5s) {
    auto real = store::md5_file_hex(t / "src" / key.substr(2));
    REQUIRE(real.ok());
    CHECK(md5 == *real);
  }
}

TEST_CASE("a file deleted after the scan is left out of the cycle, not failed") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::write_file(t / "src/keep", "k");
  wstest::write_file(t / "src/gone", "g");
  st.on_list = [&] { fs::remove(t / "src/gone"); };
  auto r = mirror_up(st, t / "src", "p");
  REQUIRE(r.ok());
  CHECK(r->ok());
  CHECK(r->files == 1);
  CHECK(r->bytes == 1);
  CHECK(r->transferred == 1);
  CHECK(keys_of(*inner, "p/") == std::set<std::string>{"p/keep"});
}

TEST_CASE("copy_down_trees restores several trees in one batch, one result per tree") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  for (int i = 0; i < 30; ++i) {
    REQUIRE(inner->put_bytes("s/a/sub" + std::to_string(i % 3) + "/f" + std::to_string(i), "a" + std::to_string(i)).ok());
  }
  REQUIRE(inner->put_bytes("s/b/big", std::string(200000, 'b')).ok());
  ProgressRecord progress;
  CopyOptions co;
  co.parallel = 4;
  auto results = copy_down_trees(st, {{"s/a", t / "dst/a"}, {"s/b", t / "dst/b"}, {"s/empty", t / "dst/empty"}}, co,
                                 progress.logger());
  REQUIRE(results.size() == 3);
  REQUIRE(results[0].ok());
  CHECK(results[0]->transferred == 30);
  CHECK(results[0]->ok());
  REQUIRE(results[1].ok());
  CHECK(results[1]->transferred == 1);
  CHECK(results[1]->bytes_transferred == 200000);
  REQUIRE(results[2].ok());
  CHECK(results[2]->files == 0);
  CHECK(fs::is_directory(t / "dst/empty"));
  CHECK(wstest::read_file(t / "dst/a/sub2/f29") == "a29");
  CHECK(wstest::read_file(t / "dst/b/big") == std::string(200000, 'b'));
  // One progress sequence for the whole batch.
  CHECK(progress.starts == 1);
  CHECK(progress.last.files_total == 31);
  CHECK(progress.last.files_done == 31);
}

TEST_CASE("copy_down_trees: a tree that cannot be listed fails alone") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  REQUIRE(st->put_bytes("s/good/f", "good").ok());
  auto results = copy_down_trees(*st, {{"../escape", t / "dst/bad"}, {"s/good", t / "dst/good"}});
  REQUIRE(results.size() == 2);
  CHECK_FALSE(results[0].ok());
  REQUIRE(results[1].ok());
  CHECK(wstest::read_file(t / "dst/good/f") == "good");
}

TEST_CASE("a failed download leaves the existing file as it was and no temporary files") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  REQUIRE(inner->put_bytes("p/f.txt", "new content").ok());
  wstest::write_file(t / "dst/f.txt", "good old");
  st.fail_get = true;
  auto r = copy_down(st, "p", t / "dst");
  REQUIRE(r.ok());
  CHECK(r->failed.size() == 1);
  CHECK(wstest::read_file(t / "dst/f.txt") == "good old");
  CHECK(std::distance(fs::directory_iterator(t / "dst"), fs::directory_iterator()) == 1);
}

TEST_CASE("copy_down leaves identical files alone and seeds the mirror's state") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::write_file(t / "src/a", "aaa");
  set_old_mtime(t / "src/a", 1600000000);
  REQUIRE(mirror_up(st, t / "src", "p").ok());
  CopyOptions co;
  co.state_db = t / "sync.db";
  REQUIRE(copy_down(st, "p", t / "dst", co).ok());
  auto again = copy_down(st, "p", t / "dst", co);
  REQUIRE(again.ok());
  CHECK(again->transferred == 0);
  CHECK(again->unchanged == 1);
  // The sidecar's first cycle after a hydrate trusts what copy_down saw.
  const int lists = st.lists;
  MirrorOptions mo;
  mo.state_db = co.state_db;
  auto up = mirror_up(st, t / "dst", "p", mo);
  REQUIRE(up.ok());
  CHECK(up->unchanged == 1);
  CHECK(up->transferred == 0);
  CHECK(st.lists == lists);
}

TEST_CASE("progress reports every file and byte of the transfer") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  make_tree(t / "src");
  ProgressRecord progress;
  auto r = mirror_up(*st, t / "src", "p", {}, progress.logger());
  REQUIRE(r.ok());
  CHECK(progress.phase == "upload");
  CHECK(progress.last.files_done == 3);
  CHECK(progress.last.files_total == 3);
  CHECK(progress.last.bytes_done == progress.last.bytes_total);
  CHECK(progress.last.bytes_total == 300010);
}

TEST_CASE("dry run decides without transferring") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  make_tree(t / "src");
  MirrorOptions o;
  o.dry_run = true;
  auto r = mirror_up(*st, t / "src", "p", o);
  REQUIRE(r.ok());
  CHECK(r->transferred == 3);
  CHECK(keys_of(*st, "p/").empty());
}

TEST_CASE("links out of the workspace never upload what they point to; links inside it do") {
  wstest::TempDir t("sync");
  auto st = local_store(t);
  wstest::TempDir outside("sync-out");
  wstest::write_file(outside / "passwd", "root:x:0:0:root:/root:/bin/bash");
  wstest::write_file(outside / "d/f.txt", "elsewhere");
  const fs::path ws = t / "workspace";
  wstest::write_file(ws / "artifacts/report.txt", "r");
  wstest::write_file(ws / ".claude/notes.md", "n");
  fs::create_symlink("/proc/self/environ", ws / "artifacts/environ");
  fs::create_symlink(outside / "passwd", ws / "artifacts/passwd");
  fs::create_directory_symlink(outside / "d", ws / "artifacts/dir");
  fs::create_symlink("../.claude/notes.md", ws / "artifacts/notes.md");
  MirrorOptions o;
  o.confine_to = ws;
  auto up = mirror_up(*st, ws / "artifacts", "ns/s/artifacts", o);
  REQUIRE(up.ok());
  CHECK(up->ok());
  CHECK(keys_of(*st, "ns/s/artifacts/") ==
        std::set<std::string>{"ns/s/artifacts/notes.md", "ns/s/artifacts/report.txt"});
  CHECK(up->skipped.size() == 3);
}

TEST_CASE("a file swapped for a link out of the tree after the scan is refused, not followed") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::TempDir outside("sync-out");
  wstest::write_file(outside / "secret", "AWS_SECRET_ACCESS_KEY=do-not-upload");
  wstest::write_file(outside / "sub/file", "AWS_SECRET_ACCESS_KEY=do-not-upload");
  wstest::write_file(t / "src/file", "harmless");
  wstest::write_file(t / "src/sub/file", "harmless too");
  st.on_list = [&] {
    fs::remove(t / "src/file");
    fs::create_symlink(outside / "secret", t / "src/file");
    fs::remove_all(t / "src/sub");
    fs::create_directory_symlink(outside / "sub", t / "src/sub");
  };
  auto r = mirror_up(st, t / "src", "p");
  REQUIRE(r.ok());
  REQUIRE(r->failed.size() == 2);
  for (const auto& f : r->failed) CHECK(f.code == Errc::unsafe_path);
  CHECK(keys_of(*inner, "p/").empty());
}

TEST_CASE("a file swapped for a FIFO after the scan fails alone instead of hanging the cycle") {
  wstest::TempDir t("sync");
  auto inner = local_store(t);
  WrapStore st(*inner);
  wstest::write_file(t / "src/ok", "ok");
  wstest::write_file(t / "src/state.db", "sqlite");
  st.on_list = [&] {
    fs::remove(t / "src/state.db");
    REQUIRE(::mkfifo((t / "src/state.db").c_str(), 0600) == 0);
  };
  auto r = mirror_up(st, t / "src", "p");
  REQUIRE(r.ok());
  REQUIRE(r->failed.size() == 1);
  CHECK(r->failed[0].path == "state.db");
  CHECK(r->failed[0].code == Errc::unsupported);
  CHECK(keys_of(*inner, "p/") == std::set<std::string>{"p/ok"});
}
