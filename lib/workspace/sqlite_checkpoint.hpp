// Making SQLite databases under the state directory consistent before
// upload: a database in WAL mode keeps recent commits in <db>-wal, and an
// upload of the main file alone would lose them. PRAGMA
// wal_checkpoint(TRUNCATE) moves them into the main file; it works while
// another process holds the database open (it waits up to the busy timeout
// for that process's transaction to end).
#pragma once

#include <chrono>
#include <filesystem>

#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::workspace {

// True when the file starts with the 16-byte header "SQLite format 3\0";
// Result<bool>: an error when it is no regular file (a FIFO, a symlink) or
// cannot be read, each opened without blocking or following a final link.
Result<bool> has_sqlite_header(const std::filesystem::path& file);

struct CheckpointReport {
  int databases = 0;     // SQLite databases with a non-empty -wal file found
  int checkpointed = 0;  // fully checkpointed
  int busy = 0;          // a writer kept the log busy; its -wal is uploaded as is
  int failed = 0;        // could not be opened or checkpointed (logged)
};

// Checkpoints every SQLite database below `dir` that has a non-empty
// write-ahead log (recursively, symlinks not followed); a database without
// one is consistent on disk already and is not opened. Never fails as a whole: a database that cannot be
// checkpointed is logged and counted; its -wal file is then uploaded
// beside it, which SQLite recovers on open.
CheckpointReport checkpoint_databases(const std::filesystem::path& dir, const Logger& log,
                                      std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));

}  // namespace ws::workspace
