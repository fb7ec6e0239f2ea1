// ws_cancel through the shared library: a mirror, a copy and a sync once
// against a store whose answers stall (s3rver behind the fault proxy),
// cancelled from another thread, return WS_ECANCELLED within a second or
// two; the next, uncancelled run then completes and the store holds every
// file whole.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fault_proxy.hpp"
#include "libworkspace/libworkspace.h"
#include "s3rver.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kBucket = "ambient-sessions";

// Holds the answers to the requests `matches` picks for a minute while
// `stalling`, and tells when the first one is held.
class StallingStore {
 public:
  StallingStore(const std::string& upstream, std::function<bool(const wstest::HttpRequest&)> matches)
      : proxy_(upstream, [this, matches](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
          std::lock_guard lock(mu_);
          if (!stalling_ || !matches(req)) return std::nullopt;
          held_ = true;
          cv_.notify_all();
          wstest::HttpReply stall;
          stall.misbehaviour = wstest::HttpReply::Misbehaviour::stall;
          stall.stall_for = 60s;
          return stall;
        }) {}

  std::string endpoint() const { return proxy_.endpoint(); }
  bool wait_until_held() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 30s, [this] { return held_; });
  }
  void stop_stalling() {
    std::lock_guard lock(mu_);
    stalling_ = false;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stalling_ = true;
  bool held_ = false;
  wstest::FaultProxy proxy_;
};

struct Store {
  ws_store* store = nullptr;
  explicit Store(const std::string& endpoint) {
    ws_store_options so = WS_STORE_OPTIONS_INIT;
    so.endpoint = endpoint.c_str();
    so.bucket = kBucket;
    so.access_key = "S3RVER";
    so.secret_key = "S3RVER";
    REQUIRE_MESSAGE(ws_store_open(&store, &so, nullptr) == WS_OK, ws_error_last());
  }
  ~Store() { ws_store_free(store); }
};

struct Cancel {
  ws_cancel* cancel = nullptr;
  Cancel() { REQUIRE(ws_cancel_new(&cancel) == WS_OK); }
  ~Cancel() { ws_cancel_free(cancel); }
};

// Runs `call` on another thread, requests `cancel` once `store` holds a
// request, and returns the call's status and how long it took to return
// after the request.
template <class Call>
std::pair<int, std::chrono::steady_clock::duration> cancel_while_stalled(StallingStore& store, ws_cancel* cancel,
                                                                         Call call) {
  int rc = 1;
  std::chrono::steady_clock::time_point returned;
  std::thread worker([&] {
    rc = call();
    returned = std::chrono::steady_clock::now();
  });
  const bool held = store.wait_until_held();
  const auto requested = std::chrono::steady_clock::now();
  ws_cancel_request(cancel);
  worker.join();
  REQUIRE(held);
  return {rc, returned - requested};
}

void write_tree(const fs::path& root, int files) {
  for (int i = 0; i < files; ++i) {
    wstest::write_file(root / ("f" + std::to_string(i) + ".txt"), std::string(1000 + i, char('a' + i % 26)));
  }
}

// Every file of `root` is stored whole under `prefix` (read back through
// the store, not the proxy).
void check_stored(const std::string& endpoint, const std::string& prefix, const fs::path& root,
                  const fs::path& scratch) {
  Store direct(endpoint);
  REQUIRE_MESSAGE(ws_sync_copy_down(direct.store, prefix.c_str(), scratch.c_str(), nullptr, nullptr, nullptr) == WS_OK,
                  ws_error_last());
  for (const auto& e : fs::directory_iterator(root)) {
    INFO(e.path().filename().string());
    CHECK(wstest::read_file(scratch / e.path().filename()) == wstest::read_file(e.path()));
  }
}

bool is_put(const wstest::HttpRequest& req) { return req.method == "PUT"; }

}  // namespace

