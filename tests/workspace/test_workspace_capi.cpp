// The workspace area of the C ABI (include/libworkspace/workspace.h) through
// the shared library, against s3rver and the local-directory store: hydrate,
// one sync cycle with its report, the sidecar stopped from another thread,
// argument checks.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "libworkspace/libworkspace.h"
#include "s3rver.hpp"

namespace fs = std::filesystem;

namespace {

struct Config {
  ws_config* cfg = nullptr;
  Config(const fs::path& root, const std::string& endpoint, const std::string& delay = "0") {
    const std::vector<std::string> entries = {
        "WORKSPACE_ROOT=" + root.string(), "SESSION_NAME=c-sess", "NAMESPACE=c-ns",
        "S3_ENDPOINT=" + endpoint,         "S3_BUCKET=ambient-sessions",
        "AWS_ACCESS_KEY_ID=S3RVER",        "AWS_SECRET_ACCESS_KEY=S3RVER",
        "SYNC_INITIAL_DELAY=" + delay,     "SYNC_INTERVAL=3600"};
    std::vector<const char*> envp;
    for (const auto& e : entries) envp.push_back(e.c_str());
    envp.push_back(nullptr);
    REQUIRE_MESSAGE(ws_config_from_envp(&cfg, envp.data()) == WS_OK, ws_error_last());
  }
  ~Config() { ws_config_free(cfg); }
};

void count_events(void* userdata, ws_log_level, const char* event, const char*) {
  static_cast<std::vector<std::string>*>(userdata)->push_back(event);
}

// What the store holds at `prefix`/`name`, downloaded through the C API
// into `scratch`; "" when it is not stored.
std::string stored_text(const std::string& endpoint, const std::string& prefix, const fs::path& scratch,
                        const std::string& name) {
  ws_store_options so = WS_STORE_OPTIONS_INIT;
  so.endpoint = endpoint.c_str();
  so.bucket = "ambient-sessions";
  so.access_key = "S3RVER";
  so.secret_key = "S3RVER";
  ws_store* store = nullptr;
  REQUIRE_MESSAGE(ws_store_open(&store, &so, nullptr) == WS_OK, ws_error_last());
  const int rc = ws_sync_copy_down(store, prefix.c_str(), scratch.c_str(), nullptr, nullptr, nullptr);
  ws_store_free(store);
  REQUIRE_MESSAGE(rc == WS_OK, ws_error_last());
  return fs::exists(scratch / name) ? wstest::read_file(scratch / name) : "";
}

}  // namespace

TEST_CASE("ws_hydrate and ws_sync_once round-trip a file through S3 and report what they did") {
  wstest::S3rver s3({"ambient-sessions"});
  wstest::TempDir tmp;
  Config one(tmp / "ws1", s3.endpoint());
  ws_hydrate_report hr = WS_HYDRATE_REPORT_INIT;
  REQUIRE_MESSAGE(ws_hydrate_ext(one.cfg, nullptr, nullptr, &hr) == WS_OK, ws_error_last());
  CHECK(hr.persistence == 1);
  wstest::write_file(tmp / "ws1" / "artifacts" / "a.txt", "artifact");

  std::vector<std::string> events;
  ws_callbacks cb = WS_CALLBACKS_INIT;
  cb.log = count_events;
  cb.userdata = &events;
  ws_sync_report sr = WS_SYNC_REPORT_INIT;
  REQUIRE_MESSAGE(ws_sync_once(one.cfg, nullptr, &cb, &sr) == WS_OK, ws_error_last());
  CHECK(sr.files_uploaded == 1);
  CHECK(std::find(events.begin(), events.end(), "sync.cycle") != events.end());

  Config two(tmp / "ws2", s3.endpoint());
  REQUIRE_MESSAGE(ws_hydrate(two.cfg, nullptr) == WS_OK, ws_error_last());
  CHECK(wstest::read_file(tmp / "ws2" / "artifacts" / "a.txt") == "artifact");
}

