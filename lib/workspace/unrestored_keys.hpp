// The objects a hydrate could not restore (behaviour §3 step 3): each one stays
// in the store, and the sidecar must not delete it as "gone locally" until
// the runner has written that path itself. The list lives in the engine's
// state directory (`<cache>/unrestored`), one "tree<TAB>path" line per
// object, with '%', TAB, CR and LF percent-encoded so any key round-trips.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace ws::workspace {

struct UnrestoredKey {
  std::string tree;  // one of the synced trees ("artifacts", the state dir, ...)
  std::string path;  // relative to the tree, as the key names it
  bool operator==(const UnrestoredKey&) const = default;
};

std::filesystem::path unrestored_record(const std::filesystem::path& cache_dir);

// Replaces the record; an empty list removes it.
Status write_unrestored(const std::filesystem::path& record, const std::vector<UnrestoredKey>& keys);

// The recorded keys; none when the record is missing. Errc::io when it
// exists but cannot be read. Lines this library cannot have written are
// skipped.
Result<std::vector<UnrestoredKey>> read_unrestored(const std::filesystem::path& record);

}  // namespace ws::workspace