TEST_CASE("a cancelled ws_sync_mirror_up returns WS_ECANCELLED at once while a PUT stalls; the next run stores all") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  write_tree(tmp / "tree", 40);
  StallingStore stalling(s3.endpoint(), is_put);
  Store store(stalling.endpoint());
  Cancel cancel;
  ws_sync_options opts = WS_SYNC_OPTIONS_INIT;
  const std::string db = (tmp / "state.db").string();
  opts.state_db = db.c_str();
  opts.cancel = cancel.cancel;
  const auto [rc, took] = cancel_while_stalled(stalling, cancel.cancel, [&] {
    return ws_sync_mirror_up(store.store, (tmp / "tree").c_str(), "p/tree", &opts, nullptr, nullptr);
  });
  CHECK_MESSAGE(rc == WS_ECANCELLED, ws_error_last());
  CHECK(took < 2s);
  CHECK(ws_cancel_requested(cancel.cancel) == 1);

  stalling.stop_stalling();
  ws_sync_options again = WS_SYNC_OPTIONS_INIT;
  again.state_db = db.c_str();
  ws_sync_summary summary = WS_SYNC_SUMMARY_INIT;
  REQUIRE_MESSAGE(ws_sync_mirror_up(store.store, (tmp / "tree").c_str(), "p/tree", &again, nullptr, &summary) == WS_OK,
                  ws_error_last());
  CHECK(summary.files == 40);
  check_stored(s3.endpoint(), "p/tree", tmp / "tree", tmp / "readback");
}

TEST_CASE("a cancelled ws_sync_copy_down returns WS_ECANCELLED at once while a GET stalls; the next run gets all") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  write_tree(tmp / "tree", 20);
  {
    Store direct(s3.endpoint());
    REQUIRE(ws_sync_mirror_up(direct.store, (tmp / "tree").c_str(), "p/tree", nullptr, nullptr, nullptr) == WS_OK);
  }
  StallingStore stalling(s3.endpoint(), [](const wstest::HttpRequest& req) {
    return req.method == "GET" && req.query().find("list-type") == std::string::npos;
  });
  Store store(stalling.endpoint());
  Cancel cancel;
  ws_sync_options opts = WS_SYNC_OPTIONS_INIT;
  opts.cancel = cancel.cancel;
  const auto [rc, took] = cancel_while_stalled(stalling, cancel.cancel, [&] {
    return ws_sync_copy_down(store.store, "p/tree", (tmp / "down").c_str(), &opts, nullptr, nullptr);
  });
  CHECK_MESSAGE(rc == WS_ECANCELLED, ws_error_last());
  CHECK(took < 2s);
  // Nothing half downloaded: each file there is whole.
  for (const auto& e : fs::directory_iterator(tmp / "down")) {
    CHECK(wstest::read_file(e.path()) == wstest::read_file(tmp / "tree" / e.path().filename()));
  }

  stalling.stop_stalling();
  REQUIRE_MESSAGE(ws_sync_copy_down(store.store, "p/tree", (tmp / "down").c_str(), nullptr, nullptr, nullptr) == WS_OK,
                  ws_error_last());
  for (const auto& e : fs::directory_iterator(tmp / "tree")) {
    CHECK(wstest::read_file(tmp / "down" / e.path().filename()) == wstest::read_file(e.path()));
  }
}

