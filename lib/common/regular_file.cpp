#include "common/regular_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ws {
namespace {

const char* file_type_name(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symlink";
  return "another kind of file";
}

Error open_error(const std::filesystem::path& path, int err) {
  return Error(err == ENOENT ? Errc::not_found : Errc::io, "cannot read " + path.string() + ": " + std::strerror(err));
}

// Why `name` in `dir_fd` could not be opened without following links: a
// symlink there is the caller's unsafe path, anything else an ordinary error.
Error refused_or(int dir_fd, const std::string& name, const std::filesystem::path& path, int err) {
  struct stat st {};
  if (fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
    return Error(Errc::unsafe_path, "refusing to read " + path.string() + ": " + name +
                                        " is a symlink (changed since the tree was scanned?)");
  }
  return open_error(path, err);
}

// Each directory from the start of `path` is opened with O_NOFOLLOW, so a
// component swapped for a symlink is refused rather than followed; the
// file itself is opened relative to the last of them.
Result<UniqueFd> open_without_links(const std::filesystem::path& path, int flags) {
  UniqueFd dir(::open(path.is_absolute() ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return open_error(path, errno);
  const auto rel = path.relative_path();
  auto it = rel.begin();
  std::string name;
  while (it != rel.end()) {
    name = it->string();
    if (++it == rel.end()) break;
    if (name.empty()) continue;
    UniqueFd next(::openat(dir.get(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (next.get() < 0) return refused_or(dir.get(), name, path, errno);
    dir = std::move(next);
  }
  UniqueFd fd(::openat(dir.get(), name.c_str(), flags | O_NOFOLLOW));
  if (fd.get() < 0) return refused_or(dir.get(), name, path, errno);
  return fd;
}

}  // namespace

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

int UniqueFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Result<RegularFile> open_regular_file(const std::filesystem::path& path, Symlinks links) {
  const int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
  RegularFile out;
  if (links == Symlinks::refuse) {
    auto fd = open_without_links(path, flags);
    if (!fd) return std::move(fd).error();
    out.fd = std::move(*fd);
  } else {
    const bool last = links == Symlinks::refuse_last;
    out.fd = UniqueFd(::open(path.c_str(), last ? flags | O_NOFOLLOW : flags));
    if (out.fd.get() < 0 && last && errno == ELOOP) {
      return Error(Errc::unsafe_path, "refusing to read " + path.string() + ": it is a symlink");
    }
    if (out.fd.get() < 0) return open_error(path, errno);
  }
  if (fstat(out.fd.get(), &out.st) != 0) return open_error(path, errno);
  if (!S_ISREG(out.st.st_mode)) {
    return Error(Errc::unsupported, "not reading " + path.string() + ": it is " + file_type_name(out.st.st_mode) +
                                        ", not a regular file");
  }
  return out;
}

}  // namespace ws
