// The workspace layer's parts that need no peer: layout and modes, SQLite
// checkpoints, metadata.json, the sidecar's schedule and its signal handling.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <future>
#include <boost/json.hpp>
#include <thread>
#include <vector>

#include "support.hpp"
#include "workspace/layout.hpp"
#include "workspace/session_metadata.hpp"
#include "workspace/sidecar_loop.hpp"
#include "workspace/signal_watch.hpp"
#include "workspace/sqlite_checkpoint.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ws::workspace::CycleRequest;

namespace {

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  INFO(sql << ": " << (err ? err : ""));
  sqlite3_free(err);
  REQUIRE(rc == SQLITE_OK);
}

int count_rows(const fs::path& db_file) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  const int n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

}  // namespace

TEST_CASE("layout creates the four directories with modes on the directories only") {
  wstest::TempDir tmp;
  const fs::path root = tmp / "ws";
  fs::create_directories(root / "repos" / "r");
  wstest::write_file(root / "repos" / "r" / "tracked.txt", "x");
  fs::permissions(root / "repos" / "r" / "tracked.txt", static_cast<fs::perms>(0644));
  REQUIRE(ws::workspace::create_layout({root, ".claude", true}, {}));
  CHECK(mode_of(root / "repos") == 0777);
  CHECK(mode_of(root / "file-uploads") == 0777);
  CHECK(mode_of(root / "artifacts") == 0755);
  CHECK(fs::is_directory(root / ".claude" / "debug"));
  CHECK(mode_of(root / "repos" / "r" / "tracked.txt") == 0644);
}

TEST_CASE("layout makes no debug/ inside a state directory other than .claude") {
  wstest::TempDir tmp;
  REQUIRE(ws::workspace::create_layout({tmp / "ws", "state/gemini", true}, {}));
  CHECK(fs::is_directory(tmp / "ws" / "state" / "gemini"));
  CHECK_FALSE(fs::exists(tmp / "ws" / "state" / "gemini" / "debug"));
}

TEST_CASE("a WAL database checkpointed while its writer keeps it open has every row in the main file") {
  wstest::TempDir tmp;
  const fs::path state = tmp / ".claude";
  fs::create_directories(state / "sub");
  const fs::path db_file = state / "sub" / "history.db";
  sqlite3* writer = nullptr;
  REQUIRE(sqlite3_open(db_file.c_str(), &writer) == SQLITE_OK);
  exec(writer, "PRAGMA journal_mode=WAL");
  exec(writer, "PRAGMA wal_autocheckpoint=0");
  exec(writer, "CREATE TABLE t(x)");
  for (int i = 0; i < 50; ++i) exec(writer, "INSERT INTO t VALUES (randomblob(100))");
  REQUIRE(fs::file_size(state / "sub" / "history.db-wal") > 0);
  wstest::write_file(state / "notes.txt", "not a database");

  const auto report = ws::workspace::checkpoint_databases(state, {});
  CHECK(report.databases == 1);
  CHECK(report.checkpointed == 1);
  // Only the main file travels: a copy without -wal must hold every row.
  fs::create_directories(tmp / "copy");
  fs::copy_file(db_file, tmp / "copy" / "history.db");
  CHECK(count_rows(tmp / "copy" / "history.db") == 50);
  sqlite3_close(writer);
}

TEST_CASE("a database whose writer is mid-transaction is reported busy, not failed") {
  wstest::TempDir tmp;
  const fs::path db_file = tmp / "busy.db";
  sqlite3* writer = nullptr;
  REQUIRE(sqlite3_open(db_file.c_str(), &writer) == SQLITE_OK);
  exec(writer, "PRAGMA journal_mode=WAL");
  exec(writer, "CREATE TABLE t(x)");
  exec(writer, "BEGIN IMMEDIATE");
  exec(writer, "INSERT INTO t VALUES (1)");
  const auto report = ws::workspace::checkpoint_databases(tmp.path(), {}, 50ms);
  CHECK(report.databases == 1);
  CHECK(report.failed == 0);
  exec(writer, "COMMIT");
  sqlite3_close(writer);
}

TEST_CASE("only files with the SQLite header count as databases") {
  wstest::TempDir tmp;
  wstest::write_file(tmp / "fake.db", "SQLite format 2 and more bytes");
  wstest::write_file(tmp / "short", "SQLite");
  CHECK_FALSE(*ws::workspace::has_sqlite_header(tmp / "fake.db"));
  CHECK_FALSE(*ws::workspace::has_sqlite_header(tmp / "short"));
  CHECK(ws::workspace::checkpoint_databases(tmp.path(), {}).databases == 0);
}