TEST_CASE("a cancelled ws_sync_once returns WS_ECANCELLED at once; an uncancelled one (options version 1) completes") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  StallingStore stalling(s3.endpoint(), [](const wstest::HttpRequest& req) {
    return is_put(req) && req.path().find("/artifacts/") != std::string::npos;
  });
  const std::string root = (tmp / "ws").string();
  const std::string endpoint = stalling.endpoint();
  const char* keys[] = {"WORKSPACE_ROOT", "SESSION_NAME", "NAMESPACE", "S3_ENDPOINT",
                        "S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"};
  const char* values[] = {root.c_str(), "c-sess", "c-ns", endpoint.c_str(), kBucket, "S3RVER", "S3RVER"};
  ws_config* cfg = nullptr;
  REQUIRE_MESSAGE(ws_config_from_pairs(&cfg, keys, values, 7) == WS_OK, ws_error_last());
  REQUIRE_MESSAGE(ws_hydrate(cfg, nullptr) == WS_OK, ws_error_last());
  write_tree(tmp / "ws" / "artifacts", 30);

  Cancel cancel;
  ws_workspace_options opts = WS_WORKSPACE_OPTIONS_INIT;
  opts.cancel = cancel.cancel;
  const auto [rc, took] = cancel_while_stalled(stalling, cancel.cancel, [&] {
    return ws_sync_once(cfg, &opts, nullptr, nullptr);
  });
  CHECK_MESSAGE(rc == WS_ECANCELLED, ws_error_last());
  CHECK(took < 2s);

  stalling.stop_stalling();
  // A version 1 struct has no `cancel`: the requested handle left in the
  // field must not be read.
  ws_workspace_options v1 = opts;
  v1.version = 1;
  ws_sync_report report = WS_SYNC_REPORT_INIT;
  REQUIRE_MESSAGE(ws_sync_once(cfg, &v1, nullptr, &report) == WS_OK, ws_error_last());
  check_stored(s3.endpoint(), "c-ns/c-sess/artifacts", tmp / "ws" / "artifacts", tmp / "readback");
  ws_config_free(cfg);
}

TEST_CASE("a cancelled ws_hydrate_ext returns WS_ECANCELLED at once while a download stalls") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  write_tree(tmp / "saved", 10);
  {
    Store direct(s3.endpoint());
    REQUIRE(ws_sync_mirror_up(direct.store, (tmp / "saved").c_str(), "c-ns/c-sess/artifacts", nullptr, nullptr,
                              nullptr) == WS_OK);
  }
  StallingStore stalling(s3.endpoint(), [](const wstest::HttpRequest& req) {
    return req.method == "GET" && req.path().find("/artifacts/") != std::string::npos;
  });
  const std::string root = (tmp / "ws").string();
  const std::string endpoint = stalling.endpoint();
  const char* keys[] = {"WORKSPACE_ROOT", "SESSION_NAME", "NAMESPACE", "S3_ENDPOINT",
                        "S3_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"};
  const char* values[] = {root.c_str(), "c-sess", "c-ns", endpoint.c_str(), kBucket, "S3RVER", "S3RVER"};
  ws_config* cfg = nullptr;
  REQUIRE_MESSAGE(ws_config_from_pairs(&cfg, keys, values, 7) == WS_OK, ws_error_last());
  Cancel cancel;
  ws_workspace_options opts = WS_WORKSPACE_OPTIONS_INIT;
  opts.cancel = cancel.cancel;
  const auto [rc, took] = cancel_while_stalled(stalling, cancel.cancel, [&] {
    return ws_hydrate_ext(cfg, &opts, nullptr, nullptr);
  });
  CHECK_MESSAGE(rc == WS_ECANCELLED, ws_error_last());
  CHECK(took < 2s);

  stalling.stop_stalling();
  ws_hydrate_report report = WS_HYDRATE_REPORT_INIT;
  REQUIRE_MESSAGE(ws_hydrate_ext(cfg, nullptr, nullptr, &report) == WS_OK, ws_error_last());
  for (const auto& e : fs::directory_iterator(tmp / "saved")) {
    CHECK(wstest::read_file(tmp / "ws" / "artifacts" / e.path().filename()) == wstest::read_file(e.path()));
  }
  ws_config_free(cfg);
}

TEST_CASE("ws_cancel: new, request (idempotent, NULL ignored), requested, free") {
  ws_cancel* cancel = nullptr;
  CHECK(ws_cancel_new(nullptr) == WS_EINVALID);
  REQUIRE(ws_cancel_new(&cancel) == WS_OK);
  CHECK(ws_cancel_requested(cancel) == 0);
  ws_cancel_request(cancel);
  ws_cancel_request(cancel);
  CHECK(ws_cancel_requested(cancel) == 1);
  ws_cancel_request(nullptr);
  CHECK(ws_cancel_requested(nullptr) == 0);
  ws_cancel_free(cancel);
  ws_cancel_free(nullptr);
}
