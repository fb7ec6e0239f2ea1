// Hydrate and sync decisions that need no real peer, over an in-memory
// store: unsafe keys refused and reported, persistence off, a broken store,
// repo-state sets chosen by their manifests.
#include <doctest/doctest.h>

#include "memory_store.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"
#include "workspace/repo_state_set.hpp"
#include "workspace/workspace.hpp"

namespace fs = std::filesystem;

namespace {

ws::config::Config config_for(const fs::path& root, bool persistence = true) {
  ws::config::EnvSource env;
  env.set("WORKSPACE_ROOT", root.string());
  env.set("SESSION_NAME", "s");
  env.set("NAMESPACE", "n");
  if (persistence) {
    env.set("S3_ENDPOINT", "http://unused.invalid");
    env.set("S3_BUCKET", "b");
    env.set("AWS_ACCESS_KEY_ID", "k");
    env.set("AWS_SECRET_ACCESS_KEY", "very-secret");
  }
  auto cfg = ws::config::load_config(env);
  REQUIRE(cfg);
  return *cfg;
}

}  // namespace

TEST_CASE("keys that would leave their target are refused, reported, and the rest restored") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  store->objects["n/s/artifacts/ok.txt"] = "fine";
  store->objects["n/s/artifacts/../../escape.txt"] = "evil";
  store->objects["n/s/artifacts//abs.txt"] = "evil";
  store->objects["n/s/repo-state/../repo.bundle"] = "evil";
  std::vector<std::string> warnings;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.message);
  });
  ws::workspace::EngineOptions opts;
  opts.store = store;
  auto r = ws::workspace::hydrate(config_for(tmp / "ws"), opts, log);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(r->unsafe_keys == 3);
  CHECK(wstest::read_file(tmp / "ws" / "artifacts" / "ok.txt") == "fine");
  CHECK_FALSE(fs::exists(tmp / "escape.txt"));
  CHECK_FALSE(fs::exists(tmp / "ws" / "escape.txt"));
  CHECK(warnings.size() >= 3);
}

TEST_CASE("hydrate with persistence off creates the layout and touches no store") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  store->down = true;
  ws::workspace::EngineOptions opts;
  opts.store = store;
  auto r = ws::workspace::hydrate(config_for(tmp / "ws", false), opts, {});
  REQUIRE(r);
  CHECK_FALSE(r->persistence);
  CHECK(fs::is_directory(tmp / "ws" / "file-uploads"));
}

TEST_CASE("hydrate fails when the store is down, and the message carries no secret") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  store->down = true;
  ws::workspace::EngineOptions opts;
  opts.store = store;
  auto r = ws::workspace::hydrate(config_for(tmp / "ws"), opts, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ws::Errc::network);
  CHECK(r.error().message.find("very-secret") == std::string::npos);
}

TEST_CASE("sync writes metadata.json with the session, namespace and trees synced") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  ws::workspace::EngineOptions opts;
  opts.store = store;
  const auto cfg = config_for(tmp / "ws");
  REQUIRE(ws::workspace::hydrate(cfg, opts, {}));
  wstest::write_file(tmp / "ws" / "artifacts" / "a.txt", "a");
  auto engine = ws::workspace::SyncEngine::open(cfg, opts, {});
  REQUIRE(engine);
  auto r = (*engine)->run_cycle(true);
  REQUIRE(r);
  CHECK(r->files_uploaded == 1);
  const auto meta = store->objects.at("n/s/metadata.json");
  CHECK(meta.find("\"session\":\"s\"") != std::string::npos);
  CHECK(meta.find("\"namespace\":\"n\"") != std::string::npos);
  CHECK(meta.find("\"pathsSynced\":3") != std::string::npos);
  // Nothing changed: nothing sent.
  store->down = true;
  auto again = (*engine)->run_cycle(false, {true, false});
  CHECK_FALSE(again);  // metadata.json is still written every cycle, and the store is down
  store->down = false;
  auto ok = (*engine)->run_cycle(false);
  REQUIRE(ok);
  CHECK(ok->files_uploaded == 0);
  CHECK(ok->files_unchanged == 1);
}

