// Hydrate and sync against the real peers: s3rver for S3, the git CLI as
// the oracle of repository state, the ambient-workspace CLI as a child
// process for signals and exit codes.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "fault_proxy.hpp"
#include "s3rver.hpp"
#include "config/layout.hpp"
#include "store/store.hpp"
#include "workspace/workspace.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using wsws::git_sh;

using wsws::hydrate_ok;
using wsws::repos_json;
using wsws::sync_ok;

namespace {

constexpr const char* kBucket = "ambient-sessions";

std::unique_ptr<ws::store::Store> open_s3(const std::string& endpoint) {
  return wsws::open_s3rver_store(endpoint, kBucket);
}

std::vector<std::string> keys_under(const std::string& endpoint, const std::string& prefix) {
  auto listed = open_s3(endpoint)->list(prefix);
  REQUIRE(listed);
  std::vector<std::string> keys;
  for (const auto& o : *listed) keys.push_back(o.key.substr(prefix.size()));
  return keys;
}


// Polls `log_file` until it holds `text`.
bool wait_for_line(const fs::path& log_file, const std::string& text, std::chrono::seconds timeout = 30s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(log_file) && wstest::read_file(log_file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

fs::path cli_path() { return wstest::build_root() / "examples" / "ambient-workspace" / "ambient-workspace"; }

wstest::EnvChanges cli_env(const fs::path& root, const std::string& endpoint) {
  return {{"WORKSPACE_ROOT", root.string()}, {"SESSION_NAME", "sess-1"}, {"NAMESPACE", "proj"},
          {"S3_ENDPOINT", endpoint},         {"S3_BUCKET", kBucket},
          {"AWS_ACCESS_KEY_ID", "S3RVER"},   {"AWS_SECRET_ACCESS_KEY", "S3RVER"},
          {"REPOS_JSON", std::nullopt},      {"AWS_CA_BUNDLE", std::nullopt}};
}

}  // namespace

TEST_CASE("a rich workspace round-trips through S3 to the same repos, state and files") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const auto lib = wsws::make_origin(tmp / "origins", "lib");
  const std::map<std::string, std::string> env = {{"REPOS_JSON", repos_json({app, lib})}};

  const auto cfg1 = wsws::session_config(tmp / "ws1", s3.endpoint(), kBucket, env);
  const auto first = hydrate_ok(cfg1);
  CHECK(first.repos_cloned == 2);
  wsws::agent_changes(tmp / "ws1" / "repos" / "app");
  git_sh("printf 'wip\\n' >> README.md", tmp / "ws1" / "repos" / "lib");
  wsws::agent_files(tmp / "ws1", "v1");

  // A WAL database whose writer stays open across the sync.
  sqlite3* writer = nullptr;
  REQUIRE(sqlite3_open((tmp / "ws1" / ".claude" / "history.db").c_str(), &writer) == SQLITE_OK);
  REQUIRE(sqlite3_exec(writer, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE h(x);"
                       "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<500) "
                       "INSERT INTO h SELECT i FROM c;", nullptr, nullptr, nullptr) == SQLITE_OK);
  // Taken before the sync, so a sync that altered the source shows. The
  // database is compared by content: its checkpoint rewrites the file.
  auto before = wsws::snapshot_workspace(tmp / "ws1");
  before.files.erase(".claude/history.db");
  const auto dump = [](const fs::path& state_dir) {
    const auto r = wstest::sh("sqlite3 history.db .dump", state_dir);
    REQUIRE(r.exit_code == 0);
    return r.out;
  };
  const std::string rows_before = dump(tmp / "ws1" / ".claude");
  REQUIRE(rows_before.find("INSERT INTO h VALUES(500)") != std::string::npos);
  sync_ok(cfg1);
  sqlite3_close(writer);

  SUBCASE("excluded files never reach the store") {
    const auto keys = keys_under(s3.endpoint(), "proj/sess-1/");
    for (const auto& k : keys) {
      INFO(k);
      CHECK(k.find("node_modules") == std::string::npos);
      CHECK(k.find("__pycache__") == std::string::npos);
      CHECK(k.find(".pyc") == std::string::npos);
      CHECK(k.find("debug/") == std::string::npos);
      CHECK(k.find("/dist/") == std::string::npos);
    }
    CHECK(std::find(keys.begin(), keys.end(), "metadata.json") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "repo-state/app/repo.bundle") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "artifacts/sub dir/weird #name%20(1).txt") != keys.end());
  }

  SUBCASE("a fresh workspace hydrates to exactly the saved one") {
    const auto cfg2 = wsws::session_config(tmp / "ws2", s3.endpoint(), kBucket, env);
    const auto second = hydrate_ok(cfg2);
    CHECK(second.repos_restored == 2);
    CHECK(second.unsafe_keys == 0);
    auto after = wsws::snapshot_workspace(tmp / "ws2");
    after.files.erase(".claude/history.db");
    CHECK_MESSAGE(before == after, wsws::describe_difference(before, after));
    CHECK(dump(tmp / "ws2" / ".claude") == rows_before);
    CHECK_FALSE(fs::exists(tmp / "ws2" / "repos" / "app" / "ignored" / "cache.txt"));
  }
}

