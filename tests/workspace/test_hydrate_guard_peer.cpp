// Hydrate's guards for the real pod (issue #10): one object that cannot be
// restored neither fails the pod nor is lost to the next sync; odd but legal
// keys are reported and skipped; with persistence off the repos and the
// workflow are still cloned. s3rver behind the fault proxy, the git CLI as
// the oracle.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>

#include "fault_proxy.hpp"
#include "s3rver.hpp"
#include "store/digest.hpp"
#include "store/store.hpp"
#include "workspace/workspace.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kBucket = "ambient-sessions";

std::unique_ptr<ws::store::Store> open_s3(const std::string& endpoint) {
  return wsws::open_s3rver_store(endpoint, kBucket);
}

// Log lines as "level event: message", from any thread.
struct LogLines {
  std::mutex mu;
  std::vector<std::string> lines;
  ws::Logger logger() {
    return ws::Logger([this](const ws::LogEvent& e) {
      std::lock_guard lock(mu);
      lines.push_back(std::string(ws::log_level_name(e.level)) + " " + std::string(e.event) + ": " +
                      std::string(e.message));
    });
  }
  size_t count(std::string_view level_and_event) {
    std::lock_guard lock(mu);
    return std::count_if(lines.begin(), lines.end(),
                         [&](const std::string& l) { return l.rfind(std::string(level_and_event) + ":", 0) == 0; });
  }
  std::string all() {
    std::lock_guard lock(mu);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
};

}  // namespace

TEST_CASE("an object that fails its MD5 on every GET: the pod starts, and the sync keeps it until the runner writes it") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  auto direct = open_s3(s3.endpoint());
  REQUIRE(direct->put_bytes("proj/sess-1/artifacts/cursed.md", "the only copy\n").ok());
  REQUIRE(direct->put_bytes("proj/sess-1/artifacts/fine.md", "fine\n").ok());
  std::atomic<int> cursed_gets{0};
  // Every GET of cursed.md answers other bytes under the object's ETag.
  wstest::FaultProxy proxy(
      s3.endpoint(), [](const wstest::HttpRequest&) { return std::optional<wstest::HttpReply>(); },
      [&](const wstest::HttpRequest& req, wstest::HttpReply& reply) {
        if (req.method == "GET" && req.path().find("cursed.md") != std::string::npos) {
          ++cursed_gets;
          for (char& c : reply.body) c = c == 'x' ? 'y' : 'x';
        }
      });
  const auto cfg = wsws::session_config(tmp / "ws", proxy.endpoint(), kBucket);
  LogLines log;
  auto r = ws::workspace::hydrate(cfg, {}, log.logger());
  INFO(log.all());
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(r->objects_unrestored == 1);
  CHECK(cursed_gets.load() >= 3);  // tried again before giving up
  CHECK(log.count("warn hydrate.object_unrestored") == 1);
  CHECK(log.count("warn hydrate.incomplete") == 1);
  CHECK_FALSE(fs::exists(tmp / "ws" / "artifacts" / "cursed.md"));
  CHECK(wstest::read_file(tmp / "ws" / "artifacts" / "fine.md") == "fine\n");

  // The sidecar's cycles (the second one lists in full) leave the object alone.
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, log.logger());
  REQUIRE(engine);
  for (int cycle = 0; cycle < 2; ++cycle) REQUIRE((*engine)->run_cycle(false));
  auto kept = direct->get_bytes("proj/sess-1/artifacts/cursed.md");
  REQUIRE_MESSAGE(kept, "the sync deleted the object hydrate could not restore");
  CHECK(*kept == "the only copy\n");

  // Once the runner writes that path, it syncs like any file.
  wstest::write_file(tmp / "ws" / "artifacts" / "cursed.md", "rewritten by the runner\n");
  REQUIRE((*engine)->run_cycle(false));
  CHECK(direct->get_bytes("proj/sess-1/artifacts/cursed.md").value() == "rewritten by the runner\n");
  fs::remove(tmp / "ws" / "artifacts" / "cursed.md");
  REQUIRE((*engine)->run_cycle(false));
  CHECK_FALSE(direct->head("proj/sess-1/artifacts/cursed.md").ok());
}

