#include "sync/state_db.hpp"

#include <cstring>
#include <system_error>

namespace ws::sync {
namespace {

// Bumped when the schema changes incompatibly: an older file is rebuilt
// (it is only a cache).
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS file_hash(
  root TEXT NOT NULL, rel TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
  inode INTEGER NOT NULL, md5 TEXT NOT NULL, PRIMARY KEY(root, rel)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS manifest_scope(
  scope TEXT PRIMARY KEY, trusted_cycles INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS manifest(
  scope TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, md5 TEXT NOT NULL,
  PRIMARY KEY(scope, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS upload_parts(
  scope TEXT NOT NULL, key TEXT NOT NULL, etag TEXT NOT NULL, size INTEGER NOT NULL,
  part_size INTEGER NOT NULL, part_md5 TEXT NOT NULL, PRIMARY KEY(scope, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS store_refusal(
  store TEXT NOT NULL, request TEXT NOT NULL, PRIMARY KEY(store, request)) WITHOUT ROWID;
)sql";

std::string column_text(sqlite3_stmt* s, int i) {
  const auto* p = sqlite3_column_text(s, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) { ok_ = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK; }
  ~Transaction() {
    if (ok_ && !done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  bool begun() const { return ok_; }
  bool commit() {
    done_ = true;
    return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  sqlite3* db_;
  bool ok_ = false;
  bool done_ = false;
};

// SQLite's message, and the system's when a system call failed under it:
// "database or disk is full" alone hides ENOSPC from EIO or EDQUOT.
std::string sqlite_reason(sqlite3* db) {
  if (db == nullptr) return "out of memory";
  std::string reason = sqlite3_errmsg(db);
  int err = sqlite3_system_errno(db);
  if (err == 0) sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &err);
  if (err != 0) reason += std::string(" (") + std::strerror(err) + ")";
  return reason;
}

}  // namespace

Error StateDb::sql_error(std::string_view what) const {
  const std::string where = file_.empty() ? "" : " " + file_.string();
  return Error(Errc::io, "sync state database" + where + ": " + std::string(what) + ": " +
                             (db_ ? sqlite_reason(db_.get()) : "not open"));
}

Status StateDb::exec(const char* sql) {
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) return sql_error("exec");
  return {};
}

Result<SqliteStatement> StateDb::prepare(const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql, -1, &s, nullptr) != SQLITE_OK) return sql_error("prepare");
  return SqliteStatement(s);
}

Result<StateDb> StateDb::open(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  SqliteHandle handle(raw);
  if (rc != SQLITE_OK) {
    return Error(Errc::io, "cannot open sync state database " + file.string() + ": " + sqlite_reason(raw));
  }
  sqlite3_busy_timeout(raw, 5000);
  StateDb db(std::move(handle));
  db.file_ = file;
  // Durability is not needed (a lost write only costs a re-hash or a
  // re-upload), but consistency is: WAL keeps the file valid on a crash.
  WS_TRY(db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  auto version = db.prepare("PRAGMA user_version");
  if (!version) return std::move(version).error();
  int current = 0;
  if (sqlite3_step(version->get()) == SQLITE_ROW) current = sqlite3_column_int(version->get(), 0);
  version->reset();
  if (current != kSchemaVersion) {
    WS_TRY(db.exec("DROP TABLE IF EXISTS file_hash; DROP TABLE IF EXISTS manifest_scope;"
                   " DROP TABLE IF EXISTS manifest; DROP TABLE IF EXISTS upload_parts;"
                   " DROP TABLE IF EXISTS store_refusal;"));
    WS_TRY(db.exec(kSchema));
    WS_TRY(db.exec(("PRAGMA user_version=" + std::to_string(kSchemaVersion)).c_str()));
  }
  return db;
}

Result<HashCache> StateDb::load_hashes(const std::string& root) {
  auto st = prepare("SELECT rel, size, mtime_ns, inode, md5 FROM file_hash WHERE root = ?");
  if (!st) return std::move(st).error();
  bind_text(st->get(), 1, root);
  HashCache out;
  int rc;
  while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
    CachedHash h;
    h.size = static_cast<uint64_t>(sqlite3_column_int64(st->get(), 1));
    h.mtime_ns = sqlite3_column_int64(st->get(), 2);
    h.inode = static_cast<uint64_t>(sqlite3_column_int64(st->get(), 3));
    h.md5 = column_text(st->get(), 4);
    out.emplace(column_text(st->get(), 0), std::move(h));
  }
  if (rc != SQLITE_DONE) return sql_error("reading the hash cache");
  return out;
}

Status StateDb::delete_keys(const char* delete_sql, const std::string& scope,
                            const std::vector<std::string>& keys, std::string_view what) {
  if (keys.empty()) return {};
  auto del = prepare(delete_sql);
  if (!del) return std::move(del).error();
  for (const auto& key : keys) {
    sqlite3_reset(del->get());
    bind_text(del->get(), 1, scope);
    bind_text(del->get(), 2, key);
    if (sqlite3_step(del->get()) != SQLITE_DONE) return sql_error(what);
  }
  return {};
}

Status StateDb::update_hashes(const std::string& root,
                              const std::vector<std::pair<std::string, CachedHash>>& put,
                              const std::vector<std::string>& drop) {
  if (put.empty() && drop.empty()) return {};
  Transaction tx(db_.get());
  if (!tx.begun()) return sql_error("begin");
  auto ins = prepare("INSERT OR REPLACE INTO file_hash(root, rel, size, mtime_ns, inode, md5) VALUES(?,?,?,?,?,?)");
  if (!ins) return std::move(ins).error();
  for (const auto& [rel, h] : put) {
    sqlite3_reset(ins->get());
    bind_text(ins->get(), 1, root);
    bind_text(ins->get(), 2, rel);
    sqlite3_bind_int64(ins->get(), 3, static_cast<sqlite3_int64>(h.size));
    sqlite3_bind_int64(ins->get(), 4, h.mtime_ns);
    sqlite3_bind_int64(ins->get(), 5, static_cast<sqlite3_int64>(h.inode));
    bind_text(ins->get(), 6, h.md5);
    if (sqlite3_step(ins->get()) != SQLITE_DONE) return sql_error("writing the hash cache");
  }
  WS_TRY(delete_keys("DELETE FROM file_hash WHERE root = ? AND rel = ?", root, drop, "writing the hash cache"));
  if (!tx.commit()) return sql_error("commit");
  return {};
}

Result<std::optional<Manifest>> StateDb::load_manifest(const std::string& scope) {
  auto head = prepare("SELECT trusted_cycles FROM manifest_scope WHERE scope = ?");
  if (!head) return std::move(head).error();
  bind_text(head->get(), 1, scope);
  const int rc = sqlite3_step(head->get());
  if (rc == SQLITE_DONE) return std::optional<Manifest>();
  if (rc != SQLITE_ROW) return sql_error("reading the manifest");
  Manifest m;
  m.trusted_cycles = sqlite3_column_int(head->get(), 0);
  auto rows = prepare("SELECT key, size, md5 FROM manifest WHERE scope = ?");
  if (!rows) return std::move(rows).error();
  bind_text(rows->get(), 1, scope);
  int r;
  while ((r = sqlite3_step(rows->get())) == SQLITE_ROW) {
    m.entries.emplace(column_text(rows->get(), 0),
                      RemoteEntry{static_cast<uint64_t>(sqlite3_column_int64(rows->get(), 1)),
                                  column_text(rows->get(), 2)});
  }
  if (r != SQLITE_DONE) return sql_error("reading the manifest");
  return std::optional<Manifest>(std::move(m));
}

Status StateDb::replace_manifest(const std::string& scope, const RemoteView& entries) {
  Transaction tx(db_.get());
  if (!tx.begun()) return sql_error("begin");
  auto del = prepare("DELETE FROM manifest WHERE scope = ?");
  if (!del) return std::move(del).error();
  bind_text(del->get(), 1, scope);
  if (sqlite3_step(del->get()) != SQLITE_DONE) return sql_error("writing the manifest");
  auto ins = prepare("INSERT INTO manifest(scope, key, size, md5) VALUES(?,?,?,?)");
  if (!ins) return std::move(ins).error();
  for (const auto& [key, e] : entries) {
    if (e.md5.empty()) continue;  // unknown content is never trusted
    sqlite3_reset(ins->get());
    bind_text(ins->get(), 1, scope);
    bind_text(ins->get(), 2, key);
    sqlite3_bind_int64(ins->get(), 3, static_cast<sqlite3_int64>(e.size));
    bind_text(ins->get(), 4, e.md5);
    if (sqlite3_step(ins->get()) != SQLITE_DONE) return sql_error("writing the manifest");
  }
  auto head = prepare("INSERT OR REPLACE INTO manifest_scope(scope, trusted_cycles) VALUES(?, 0)");
  if (!head) return std::move(head).error();
  bind_text(head->get(), 1, scope);
  if (sqlite3_step(head->get()) != SQLITE_DONE) return sql_error("writing the manifest");
  if (!tx.commit()) return sql_error("commit");
  return {};
}

Status StateDb::update_manifest(const std::string& scope,
                                const std::vector<std::pair<std::string, RemoteEntry>>& put,
                                const std::vector<std::string>& drop) {
  if (put.empty() && drop.empty()) return {};
  Transaction tx(db_.get());
  if (!tx.begun()) return sql_error("begin");
  auto ins = prepare("INSERT OR REPLACE INTO manifest(scope, key, size, md5) VALUES(?,?,?,?)");
  if (!ins) return std::move(ins).error();
  for (const auto& [key, e] : put) {
    sqlite3_reset(ins->get());
    bind_text(ins->get(), 1, scope);
    bind_text(ins->get(), 2, key);
    sqlite3_bind_int64(ins->get(), 3, static_cast<sqlite3_int64>(e.size));
    bind_text(ins->get(), 4, e.md5);
    if (sqlite3_step(ins->get()) != SQLITE_DONE) return sql_error("writing the manifest");
  }
  WS_TRY(delete_keys("DELETE FROM manifest WHERE scope = ? AND key = ?", scope, drop, "writing the manifest"));
  if (!tx.commit()) return sql_error("commit");
  return {};
}

Status StateDb::set_trusted_cycles(const std::string& scope, int cycles) {
  auto st = prepare("UPDATE manifest_scope SET trusted_cycles = ? WHERE scope = ?");
  if (!st) return std::move(st).error();
  sqlite3_bind_int(st->get(), 1, cycles);
  bind_text(st->get(), 2, scope);
  if (sqlite3_step(st->get()) != SQLITE_DONE) return sql_error("writing the manifest");
  return {};
}

Result<PartsRecords> StateDb::load_parts(const std::string& scope) {
  auto st = prepare("SELECT key, etag, size, part_size, part_md5 FROM upload_parts WHERE scope = ?");
  if (!st) return std::move(st).error();
  bind_text(st->get(), 1, scope);
  PartsRecords out;
  int rc;
  while ((rc = sqlite3_step(st->get())) == SQLITE_ROW) {
    store::PartsRecord r;
    r.etag = column_text(st->get(), 1);
    r.size = static_cast<uint64_t>(sqlite3_column_int64(st->get(), 2));
    r.part_size = static_cast<uint64_t>(sqlite3_column_int64(st->get(), 3));
    const std::string md5s = column_text(st->get(), 4);
    for (size_t at = 0; at + 32 <= md5s.size(); at += 32) r.part_md5.push_back(md5s.substr(at, 32));
    out.emplace(column_text(st->get(), 0), std::move(r));
  }
  if (rc != SQLITE_DONE) return sql_error("reading the part records");
  return out;
}

Status StateDb::update_parts(const std::string& scope,
                             const std::vector<std::pair<std::string, store::PartsRecord>>& put,
                             const std::vector<std::string>& drop) {
  if (put.empty() && drop.empty()) return {};
  Transaction tx(db_.get());
  if (!tx.begun()) return sql_error("begin");
  auto ins = prepare("INSERT OR REPLACE INTO upload_parts(scope, key, etag, size, part_size, part_md5)"
                     " VALUES(?,?,?,?,?,?)");
  if (!ins) return std::move(ins).error();
  for (const auto& [key, r] : put) {
    std::string md5s;
    for (const auto& m : r.part_md5) md5s += m;
    sqlite3_reset(ins->get());
    bind_text(ins->get(), 1, scope);
    bind_text(ins->get(), 2, key);
    bind_text(ins->get(), 3, r.etag);
    sqlite3_bind_int64(ins->get(), 4, static_cast<sqlite3_int64>(r.size));
    sqlite3_bind_int64(ins->get(), 5, static_cast<sqlite3_int64>(r.part_size));
    bind_text(ins->get(), 6, md5s);
    if (sqlite3_step(ins->get()) != SQLITE_DONE) return sql_error("writing the part records");
  }
  WS_TRY(delete_keys("DELETE FROM upload_parts WHERE scope = ? AND key = ?", scope, drop,
                     "writing the part records"));
  if (!tx.commit()) return sql_error("commit");
  return {};
}

Result<bool> StateDb::store_refuses(const std::string& store, const std::string& request) {
  auto st = prepare("SELECT 1 FROM store_refusal WHERE store = ? AND request = ?");
  if (!st) return std::move(st).error();
  bind_text(st->get(), 1, store);
  bind_text(st->get(), 2, request);
  const int rc = sqlite3_step(st->get());
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sql_error("reading the store's refusals");
  return rc == SQLITE_ROW;
}

Status StateDb::note_store_refuses(const std::string& store, const std::string& request) {
  auto st = prepare("INSERT OR IGNORE INTO store_refusal(store, request) VALUES(?, ?)");
  if (!st) return std::move(st).error();
  bind_text(st->get(), 1, store);
  bind_text(st->get(), 2, request);
  if (sqlite3_step(st->get()) != SQLITE_DONE) return sql_error("writing the store's refusals");
  return {};
}

}  // namespace ws::sync