TEST_CASE("a resumed session saves and restores its second round of changes") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const std::map<std::string, std::string> env = {{"REPOS_JSON", repos_json({app})}};
  const auto cfg1 = wsws::session_config(tmp / "ws1", s3.endpoint(), kBucket, env);
  hydrate_ok(cfg1);
  wsws::agent_changes(tmp / "ws1" / "repos" / "app");
  wsws::agent_files(tmp / "ws1", "v1");
  sync_ok(cfg1);

  const auto cfg2 = wsws::session_config(tmp / "ws2", s3.endpoint(), kBucket, env);
  hydrate_ok(cfg2);
  git_sh("git add -A && git commit -q -m 'resume: commit all' && printf 'after resume\\n' > later.txt",
         tmp / "ws2" / "repos" / "app");
  wsws::agent_files(tmp / "ws2", "v2-longer");
  fs::remove(tmp / "ws2" / "artifacts" / "report.md");
  const auto before = wsws::snapshot_workspace(tmp / "ws2");  // before the sync, which must not alter it
  sync_ok(cfg2);

  const auto cfg3 = wsws::session_config(tmp / "ws3", s3.endpoint(), kBucket, env);
  hydrate_ok(cfg3);
  const auto after = wsws::snapshot_workspace(tmp / "ws3");
  CHECK_MESSAGE(before == after, wsws::describe_difference(before, after));
  CHECK_FALSE(fs::exists(tmp / "ws3" / "artifacts" / "report.md"));
}

TEST_CASE("a repo cloned at run time is restored from its saved remote") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto extra = wsws::make_origin(tmp / "origins", "extra");
  const auto cfg1 = wsws::session_config(tmp / "ws1", s3.endpoint(), kBucket);
  hydrate_ok(cfg1);
  git_sh("git clone -q " + extra + " repos/extra", tmp / "ws1");
  git_sh("printf 'x\\n' >> README.md && git checkout -q -b topic && git commit -q -am topic && "
         "printf 'unstaged\\n' >> README.md", tmp / "ws1" / "repos" / "extra");
  const auto before = wsws::snapshot_repo(tmp / "ws1" / "repos" / "extra");  // before the sync
  sync_ok(cfg1);

  // A saved remoteUrl may name a local origin only when REPOS_JSON does too.
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const auto cfg2 = wsws::session_config(tmp / "ws2", s3.endpoint(), kBucket, {{"REPOS_JSON", repos_json({app})}});
  const auto r = hydrate_ok(cfg2);
  CHECK(r.repos_restored == 1);
  const auto after = wsws::snapshot_repo(tmp / "ws2" / "repos" / "extra");
  CHECK(before == after);
}