TEST_CASE("a FIFO in a database's place is skipped with a warning instead of blocking the cycle") {
  wstest::TempDir tmp;
  REQUIRE(::mkfifo((tmp / "state.db").c_str(), 0600) == 0);
  wstest::write_file(tmp / "state.db-wal", "a non-empty log, so the database is looked at");
  std::vector<std::string> warnings;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.push_back(std::string(e.event) + " " + std::string(e.message));
  });
  // No writer ever opens the FIFO: a blocking open or read would never return.
  auto done = std::async(std::launch::async, [&] { return ws::workspace::checkpoint_databases(tmp.path(), log); });
  REQUIRE(done.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(done.get().databases == 0);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].starts_with("sqlite.not_checkpointed "));
  CHECK(warnings[0].find((tmp / "state.db").string()) != std::string::npos);
  CHECK(warnings[0].find("FIFO") != std::string::npos);
}

TEST_CASE("a database without a write-ahead log is not opened: it is consistent on disk already") {
  wstest::TempDir tmp;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((tmp / "closed.db").c_str(), &db) == SQLITE_OK);
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "CREATE TABLE t(x)");
  sqlite3_close(db);  // the last connection checkpoints and removes closed.db-wal
  REQUIRE(*ws::workspace::has_sqlite_header(tmp / "closed.db"));
  REQUIRE_FALSE(fs::exists(tmp / "closed.db-wal"));
  wstest::write_file(tmp / "notes.txt-wal", "a log beside a file that is no database");
  wstest::write_file(tmp / "notes.txt", "plain text");
  const auto report = ws::workspace::checkpoint_databases(tmp.path(), {});
  CHECK(report.databases == 0);
  CHECK(report.failed == 0);
}

TEST_CASE("metadata.json carries lastSync, session, namespace and pathsSynced") {
  ws::workspace::SessionMetadata m{std::chrono::system_clock::from_time_t(1700000000), "sess-1", "ns", 3, {}};
  const auto v = boost::json::parse(ws::workspace::to_json(m)).as_object();
  CHECK(v.at("lastSync").as_string() == "2023-11-14T22:13:20Z");
  CHECK(v.at("session").as_string() == "sess-1");
  CHECK(v.at("namespace").as_string() == "ns");
  CHECK(v.at("pathsSynced").as_int64() == 3);
}

TEST_CASE("the sidecar backs up repos on the first and every Nth cycle, and once more on stop") {
  ws::workspace::SidecarSchedule s;
  s.initial_delay = 1ms;
  s.interval = 1ms;
  s.repo_backup_every = 3;
  ws::workspace::StopToken stop;
  std::vector<CycleRequest> seen;
  auto cycle = [&](const CycleRequest& r) -> ws::Status {
    seen.push_back(r);
    if (seen.size() == 7) stop.request_stop();
    return {};
  };
  const auto out = ws::workspace::run_sidecar_loop(s, cycle, stop, {});
  REQUIRE(seen.size() == 8);
  CHECK(out.cycles == 8);
  CHECK(out.final_ok);
  std::vector<bool> backups;
  for (const auto& r : seen) backups.push_back(r.backup_repos);
  CHECK(backups == std::vector<bool>{true, false, false, true, false, false, true, true});
  CHECK(seen.back().final);
  CHECK_FALSE(seen[6].final);
}

TEST_CASE("a failed cycle is retried by the next one") {
  ws::workspace::SidecarSchedule s;
  s.initial_delay = 0ms;
  s.interval = 1ms;
  ws::workspace::StopToken stop;
  int n = 0;
  auto cycle = [&](const CycleRequest&) -> ws::Status {
    ++n;
    if (n == 2) return ws::Error(ws::Errc::network, "store down");
    if (n == 3) stop.request_stop();
    return {};
  };
  const auto out = ws::workspace::run_sidecar_loop(s, cycle, stop, {});
  CHECK(out.cycles == 4);
  CHECK(out.failed == 1);
  CHECK(out.final_ok);
}

TEST_CASE("a stop during the initial delay still runs the final save") {
  ws::workspace::SidecarSchedule s;
  s.initial_delay = 1h;
  ws::workspace::StopToken stop;
  std::vector<CycleRequest> seen;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
  });
  const auto t0 = std::chrono::steady_clock::now();
  ws::workspace::run_sidecar_loop(s, [&](const CycleRequest& r) { seen.push_back(r); return ws::Status{}; }, stop, {});
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].final);
  CHECK(seen[0].backup_repos);
}

TEST_CASE("with persistence off the sidecar runs no cycle and returns when stopped") {
  ws::workspace::SidecarSchedule s;
  s.persistence = false;
  ws::workspace::StopToken stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(20ms);
    stop.request_stop();
  });
  int n = 0;
  const auto out = ws::workspace::run_sidecar_loop(s, [&](const CycleRequest&) { ++n; return ws::Status{}; }, stop, {});
  stopper.join();
  CHECK(n == 0);
  CHECK(out.cycles == 0);
}

TEST_CASE("SIGTERM sent to the process becomes a stop request") {
  ws::workspace::StopToken stop;
  {
    auto watch = ws::workspace::SignalWatch::start(stop);
    REQUIRE(watch);
    REQUIRE(::kill(::getpid(), SIGTERM) == 0);
    CHECK(stop.wait_for(5s));
    CHECK((*watch)->received() == SIGTERM);
  }
  CHECK(stop.stop_requested());
}
