// What mirror_up and copy_down keep of one tree in the state database (see
// sync.hpp for what is trusted): the tree's hash cache, keyed by the tree's
// absolute path, and the manifest of (store, prefix), keyed by the store's
// identity() — never by describe(), a sentence for people that may be
// reworded without the store changing.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/log.hpp"
#include "store/store.hpp"
#include "sync/state_db.hpp"

namespace ws::sync {

// A file modified this close to its hashing may be written again within the
// same mtime tick; such hashes are used but not cached.
inline constexpr int64_t kRacyWindowNs = 2'000'000'000;

inline int64_t mtime_ns_of(const struct stat& st) {
  return int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// May the hash of a file with this mtime, read from `started_ns` on, be
// cached?
inline bool outside_racy_window(int64_t mtime_ns, int64_t started_ns) {
  return mtime_ns < started_ns - kRacyWindowNs;
}

// The key of the manifest of `prefix` (normalized) in `store`.
std::string manifest_scope(const store::Store& store, std::string_view prefix);

struct TreeState {
  std::optional<StateDb> db;  // empty: no state database, or it could not be opened
  std::string root_key;       // the tree's absolute path: the hash cache's key
  std::string scope;          // manifest_scope(store, prefix)
  HashCache cache;            // as loaded at the start of the cycle

  // The cached MD5 of `rel` when its row still describes the file (same
  // size, mtime and inode); nothing otherwise.
  const std::string* cached_md5(const std::string& rel, uint64_t size, int64_t mtime_ns, uint64_t inode) const;
};

// Opens `file` for the tree at `root` synced with `prefix` of `store`, and
// loads the tree's hash cache. A database that cannot be opened is warned
// about and the cycle runs without one. An empty `file` means none.
TreeState open_tree_state(const std::filesystem::path& file, const std::filesystem::path& root,
                          const store::Store& store, std::string_view prefix, const Logger& log);

}  // namespace ws::sync