TEST_CASE("the workflow lands in workflows/<name>, as its sub-directory or whole") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto wf = wsws::make_origin(tmp / "origins", "flows");
  SUBCASE("with a sub-path") {
    const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket,
                                          {{"ACTIVE_WORKFLOW_GIT_URL", wf}, {"ACTIVE_WORKFLOW_PATH", "src/deep"}});
    CHECK(hydrate_ok(cfg).workflow_ready);
    CHECK(fs::exists(tmp / "ws" / "workflows" / "flows" / "main.c"));
    CHECK_FALSE(fs::exists(tmp / "ws" / "workflows" / "flows" / "README.md"));
  }
  SUBCASE("without a sub-path") {
    const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket, {{"ACTIVE_WORKFLOW_GIT_URL", wf}});
    CHECK(hydrate_ok(cfg).workflow_ready);
    CHECK(fs::exists(tmp / "ws" / "workflows" / "flows" / "README.md"));
  }
  SUBCASE("with a missing sub-path: the whole repo, with a warning") {
    const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket,
                                          {{"ACTIVE_WORKFLOW_GIT_URL", wf}, {"ACTIVE_WORKFLOW_PATH", "nope"}});
    CHECK(hydrate_ok(cfg).workflow_ready);
    CHECK(fs::exists(tmp / "ws" / "workflows" / "flows" / "README.md"));
  }
}

TEST_CASE("a failed clone is a warning naming its kind, and hydrate still succeeds") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto good = wsws::make_origin(tmp / "origins", "good");
  const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket,
                                        {{"REPOS_JSON", repos_json({good, "file://" + (tmp / "nope.git").string()})}});
  std::vector<std::string> warnings;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(std::string(e.event) + ": " + std::string(e.message));
  });
  auto r = ws::workspace::hydrate(cfg, {}, log);
  REQUIRE(r);
  CHECK(r->repos_cloned == 1);
  CHECK(r->repos_failed == 1);
  const auto clone_warning = std::find_if(warnings.begin(), warnings.end(), [](const std::string& w) {
    return w.find("clone.failed: could not clone repos/nope") == 0;
  });
  REQUIRE(clone_warning != warnings.end());
  // The origin does not exist: the git layer classifies that as not-found.
  CHECK_MESSAGE(clone_warning->find("could not clone repos/nope (repository or branch not found): ") !=
                    std::string::npos,
                *clone_warning);
}

TEST_CASE("hydrate fails with a clear message when the store is down") {
  wstest::TempDir tmp;
  const wstest::RefusingPort refusing;
  const std::string endpoint = refusing.url();
  const auto cfg = wsws::session_config(tmp / "ws", endpoint, kBucket);
  auto r = ws::workspace::hydrate(cfg, {}, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ws::Errc::network);
  CHECK(r.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(r.error().message.find("S3RVER") == std::string::npos);

  const auto cli = wstest::run({cli_path().string(), "hydrate"}, {}, cli_env(tmp / "ws-cli", endpoint));
  CHECK(cli.exit_code == 1);
  CHECK(cli.err.find("hydrate failed") != std::string::npos);
}

TEST_CASE("hydrate with persistence off only creates the layout") {
  wstest::TempDir tmp;
  auto env = cli_env(tmp / "ws", "");
  env["AWS_ACCESS_KEY_ID"] = std::nullopt;
  const auto cli = wstest::run({cli_path().string(), "hydrate"}, {}, env);
  CHECK(cli.exit_code == 0);
  CHECK(fs::is_directory(tmp / "ws" / "repos"));
  CHECK(cli.err.find("persistence is off") != std::string::npos);
}

TEST_CASE("a cycle fails while the store is down and the next one catches up") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket);
  hydrate_ok(cfg);
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(engine);
  wsws::agent_files(tmp / "ws", "v1");
  s3.stop();
  CHECK_FALSE((*engine)->run_cycle(true));
  s3.start();
  auto ok = (*engine)->run_cycle(true);
  REQUIRE(ok);
  CHECK(ok->files_uploaded > 0);
  const auto keys = keys_under(s3.endpoint(), "proj/sess-1/");
  CHECK(std::find(keys.begin(), keys.end(), "artifacts/report.md") != keys.end());
}


