// Tree sync between a local directory and a key prefix of a Store, with
// rclone's semantics and rclone-compatible objects:
//  - mirror_up:  make the prefix equal to the local tree (upload new and
//    changed files, compared by size + MD5; then delete keys whose files are
//    gone — only when every upload succeeded, so an interrupted or failed
//    cycle never leaves the remote with fewer files than either state).
//    Keys of excluded or skipped paths are left alone (rclone without
//    --delete-excluded).
//  - copy_down:  download every object under the prefix into the tree,
//    restoring mtimes; keys that would leave the tree are refused.
// Both run transfers in parallel over the thread-safe Store and report
// progress through Logger::progress, one call at a time.
//
// What a persisted state database (MirrorOptions::state_db) lets a cycle
// trust, so that a cycle where nothing changed reads no file and sends no
// request:
//  - hash cache: a file whose (path, size, mtime ns, inode) equals the cached
//    row has the cached MD5. Files modified less than 2 s before they were
//    hashed are not cached (their mtime may not move on the next write).
//  - manifest: what this library last uploaded under (store, prefix): key ->
//    size, MD5. It is written only after a confirmed upload and an entry is
//    removed before its key is deleted, so it never claims more than the
//    remote holds because of us. It is trusted for `verify_every - 1` cycles
//    in a row; then (and whenever it is missing) the prefix is listed in full
//    and the manifest rebuilt. Changes made to the prefix by another writer
//    are therefore noticed at the next full listing, not before.
// Without a state database every cycle hashes every file and lists the prefix.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "store/store.hpp"

namespace ws::sync {

namespace fs = std::filesystem;

// The exclude list of behaviour §5, in rclone filter syntax.
const std::vector<std::string>& default_excludes();

// One file that was skipped or failed, and why.
struct FileIssue {
  std::string path;     // path relative to the tree (or the key, when it maps to no path)
  Errc code = Errc::ok;
  std::string message;
};

struct SyncSummary {
  uint64_t files = 0;        // files considered (local files up, remote objects down)
  uint64_t transferred = 0;  // uploaded or downloaded
  uint64_t unchanged = 0;    // already identical on the other side
  uint64_t deleted = 0;      // remote keys deleted (mirror_up)
  uint64_t bytes = 0;        // total size of the files considered
  uint64_t bytes_transferred = 0;
  bool listed = false;       // the remote prefix was listed in full this cycle
  std::vector<FileIssue> skipped;  // not synced on purpose (too large, broken link, loop)
  std::vector<FileIssue> failed;   // should have synced and did not (unsafe key, transfer error)

  bool ok() const { return failed.empty(); }
  // Success, or an Error with the first failure's code that counts them all.
  Status status() const;
};

struct MirrorOptions {
  std::vector<std::string> excludes = default_excludes();  // rclone filter patterns
  std::vector<std::string> filter_rules;  // "+ glob" / "- glob", after excludes (rclone_filter_rules)
  uint64_t max_file_size = 1ull << 30;  // larger files are skipped with a warning (MAX_SYNC_SIZE)
  int parallel = 8;                     // concurrent transfers
  fs::path state_db;                    // SQLite file for the hash cache and manifest; empty = none
  int verify_every = 10;                // list the prefix in full at least every Nth cycle (1 = always)
  bool dry_run = false;                 // decide and report, transfer nothing
  // Once requested, no further file starts, the transfers under way are
  // aborted (unless let_transfers_end) and the sync fails with
  // Errc::cancelled, deleting nothing; each object stays old or new. May be null.
  const CancelToken* cancel = nullptr;
  // A cancel lets the transfers under way end (the sidecar's stop: a
  // half-sent file is not wasted) instead of aborting them.
  bool let_transfers_end = false;
  // Symlinks are followed only while their target stays below this directory
  // (the workspace root); others are skipped with a warning. Empty: the
  // local root itself.
  fs::path confine_to;
  // Remote keys never deleted, even with no local file: objects a hydrate
  // could not restore (behaviour §3 step 3). Called with full keys; may be empty.
  std::function<bool(std::string_view key)> keep_remote;
};

struct CopyOptions {
  std::vector<std::string> excludes;    // rclone filter patterns; empty = copy everything
  std::vector<std::string> filter_rules;  // "+ glob" / "- glob", after excludes (rclone_filter_rules)
  int parallel = 8;
  fs::path state_db;                    // as MirrorOptions::state_db: records what was downloaded
  bool dry_run = false;
  const CancelToken* cancel = nullptr;  // as MirrorOptions::cancel; local files stay old or new
  bool let_transfers_end = false;
};

// Uploads `local_root` (which must exist and be a directory) to
// `key_prefix` ("ns/session/artifacts"; a trailing '/' is implied). The
// Result fails only when nothing could be decided (local root missing,
// listing failed, state database unusable, cancelled); per-file failures are
// in the summary, and deletions are then skipped.
Result<SyncSummary> mirror_up(store::Store& store, const fs::path& local_root,
                              std::string_view key_prefix, const MirrorOptions& opts = {},
                              const Logger& log = {});

// Downloads every object under `key_prefix` into `local_root` (created if
// missing). A local file with the same size and MD5 is left alone; others
// are replaced atomically (a partial download never replaces a good file).
// A key whose remainder has "..", "." or empty segments, a leading '/', or a
// NUL is refused (Errc::unsafe_path in `failed`) and the rest still
// downloads; nothing is ever written outside `local_root`, also not through
// a symlinked directory inside it.
Result<SyncSummary> copy_down(store::Store& store, std::string_view key_prefix,
                              const fs::path& local_root, const CopyOptions& opts = {},
                              const Logger& log = {});

// One tree of mirror_up_trees.
struct MirrorTree {
  fs::path local_root;
  std::string key_prefix;
};

// mirror_up for several trees at once: each is scanned and decided, then
// all their uploads share one pool of `opts.parallel` transfers (largest
// first), and each tree's deletions wait until every upload has ended. One
// result per tree, in order, as mirror_up would give it.
std::vector<Result<SyncSummary>> mirror_up_trees(store::Store& store, const std::vector<MirrorTree>& trees,
                                                 const MirrorOptions& opts = {}, const Logger& log = {});

// One tree of copy_down_trees.
struct CopyTree {
  std::string key_prefix;
  fs::path local_root;
};

// copy_down for several trees at once: each is listed and planned, then
// all their downloads share one pool of `opts.parallel` transfers (largest
// first), so one tree's last slow transfers do not hold up the next tree's
// start. One result per tree, in order, as copy_down would give it.
std::vector<Result<SyncSummary>> copy_down_trees(store::Store& store, const std::vector<CopyTree>& trees,
                                                 const CopyOptions& opts = {}, const Logger& log = {});

}  // namespace ws::sync