TEST_CASE("a repo-state set interrupted after its pending copy is read as the new set") {
  wstest::TempDir tmp;
  wsws::MemoryStore store;
  const std::string prefix = "n/s/repo-state/r/";
  // The old set in place, with its manifest.
  ws::workspace::SetManifest old_m = {{"repo.bundle", {ws::store::md5_hex("old bundle"), 10}},
                                      {"metadata.json", {ws::store::md5_hex("{old}"), 5}}};
  store.objects[prefix + "repo.bundle"] = "old bundle";
  store.objects[prefix + "metadata.json"] = "{old}";
  store.objects[prefix + "libworkspace-set.json"] = ws::workspace::manifest_to_json(old_m);
  // The new set: its changed files and manifest written aside, then the
  // bundle in place, and then the writer died.
  ws::workspace::SetManifest new_m = {{"repo.bundle", {ws::store::md5_hex("new bundle!"), 11}},
                                      {"metadata.json", {ws::store::md5_hex("{new}"), 5}}};
  store.objects[prefix + ".pending/repo.bundle"] = "new bundle!";
  store.objects[prefix + ".pending/metadata.json"] = "{new}";
  store.objects[prefix + ".pending/libworkspace-set.json"] = ws::workspace::manifest_to_json(new_m);
  store.objects[prefix + "repo.bundle"] = "new bundle!";
  auto listed = store.list(prefix);
  REQUIRE(listed);
  auto src = ws::workspace::download_set(store, prefix, *listed, tmp / "out", {});
  REQUIRE(src);
  CHECK(*src == ws::workspace::SetSource::pending);
  CHECK(wstest::read_file(tmp / "out" / "repo.bundle") == "new bundle!");
  CHECK(wstest::read_file(tmp / "out" / "metadata.json") == "{new}");

  SUBCASE("and one interrupted before its pending copy was whole is read as the old set") {
    store.objects.erase(prefix + ".pending/metadata.json");
    store.objects[prefix + "repo.bundle"] = "old bundle";
    auto listed2 = store.list(prefix);
    REQUIRE(listed2);
    auto src2 = ws::workspace::download_set(store, prefix, *listed2, tmp / "out2", {});
    REQUIRE(src2);
    CHECK(*src2 == ws::workspace::SetSource::committed);
    CHECK(wstest::read_file(tmp / "out2" / "metadata.json") == "{old}");
  }
}

TEST_CASE("a set without a manifest, as the scripts write it, is read as it is") {
  wstest::TempDir tmp;
  wsws::MemoryStore store;
  const std::string prefix = "n/s/repo-state/r/";
  store.objects[prefix + "repo.bundle"] = "bundle";
  store.objects[prefix + "uncommitted.patch"] = "";
  store.objects[prefix + "metadata.json"] = "{}";
  auto listed = store.list(prefix);
  REQUIRE(listed);
  auto src = ws::workspace::download_set(store, prefix, *listed, tmp / "out", {});
  REQUIRE(src);
  CHECK(*src == ws::workspace::SetSource::legacy);
  CHECK(fs::exists(tmp / "out" / "uncommitted.patch"));
}

TEST_CASE("a cycle where nothing changed sends one request: the metadata.json write") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  ws::workspace::EngineOptions opts;
  opts.store = store;
  const auto cfg = config_for(tmp / "ws");
  REQUIRE(ws::workspace::hydrate(cfg, opts, {}));
  for (int i = 0; i < 20; ++i) wstest::write_file(tmp / "ws" / ".claude" / std::string("f").append(std::to_string(i)), "x");
  auto engine = ws::workspace::SyncEngine::open(cfg, opts, {});
  REQUIRE(engine);
  REQUIRE((*engine)->run_cycle(true));
  store->requests = 0;
  auto again = (*engine)->run_cycle(true);
  REQUIRE(again);
  CHECK(again->files_uploaded == 0);
  CHECK(again->files_unchanged == 20);
  CHECK(store->requests == 1);  // metadata.json
}

TEST_CASE("a file the sync skips is logged once, by its full local path") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  ws::workspace::EngineOptions opts;
  opts.store = store;
  const auto cfg = config_for(tmp / "ws");
  REQUIRE(ws::workspace::hydrate(cfg, opts, {}));
  fs::create_symlink(tmp / "missing", tmp / "ws" / "artifacts" / "dangling");
  std::vector<std::string> skipped;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.event == "sync.skipped") skipped.emplace_back(e.message);
  });
  auto engine = ws::workspace::SyncEngine::open(cfg, opts, log);
  REQUIRE(engine);
  auto r = (*engine)->run_cycle(false);
  REQUIRE(r);
  CHECK(r->files_skipped == 1);
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0] == "skipping " + (tmp / "ws" / "artifacts" / "dangling").string() + ": broken symlink");
}

TEST_CASE("a set that no longer matches its own manifest is damaged, not 'another tool's', and says what is gone") {
  wstest::TempDir tmp;
  wsws::MemoryStore store;
  const std::string prefix = "n/s/repo-state/r/";
  ws::workspace::SetManifest m = {{"repo.bundle", {ws::store::md5_hex("bundle"), 6}},
                                  {"uncommitted.patch", {ws::store::md5_hex("diff"), 4}},
                                  {"metadata.json", {ws::store::md5_hex("{}"), 2}}};
  store.objects[prefix + "repo.bundle"] = "bundle";
  store.objects[prefix + "metadata.json"] = "{}";
  store.objects[prefix + "libworkspace-set.json"] = ws::workspace::manifest_to_json(m);
  // uncommitted.patch was deleted from the store.
  std::vector<std::string> warnings;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.push_back(std::string(e.event) + ": " + std::string(e.message));
  });
  auto listed = store.list(prefix);
  REQUIRE(listed);
  auto src = ws::workspace::download_set(store, prefix, *listed, tmp / "out", log);
  REQUIRE(src);
  CHECK(*src == ws::workspace::SetSource::damaged);
  CHECK(wstest::read_file(tmp / "out" / "repo.bundle") == "bundle");  // what is there is restored
  CHECK_FALSE(fs::exists(tmp / "out" / "uncommitted.patch"));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].starts_with("repo_state.damaged: "));
  CHECK(warnings[0].find("uncommitted.patch missing") != std::string::npos);
}