TEST_CASE("SIGTERM mid-cycle: the cycle stops at its next transfer, the final sync runs at once and exits 0") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket);
  hydrate_ok(cfg);
  // The largest file goes first and its PUT is held 3 s; every other blob
  // PUT is held 0.5 s, so that when the signal lands most blobs still wait
  // for a transfer slot.
  wstest::write_file(tmp / "ws" / "artifacts" / "held.bin", std::string(2'000'000, 'h'));
  for (int i = 0; i < 30; ++i) {
    wstest::write_file(tmp / "ws" / "artifacts" / ("blob" + std::to_string(i)), std::string(1000 + i, 'b'));
  }
  std::mutex mu;
  std::condition_variable cv;
  bool held = false;
  std::chrono::steady_clock::time_point held_until;
  std::vector<std::chrono::steady_clock::time_point> blob_puts;
  wstest::FaultProxy proxy(s3.endpoint(), [&](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
    if (req.method != "PUT" || req.path().find("/artifacts/") == std::string::npos) return std::nullopt;
    wstest::HttpReply stall;
    stall.misbehaviour = wstest::HttpReply::Misbehaviour::stall;
    std::lock_guard lock(mu);
    if (req.path().find("held.bin") != std::string::npos && !held) {
      held = true;
      stall.stall_for = 3000ms;
      held_until = std::chrono::steady_clock::now() + stall.stall_for;
      cv.notify_all();
      return stall;
    }
    if (req.path().find("/artifacts/blob") != std::string::npos) blob_puts.push_back(std::chrono::steady_clock::now());
    stall.stall_for = 500ms;
    return stall;
  });
  auto env = cli_env(tmp / "ws", proxy.endpoint());
  env["SYNC_INITIAL_DELAY"] = "0";
  env["SYNC_INTERVAL"] = "300";
  env["SYNC_SHUTDOWN_TIMEOUT"] = "20";
  env["LOG_FORMAT"] = "json";
  wstest::Child sidecar({cli_path().string(), "sync"}, {}, env, tmp / "sidecar.log");
  {
    std::unique_lock lock(mu);
    REQUIRE(cv.wait_for(lock, 30s, [&] { return held; }));
  }
  wstest::write_file(tmp / "ws" / "artifacts" / "last-words.txt", "written just before SIGTERM");
  const auto t0 = std::chrono::steady_clock::now();
  sidecar.signal(SIGTERM);
  const int code = sidecar.wait(30s);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  const std::string log = wstest::read_file(tmp / "sidecar.log");
  INFO(log);
  CHECK(code == 0);
  CHECK(elapsed < 20s);
  // No new transfer of the first cycle started after the signal: the next
  // blob PUT is the final cycle's, once the held one had ended.
  std::chrono::steady_clock::time_point until;
  std::vector<std::chrono::steady_clock::time_point> puts;
  {
    std::lock_guard lock(mu);
    until = held_until;
    puts = blob_puts;
  }
  const auto started_in_the_gap = std::count_if(puts.begin(), puts.end(), [&](auto t) {
    return t > t0 + 200ms && t < until - 200ms;
  });
  CHECK(started_in_the_gap == 0);
  const auto keys = keys_under(s3.endpoint(), "proj/sess-1/");
  CHECK(std::find(keys.begin(), keys.end(), "artifacts/held.bin") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "artifacts/last-words.txt") != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "artifacts/blob29") != keys.end());
  CHECK(log.find(R"("event":"sidecar.stopped","message":"final sync done")") != std::string::npos);
}

