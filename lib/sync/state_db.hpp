// The sync's persisted state in one SQLite file (see sync.hpp for what is
// trusted): the hash cache of local files, the manifest of uploaded
// objects, the part records of the objects uploaded in parts (what a delta
// upload reuses) and the requests a store refused (NotImplemented). Losing or deleting the file is always safe: the next cycle hashes
// every file and lists the prefix. One StateDb per cycle, used from one
// thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/error.hpp"
#include "store/store.hpp"

namespace ws::sync {

struct CachedHash {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  uint64_t inode = 0;
  std::string md5;
};
using HashCache = std::unordered_map<std::string, CachedHash>;  // rel path -> hash

struct RemoteEntry {
  uint64_t size = 0;
  std::string md5;  // lower-case hex; empty when unknown
};
using RemoteView = std::map<std::string, RemoteEntry>;  // key -> entry

struct Manifest {
  int trusted_cycles = 0;  // cycles that trusted it since the last full listing
  RemoteView entries;
};

using PartsRecords = std::map<std::string, store::PartsRecord>;  // key -> its parts

struct SqliteClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteClose>;
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalize>;

class StateDb {
 public:
  // Creates the file (and its parent directories) when missing.
  // Errc::io when it cannot be opened or is not a state database.
  static Result<StateDb> open(const std::filesystem::path& file);

  Result<HashCache> load_hashes(const std::string& root);
  // Upserts `put` and deletes `drop` (rel paths) under `root`, in one transaction.
  Status update_hashes(const std::string& root, const std::vector<std::pair<std::string, CachedHash>>& put,
                       const std::vector<std::string>& drop);

  Result<std::optional<Manifest>> load_manifest(const std::string& scope);
  // Replaces the whole manifest (after a full listing); trusted_cycles = 0.
  Status replace_manifest(const std::string& scope, const RemoteView& entries);
  Status update_manifest(const std::string& scope, const std::vector<std::pair<std::string, RemoteEntry>>& put,
                         const std::vector<std::string>& drop);
  Status set_trusted_cycles(const std::string& scope, int cycles);

  // The part records of (store, prefix) `scope`, and their updates.
  Result<PartsRecords> load_parts(const std::string& scope);
  Status update_parts(const std::string& scope, const std::vector<std::pair<std::string, store::PartsRecord>>& put,
                      const std::vector<std::string>& drop);

  // Whether `store` (its stable identity) answered `request` with
  // NotImplemented before, so that it is not asked every cycle.
  Result<bool> store_refuses(const std::string& store, const std::string& request);
  Status note_store_refuses(const std::string& store, const std::string& request);

 private:
  explicit StateDb(SqliteHandle db) : db_(std::move(db)) {}
  Status exec(const char* sql);
  Result<SqliteStatement> prepare(const char* sql);
  // Runs `delete_sql` (two parameters: scope, key) once per key, inside the
  // caller's transaction.
  Status delete_keys(const char* delete_sql, const std::string& scope, const std::vector<std::string>& keys,
                     std::string_view what);
  Error sql_error(std::string_view what) const;

  SqliteHandle db_;
  std::filesystem::path file_;
};

}  // namespace ws::sync
