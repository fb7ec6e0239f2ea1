#include "sync/tree_state.hpp"

namespace ws::sync {

std::string manifest_scope(const store::Store& store, std::string_view prefix) {
  return store.identity() + "\n" + std::string(prefix);
}

const std::string* TreeState::cached_md5(const std::string& rel, uint64_t size, int64_t mtime_ns,
                                         uint64_t inode) const {
  const auto it = cache.find(rel);
  if (it == cache.end() || it->second.size != size || it->second.mtime_ns != mtime_ns || it->second.inode != inode) {
    return nullptr;
  }
  return &it->second.md5;
}

TreeState open_tree_state(const std::filesystem::path& file, const std::filesystem::path& root,
                          const store::Store& store, std::string_view prefix, const Logger& log) {
  TreeState state;
  if (file.empty()) return state;
  auto db = StateDb::open(file);
  if (!db) {
    log.warn("sync.state_db", db.error().message + "; continuing without the cache");
    return state;
  }
  state.db.emplace(std::move(*db));
  state.root_key = std::filesystem::absolute(root).lexically_normal().string();
  state.scope = manifest_scope(store, prefix);
  if (auto cache = state.db->load_hashes(state.root_key)) state.cache = std::move(*cache);
  return state;
}

}  // namespace ws::sync
