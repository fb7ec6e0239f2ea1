// Set manifests (libworkspace-set.json) are stored input that anyone with
// write access to the session's prefix can forge: a malformed one is treated
// as absent, never a crash.
#include <doctest/doctest.h>

#include <algorithm>

#include "memory_store.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"
#include "workspace/repo_state_set.hpp"
#include "workspace/workspace.hpp"

namespace fs = std::filesystem;
using ws::workspace::SetManifest;

namespace {

std::string manifest_with_size(const std::string& size) {
  return R"({"format":"libworkspace-repo-state/1","files":{"repo.bundle":{"md5":")" +
         ws::store::md5_hex("bundle") + R"(","size":)" + size + "}}}";
}

struct Warnings {
  std::vector<std::string> lines;
  ws::Logger logger() {
    return ws::Logger([this](const ws::LogEvent& e) {
      if (e.level == ws::LogLevel::warn) lines.push_back(std::string(e.event) + " " + std::string(e.message));
    });
  }
  bool has(std::string_view event) const {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.starts_with(event); });
  }
};

}  // namespace

TEST_CASE("a manifest size that is not a 64-bit byte count is a protocol error naming the entry") {
  for (const char* size : {"-1", "1.5", "1e30", "18446744073709551616", "\"6\"", "null"}) {
    CAPTURE(size);
    auto m = ws::workspace::manifest_from_json(manifest_with_size(size));
    REQUIRE_FALSE(m);
    CHECK(m.error().code == ws::Errc::protocol);
    CHECK(m.error().message.find("'repo.bundle'") != std::string::npos);
  }
  for (const char* size : {"0", "6", "18446744073709551615"}) {
    CAPTURE(size);
    CHECK(ws::workspace::manifest_from_json(manifest_with_size(size)));
  }
  auto bad_md5 = ws::workspace::manifest_from_json(
      R"({"files":{"repo.bundle":{"md5":"not-hex","size":6}}})");
  REQUIRE_FALSE(bad_md5);
  CHECK(bad_md5.error().message.find("md5") != std::string::npos);
}

TEST_CASE("a malformed manifest in place is treated as absent; the pending set is still used") {
  wstest::TempDir tmp;
  wsws::MemoryStore store;
  const std::string prefix = "n/s/repo-state/r/";
  const SetManifest good = {{"repo.bundle", {ws::store::md5_hex("bundle"), 6}}};
  store.objects[prefix + ".pending/repo.bundle"] = "bundle";
  store.objects[prefix + ".pending/libworkspace-set.json"] = ws::workspace::manifest_to_json(good);
  store.objects[prefix + "repo.bundle"] = "bundle";
  store.objects[prefix + "libworkspace-set.json"] = manifest_with_size("1e30");
  Warnings w;
  auto listed = store.list(prefix);
  REQUIRE(listed);
  auto src = ws::workspace::download_set(store, prefix, *listed, tmp / "out", w.logger());
  REQUIRE_MESSAGE(src, (src ? "" : src.error().message));
  CHECK(*src == ws::workspace::SetSource::pending);
  CHECK(wstest::read_file(tmp / "out" / "repo.bundle") == "bundle");
  CHECK(w.has("repo_state.bad_manifest " + prefix + "libworkspace-set.json"));

  auto previous = ws::workspace::fetch_manifest(store, prefix, w.logger());
  REQUIRE(previous);
  CHECK_FALSE(previous->has_value());
}

TEST_CASE("hydrate survives a forged manifest: a warning, the files as they are, no abort") {
  wstest::TempDir tmp;
  auto store = std::make_shared<wsws::MemoryStore>();
  const std::string prefix = "n/s/repo-state/r/";
  store->objects[prefix + "repo.bundle"] = "bundle";
  store->objects[prefix + "libworkspace-set.json"] = manifest_with_size("18446744073709551616");
  ws::config::EnvSource env;
  env.set("WORKSPACE_ROOT", (tmp / "ws").string());
  env.set("SESSION_NAME", "s");
  env.set("NAMESPACE", "n");
  env.set("S3_ENDPOINT", "http://unused.invalid");
  env.set("S3_BUCKET", "b");
  env.set("AWS_ACCESS_KEY_ID", "k");
  env.set("AWS_SECRET_ACCESS_KEY", "very-secret");
  auto cfg = ws::config::load_config(env);
  REQUIRE(cfg);
  ws::workspace::EngineOptions opts;
  opts.store = store;
  Warnings w;
  auto r = ws::workspace::hydrate(*cfg, opts, w.logger());
  if (!r) CHECK(r.error().code != ws::Errc::internal);
  CHECK(w.has("repo_state.bad_manifest"));
}