TEST_CASE("a final sync that does not fit SYNC_SHUTDOWN_TIMEOUT is cut at the deadline and reported") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket);
  hydrate_ok(cfg);
  for (int i = 0; i < 64; ++i) {
    wstest::write_file(tmp / "ws" / "artifacts" / ("blob" + std::to_string(i)), std::string(1000 + i, 'b'));
  }
  // Each artifact PUT takes 1 s: 64 of them, 8 at a time, need 8 s.
  wstest::FaultProxy proxy(s3.endpoint(), [&](const wstest::HttpRequest& req) -> std::optional<wstest::HttpReply> {
    if (req.method != "PUT" || req.path().find("/artifacts/") == std::string::npos) return std::nullopt;
    wstest::HttpReply stall;
    stall.misbehaviour = wstest::HttpReply::Misbehaviour::stall;
    stall.stall_for = 1000ms;
    return stall;
  });
  auto env = cli_env(tmp / "ws", proxy.endpoint());
  env["SYNC_INITIAL_DELAY"] = "300";
  env["SYNC_SHUTDOWN_TIMEOUT"] = "2";
  env["LOG_FORMAT"] = "json";
  wstest::Child sidecar({cli_path().string(), "sync"}, {}, env, tmp / "sidecar.log");
  REQUIRE(wait_for_line(tmp / "sidecar.log", "\"event\":\"sidecar.start\"", 20s));
  const auto t0 = std::chrono::steady_clock::now();
  sidecar.signal(SIGTERM);
  const int code = sidecar.wait(30s);
  const auto elapsed = std::chrono::steady_clock::now() - t0;
  const std::string log = wstest::read_file(tmp / "sidecar.log");
  INFO(log);
  CHECK(code == 1);  // the final sync is incomplete
  CHECK(elapsed < 5s);  // the deadline, plus the transfers under way
  CHECK(log.find(R"("event":"sidecar.deadline")") != std::string::npos);
  CHECK(log.find(R"("event":"sidecar.stopped","message":"final sync failed")") != std::string::npos);
  // What was stored is whole: each key holds its file's bytes.
  const auto keys = keys_under(s3.endpoint(), "proj/sess-1/artifacts/");
  CHECK(keys.size() < 64);
  for (const auto& k : keys) {
    const std::string name = k.substr(k.find_last_of('/') + 1);
    CHECK(wstest::read_file(tmp / "ws" / "artifacts" / name).size() ==
          1000 + std::stoul(name.substr(std::string("blob").size())));
  }
}

TEST_CASE("sync --once with LOG_FORMAT=json logs JSON lines with a cycle summary") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  hydrate_ok(wsws::session_config(tmp / "ws", s3.endpoint(), kBucket));
  wsws::agent_files(tmp / "ws", "v1");
  auto env = cli_env(tmp / "ws", s3.endpoint());
  env["LOG_FORMAT"] = "json";
  const auto r = wstest::run({cli_path().string(), "sync", "--once"}, {}, env);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("\"event\":\"sync.cycle\"") != std::string::npos);
  CHECK(r.err.find("S3RVER") == std::string::npos);
}

TEST_CASE("an untracked file with a space in its name survives the round trip") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const std::map<std::string, std::string> env = {{"REPOS_JSON", repos_json({app})}};
  const auto cfg1 = wsws::session_config(tmp / "ws1", s3.endpoint(), kBucket, env);
  hydrate_ok(cfg1);
  wstest::write_file(tmp / "ws1" / "repos" / "app" / "new file (1).txt", "untracked\n");
  sync_ok(cfg1);
  const auto cfg2 = wsws::session_config(tmp / "ws2", s3.endpoint(), kBucket, env);
  hydrate_ok(cfg2);
  CHECK(wstest::read_file(tmp / "ws2" / "repos" / "app" / "new file (1).txt") == "untracked\n");
}

TEST_CASE("with persistence off the sync sidecar idles until SIGTERM, then exits 0") {
  wstest::TempDir tmp;
  auto env = cli_env(tmp / "ws", "");
  env["AWS_ACCESS_KEY_ID"] = std::nullopt;
  wstest::Child sidecar({cli_path().string(), "sync"}, {}, env, tmp / "sidecar.log");
  // The CLI watches signals before it logs anything: its first line means ready.
  REQUIRE(wait_for_line(tmp / "sidecar.log", "idling until stopped"));
  CHECK(sidecar.running());
  sidecar.signal(SIGTERM);
  CHECK(sidecar.wait(10s) == 0);
}

TEST_CASE("an unchanged repo is not uploaded again, a changed one is") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const auto cfg = wsws::session_config(tmp / "ws", s3.endpoint(), kBucket,
                                        {{"REPOS_JSON", repos_json({app})}});
  hydrate_ok(cfg);
  auto engine = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(engine);
  auto first = (*engine)->run_cycle(true);
  REQUIRE(first);
  CHECK(first->repos_backed_up == 1);
  auto second = (*engine)->run_cycle(true);
  REQUIRE(second);
  CHECK(second->repos_backed_up == 0);
  CHECK(second->repos_unchanged == 1);
  git_sh("printf 'edit\\n' >> README.md", tmp / "ws" / "repos" / "app");
  auto third = (*engine)->run_cycle(true);
  REQUIRE(third);
  CHECK(third->repos_backed_up == 1);
  // A new engine (a restarted sidecar) recognises the stored set as current.
  auto restarted = ws::workspace::SyncEngine::open(cfg, {}, {});
  REQUIRE(restarted);
  auto fourth = (*restarted)->run_cycle(true);
  REQUIRE(fourth);
  CHECK(fourth->repos_unchanged == 1);
}