TEST_CASE("odd but legal keys (a 260-byte name, a file that is also a directory) are reported and skipped") {
  // s3rver keeps keys as file names and cannot hold a 260-byte segment,
  // which real S3 stores: the proxy lists and serves that one object.
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  auto direct = open_s3(s3.endpoint());
  const std::string long_key = "proj/sess-1/artifacts/" + std::string(260, 'n');
  const std::string long_body = "long\n";
  const std::string long_md5 = ws::store::md5_hex(long_body);
  REQUIRE(direct->put_bytes("proj/sess-1/artifacts/report", "a file\n").ok());
  REQUIRE(direct->put_bytes("proj/sess-1/artifacts/report/child.txt", "a child\n").ok());
  REQUIRE(direct->put_bytes("proj/sess-1/artifacts/plain.md", "plain\n").ok());
  std::atomic<int> long_deletes{0};
  wstest::FaultProxy proxy(
      s3.endpoint(),
      [&](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
        if (req.path().find(std::string(260, 'n')) == std::string::npos) {
          if (req.method == "POST" && req.body.find(std::string(260, 'n')) != std::string::npos) ++long_deletes;
          return std::nullopt;
        }
        if (req.method == "DELETE") ++long_deletes;
        auto r = wstest::HttpReply::text(200, long_body);
        r.headers = {{"ETag", "\"" + long_md5 + "\""}, {"Content-Type", "text/plain"}};
        return r;
      },
      [&](const wstest::HttpRequest& req, wstest::HttpReply& reply) {
        if (req.target.find("list-type=2") == std::string::npos ||
            req.target.find("artifacts") == std::string::npos) {
          return;
        }
        const auto end = reply.body.find("</ListBucketResult>");
        if (end == std::string::npos) return;
        reply.body.insert(end, "<Contents><Key>" + long_key +
                                   "</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;" +
                                   long_md5 + "&quot;</ETag><Size>" + std::to_string(long_body.size()) +
                                   "</Size><StorageClass>STANDARD</StorageClass></Contents>");
      });
  const auto cfg = wsws::session_config(tmp / "ws", proxy.endpoint(), kBucket);
  LogLines log;
  auto r = ws::workspace::hydrate(cfg, {}, log.logger());
  INFO(log.all());
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(r->objects_unrestored == 2);  // the long name, and one of report / report/child.txt
  CHECK(log.count("warn hydrate.object_unrestored") == 2);
  CHECK(wstest::read_file(tmp / "ws" / "artifacts" / "plain.md") == "plain\n");
  // Nothing of them is lost to the next sync.
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(engine);
  REQUIRE((*engine)->run_cycle(false));
  CHECK(long_deletes.load() == 0);
  CHECK(direct->head("proj/sess-1/artifacts/report").ok());
  CHECK(direct->head("proj/sess-1/artifacts/report/child.txt").ok());
}

TEST_CASE("with persistence off hydrate still clones the repos and the workflow") {
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const auto flows = wsws::make_origin(tmp / "origins", "flows");
  const auto cfg = wsws::session_config(tmp / "ws", "", kBucket,
                                        {{"S3_ENDPOINT", ""},
                                         {"AWS_ACCESS_KEY_ID", ""},
                                         {"REPOS_JSON", "[{\"url\":\"" + app + "\"}]"},
                                         {"ACTIVE_WORKFLOW_GIT_URL", flows},
                                         {"ACTIVE_WORKFLOW_PATH", "src"}});
  REQUIRE_FALSE(cfg.persistence_enabled());
  LogLines log;
  auto r = ws::workspace::hydrate(cfg, {}, log.logger());
  INFO(log.all());
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK_FALSE(r->persistence);
  CHECK(r->repos_cloned == 1);
  CHECK(r->workflow_ready);
  CHECK(wsws::git_sh("git rev-parse --abbrev-ref HEAD", tmp / "ws" / "repos" / "app") == "main\n");
  CHECK(wsws::git_sh("git status --porcelain", tmp / "ws" / "repos" / "app").empty());
  CHECK(fs::exists(tmp / "ws" / "workflows" / "flows" / "deep" / "main.c"));
  CHECK(log.count("info hydrate.no_persistence") == 1);
  CHECK_FALSE(fs::exists(tmp / "ws" / ".libworkspace"));  // no state step ran
}