TEST_CASE("ws_config_from_pairs takes a file:// S3_ENDPOINT and ws_hydrate restores from that local store") {
  wstest::TempDir tmp;
  const fs::path store = tmp / "objects";
  wstest::write_file(store / "ambient-sessions" / "c-ns" / "c-sess" / "artifacts" / "a.txt", "artifact");
  const std::string endpoint = "file://" + store.string();
  const std::string root = (tmp / "ws").string();
  const char* keys[] = {"WORKSPACE_ROOT", "SESSION_NAME", "NAMESPACE", "S3_ENDPOINT",
                        "S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"};
  const char* values[] = {root.c_str(), "c-sess", "c-ns", endpoint.c_str(),
                          "ambient-sessions", "local", "local"};
  ws_config* cfg = nullptr;
  REQUIRE_MESSAGE(ws_config_from_pairs(&cfg, keys, values, 7) == WS_OK, ws_error_last());
  const char* got = nullptr;
  REQUIRE(ws_config_get(cfg, "S3_ENDPOINT", &got) == WS_OK);
  CHECK(std::string(got) == endpoint);

  ws_hydrate_report hr = WS_HYDRATE_REPORT_INIT;
  REQUIRE_MESSAGE(ws_hydrate_ext(cfg, nullptr, nullptr, &hr) == WS_OK, ws_error_last());
  CHECK(hr.persistence == 1);
  CHECK(hr.files_downloaded == 1);
  CHECK(wstest::read_file(tmp / "ws" / "artifacts" / "a.txt") == "artifact");
  ws_config_free(cfg);
}

TEST_CASE("ws_hydrate fails with WS_ENETWORK and a message when the store is down") {
  wstest::TempDir tmp;
  const wstest::RefusingPort refusing;
  Config c(tmp / "ws", refusing.url());
  CHECK(ws_hydrate(c.cfg, nullptr) == WS_ENETWORK);
  CHECK(std::string(ws_error_last()).find("127.0.0.1") != std::string::npos);
}

TEST_CASE("a sidecar stopped from another thread saves once more and returns 0") {
  wstest::S3rver s3({"ambient-sessions"});
  wstest::TempDir tmp;
  Config c(tmp / "ws", s3.endpoint(), "3600");
  REQUIRE(ws_hydrate(c.cfg, nullptr) == WS_OK);
  wstest::write_file(tmp / "ws" / "file-uploads" / "u.txt", "upload");
  ws_sidecar* sidecar = nullptr;
  REQUIRE(ws_sidecar_new(&sidecar, c.cfg, nullptr, nullptr) == WS_OK);
  int rc = -100;
  std::thread runner([&] { rc = ws_sidecar_run(sidecar); });
  ws_sidecar_stop(sidecar);
  runner.join();
  CHECK(rc == WS_OK);
  CHECK(ws_sidecar_run(sidecar) == WS_EINVALID);  // runs once
  ws_sidecar_free(sidecar);
  // The final save stored the upload: read it back from s3rver.
  CHECK(stored_text(s3.endpoint(), "c-ns/c-sess/file-uploads", tmp / "readback", "u.txt") == "upload");
}

TEST_CASE("the workspace calls check their arguments and option versions") {
  wstest::TempDir tmp;
  Config c(tmp / "ws", "http://127.0.0.1:1");
  CHECK(ws_hydrate(nullptr, nullptr) == WS_EINVALID);
  ws_workspace_options bad = WS_WORKSPACE_OPTIONS_INIT;
  bad.version = 99;
  CHECK(ws_sync_once(c.cfg, &bad, nullptr, nullptr) == WS_EINVALID);
  ws_workspace_options both = WS_WORKSPACE_OPTIONS_INIT;
  both.flags = WS_SYNC_STATE_ONLY | WS_SYNC_REPOS_ONLY;
  CHECK(ws_sync_once(c.cfg, &both, nullptr, nullptr) == WS_EINVALID);
  CHECK(ws_sidecar_new(nullptr, c.cfg, nullptr, nullptr) == WS_EINVALID);
  ws_sidecar_free(nullptr);
}
