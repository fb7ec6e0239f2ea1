// Walks a local tree as rclone does for a sync source: excluded directories
// are never entered, symlinks are followed (a link back to a directory
// above it is a loop and skipped, a broken link is skipped), files larger
// than the limit are skipped; each skip is reported with its reason.
// Sockets, FIFOs, devices and the temporary files of downloads (which a
// killed process may leave behind) are ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "sync/filter.hpp"
#include "sync/sync.hpp"

namespace ws::sync {

struct LocalFile {
  std::string rel;       // '/'-separated path below the root
  uint64_t size = 0;
  int64_t mtime_ns = 0;  // of the file (the link target for a symlink)
  uint64_t inode = 0;
};

struct TreeScan {
  std::vector<LocalFile> files;  // sorted by rel
  std::vector<FileIssue> skipped;
  uint64_t bytes = 0;            // sum of files[].size
};

// Errc::not_found when `root` is missing, Errc::io when it is not a
// readable directory. Unreadable entries below it are skipped with a reason.
Result<TreeScan> scan_tree(const std::filesystem::path& root, const ExcludeFilter& filter,
                           uint64_t max_file_size, const Logger& log = {});

}  // namespace ws::sync
