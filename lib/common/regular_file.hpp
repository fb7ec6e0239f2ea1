// Opening a file for reading when others can write to its tree (the
// workspace belongs to the runner): a FIFO put in a file's place must not
// block the reader forever, and a path the caller checked must not lead
// elsewhere once a component has been swapped for a symlink.
#pragma once

#include <sys/stat.h>

#include <filesystem>

#include "common/error.hpp"

namespace ws {

// An owned file descriptor, closed on destruction. Movable, not copyable.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  // Gives up ownership: the caller closes the descriptor.
  int release() noexcept;

 private:
  int fd_ = -1;
};

enum class Symlinks {
  follow,       // the path may pass through symlinks (a user-given path)
  refuse_last,  // the file itself must not be a symlink; its directories may
  refuse,       // no component may be a symlink (a path resolved by a scan)
};

struct RegularFile {
  UniqueFd fd;
  struct stat st {};
};

// Opens `path` read-only with O_NONBLOCK and checks with fstat that it is a
// regular file. Errc::not_found when it is gone, Errc::unsupported when it
// is something else (a FIFO, a device, a directory), Errc::unsafe_path when
// links are refused and a component of the path is a symlink, Errc::io
// otherwise; every message names the path.
Result<RegularFile> open_regular_file(const std::filesystem::path& path, Symlinks links = Symlinks::follow);

}  // namespace ws
