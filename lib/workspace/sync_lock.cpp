#include "workspace/sync_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ws::workspace {

namespace {

// The pid the holder wrote, or "unknown" (it may not have written it yet).
std::string holder_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown" : pid;
}

}  // namespace

Result<SyncLock> SyncLock::acquire(const std::filesystem::path& cache_dir) {
  const std::filesystem::path path = cache_dir / "sync.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0) return Error(Errc::io, "opening " + path.string() + ": " + std::strerror(errno));
  // Root (hydrate, a manual run) and the sidecar (1001:0) share this file.
  ::fchmod(fd, 0666);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    std::string message = err == EWOULDBLOCK
                              ? "another sync holds " + path.string() + " (pid " + holder_pid(fd) + ")"
                              : "locking " + path.string() + ": " + std::strerror(err);
    ::close(fd);
    return Error(err == EWOULDBLOCK ? Errc::conflict : Errc::io, std::move(message));
  }
  // The pid only makes a loser's message better: not writing it is harmless.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) {
    const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
    static_cast<void>(written);
  }
  return SyncLock(fd);
}

SyncLock::~SyncLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace ws::workspace