// One hydrated session with repo "app" on s3rver, reached through a proxy
// that counts the requests the library sends; syncs its repos only.
struct RepoOnlySession {
  wstest::TempDir tmp;
  wstest::S3rver s3{{kBucket}};
  wstest::FaultProxy proxy{s3.endpoint(), [](const wstest::HttpRequest&) { return std::nullopt; }};
  std::string app = wsws::make_origin(tmp / "origins", "app");
  ws::config::Config cfg = config({});
  ws::workspace::CycleOptions repos_only{ws::workspace::SyncScope::repos_only};

  RepoOnlySession() {
    REQUIRE(ws::workspace::hydrate(cfg, {}, {}));
  }
  ws::config::Config config(const std::map<std::string, std::string>& extra) const {
    std::map<std::string, std::string> env = {{"REPOS_JSON", repos_json({app})}};
    env.insert(extra.begin(), extra.end());
    return wsws::session_config(tmp / "ws", proxy.endpoint(), kBucket, env);
  }
  std::unique_ptr<ws::workspace::SyncEngine> engine(const ws::config::Config& c) const {
    auto e = ws::workspace::SyncEngine::open(c, {}, {});
    REQUIRE(e);
    return std::move(*e);
  }
  ws::workspace::CycleReport cycle(ws::workspace::SyncEngine& e) const {
    auto r = e.run_cycle(true, repos_only);
    INFO((r ? "" : r.error().message));
    REQUIRE(r);
    return *r;
  }
  bool stored(const std::string& key) const {
    const auto keys = keys_under(s3.endpoint(), "");
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  }
  std::string stored_bytes(const std::string& key) const {
    auto got = open_s3(s3.endpoint())->get_bytes(key);
    REQUIRE(got);
    return *got;
  }
};

TEST_CASE("a new engine knows an unchanged repo is saved without asking the store") {
  RepoOnlySession s;
  CHECK(s.cycle(*s.engine(s.cfg)).repos_backed_up == 1);
  auto before = s.proxy.request_count();
  CHECK(s.cycle(*s.engine(s.cfg)).repos_unchanged == 1);
  CHECK(s.proxy.request_count() == before);
  // Without the record the store is asked (one request), and the set is still current.
  const fs::path record = s.tmp / "ws" / ".libworkspace" / "repo-state" / "app.uploaded";
  REQUIRE(fs::exists(record));
  fs::remove(record);
  before = s.proxy.request_count();
  CHECK(s.cycle(*s.engine(s.cfg)).repos_unchanged == 1);
  CHECK(s.proxy.request_count() == before + 1);
  // The record speaks for its session's prefix only: another session saves its own set.
  CHECK(s.cycle(*s.engine(s.config({{"SESSION_NAME", "other"}}))).repos_backed_up == 1);
  CHECK(s.stored("proj/other/repo-state/app/repo.bundle"));
}

TEST_CASE("a repo whose upload failed is uploaded by the next cycle, in the same engine or a new one") {
  RepoOnlySession s;
  const std::string patch_key = "proj/sess-1/repo-state/app/uncommitted.patch";
  auto engine = s.engine(s.cfg);
  s.cycle(*engine);
  for (const bool new_engine : {false, true}) {
    CAPTURE(new_engine);
    const std::string edit = new_engine ? "second edit" : "first edit";
    git_sh("printf '" + edit + "\\n' >> README.md", s.tmp / "ws" / "repos" / "app");
    s.s3.stop();
    CHECK_FALSE(engine->run_cycle(true, s.repos_only));
    s.s3.start();
    if (new_engine) engine = s.engine(s.cfg);
    CHECK(s.cycle(*engine).repos_backed_up == 1);
    CHECK(s.stored_bytes(patch_key).find(edit) != std::string::npos);
  }
}
