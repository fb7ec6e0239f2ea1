#include "workspace/sqlite_checkpoint.hpp"

#include <sqlite3.h>

#include <unistd.h>

#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "common/regular_file.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;

struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

constexpr std::string_view kWalSuffix = "-wal";

enum class Outcome { done, busy, failed };

// Returns the outcome and, on failure, SQLite's message.
Outcome checkpoint_one(const fs::path& file, std::chrono::milliseconds busy_timeout,
                       std::string& why) {
  sqlite3* raw = nullptr;
  // No URI, no create: a database that vanished since the scan is not made
  // anew; no symlink: one swapped in since the header check is not followed.
  const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) {
    why = db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return Outcome::failed;
  }
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)", -1, &raw_stmt, nullptr) !=
      SQLITE_OK) {
    why = sqlite3_errmsg(db.get());
    return Outcome::failed;
  }
  StmtHandle stmt(raw_stmt);
  const int step = sqlite3_step(stmt.get());
  if (step == SQLITE_BUSY || step == SQLITE_LOCKED) return Outcome::busy;
  if (step != SQLITE_ROW) {
    why = sqlite3_errmsg(db.get());
    return Outcome::failed;
  }
  // Row: (busy, log frames, checkpointed frames); busy=1 means the
  // checkpoint could not finish because of a reader or writer.
  return sqlite3_column_int(stmt.get(), 0) != 0 ? Outcome::busy : Outcome::done;
}

}  // namespace

Result<bool> has_sqlite_header(const fs::path& file) {
  static constexpr std::array<char, 16> kHeader = {'S', 'Q', 'L', 'i', 't', 'e', ' ', 'f',
                                                   'o', 'r', 'm', 'a', 't', ' ', '3', '\0'};
  // The runner owns this tree: a FIFO or a link in the database's place must
  // neither block the sidecar nor lead it elsewhere.
  auto in = open_regular_file(file, Symlinks::refuse_last);
  if (!in) return std::move(in).error();
  std::array<char, 16> head{};
  return ::pread(in->fd.get(), head.data(), head.size(), 0) == ssize_t(head.size()) && head == kHeader;
}


CheckpointReport checkpoint_databases(const fs::path& dir, const Logger& log,
                                      std::chrono::milliseconds busy_timeout) {
  CheckpointReport report;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return report;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    // Only a database with a non-empty write-ahead log has anything to
    // checkpoint. Walking by "<db>-wal" names keeps a no-change cycle from
    // opening every file of the state tree to read its header.
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec) || it->is_symlink(type_ec)) continue;
    const std::string wal_name = it->path().filename().string();
    if (wal_name.size() <= kWalSuffix.size() || !wal_name.ends_with(kWalSuffix)) continue;
    if (it->file_size(type_ec) == 0 || type_ec) continue;
    const fs::path file =
        it->path().parent_path() / wal_name.substr(0, wal_name.size() - kWalSuffix.size());
    auto header = has_sqlite_header(file);
    if (!header && header.error().code != Errc::not_found) {
      log.warn("sqlite.not_checkpointed", "not checkpointing " + file.string() + ": " + header.error().message);
    }
    if (!header || !*header) continue;
    ++report.databases;
    std::string why;
    switch (checkpoint_one(file, busy_timeout, why)) {
      case Outcome::done:
        ++report.checkpointed;
        log.debug("sqlite.checkpointed", "checkpointed " + file.string());
        break;
      case Outcome::busy:
        ++report.busy;
        log.warn("sqlite.busy", "SQLite database " + file.string() +
                                    " stayed busy; its write-ahead log is uploaded beside it");
        break;
      case Outcome::failed:
        ++report.failed;
        log.warn("sqlite.checkpoint_failed",
                 "could not checkpoint SQLite database " + file.string() + ": " + why);
        break;
    }
  }
  return report;
}

}  // namespace ws::workspace
