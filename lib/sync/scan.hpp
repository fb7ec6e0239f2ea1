// Walks a local tree as rclone does for a sync source: excluded directories
// are never entered, symlinks are followed while their target stays inside
// the confining directory (the workspace root): a link leading out of it or
// into /proc, /sys or /dev is skipped, so is a link back to a directory
// above it (a loop) and a broken link; files larger than the limit are
// skipped; each skip is reported with its reason.
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
  // The file's absolute path with every symlink resolved: what an upload
  // opens, refusing symlinks, so that a link swapped in after the scan is
  // not followed out of the tree.
  std::string source;
};

struct TreeScan {
  std::vector<LocalFile> files;  // sorted by rel
  std::vector<FileIssue> skipped;
  uint64_t bytes = 0;            // sum of files[].size
};

// Errc::not_found when `root` is missing, Errc::io when it is not a
// readable directory, Errc::unsafe_path when it resolves to a place outside
// `confine_to` (empty: `root` itself). Unreadable entries below it are
// skipped with a reason.
Result<TreeScan> scan_tree(const std::filesystem::path& root, const ExcludeFilter& filter,
                           uint64_t max_file_size, const Logger& log = {},
                           const std::filesystem::path& confine_to = {});

}  // namespace ws::sync
