// One sync cycle at a time per workspace. Two cycles at once (the sidecar
// and a `sync --once`, or two of those) would back up the same repos into
// the same cache and upload the same sets, so a cycle takes an exclusive
// flock on <cache>/sync.lock first and the second one stops with a message
// naming the holder. The kernel drops the lock when its holder exits, even
// when killed, so a stale file never blocks anybody.
#pragma once

#include <filesystem>

#include "common/error.hpp"

namespace ws::workspace {

class SyncLock {
 public:
  // Errors: conflict "another sync holds <lockfile> (pid N)" when another
  // cycle holds it (never waits); io when the file cannot be opened.
  static Result<SyncLock> acquire(const std::filesystem::path& cache_dir);

  SyncLock(SyncLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  SyncLock& operator=(SyncLock&&) = delete;
  ~SyncLock();  // releases

 private:
  explicit SyncLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ws::workspace
