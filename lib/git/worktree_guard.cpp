#include "git/worktree_guard.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace ws::git {

namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    const size_t slash = path.find('/', pos);
    out.push_back(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
    if (slash == std::string_view::npos) return out;
    pos = slash + 1;
  }
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equals_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// ".git", ".GIT", ".git. ", "git~1": every spelling a filesystem may fold
// into the repository's own directory.
bool names_git_dir(std::string_view c) {
  while (!c.empty() && (c.back() == '.' || c.back() == ' ')) c.remove_suffix(1);
  return equals_folded(c, ".git") || equals_folded(c, "git~1");
}

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(Fd&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      if (fd >= 0) ::close(fd);
      fd = std::exchange(o.fd, -1);
    }
    return *this;
  }
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Error errno_error(std::string_view what, std::string_view path, int err) {
  if (err == ELOOP || err == ENOTDIR) {
    return Error(Errc::unsafe_path, std::string(what) + " " + std::string(path) +
                                        ": a directory on the way is a symbolic link or not a directory");
  }
  return Error(err == ENOENT ? Errc::not_found : Errc::io,
               std::string(what) + " " + std::string(path) + ": " + std::strerror(err));
}

// The parent directory of `path` opened by walking from `root` without
// following any link, created on the way when `create`; plus the last name.
Result<std::pair<Fd, std::string>> open_parent(int root, std::string_view path, bool create) {
  if (auto why = unsafe_patch_path(path)) return Error(Errc::unsafe_path, *why);
  const auto parts = components(path);
  Fd dir(::fcntl(root, F_DUPFD_CLOEXEC, 0));
  if (dir.fd < 0) return errno_error("opening the work tree for", path, errno);
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string name(parts[i]);
    int next = ::openat(dir.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0 && errno == ENOENT && create) {
      if (::mkdirat(dir.fd, name.c_str(), 0755) != 0 && errno != EEXIST) {
        return errno_error("creating the directories of", path, errno);
      }
      next = ::openat(dir.fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (next < 0) return errno_error("opening the directories of", path, errno);
    dir = Fd(next);
  }
  return std::pair{std::move(dir), std::string(parts.back())};
}

Status unlink_leaf(int dir, const std::string& name, std::string_view path) {
  if (::unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT) return errno_error("removing", path, errno);
  return {};
}

}  // namespace

std::optional<std::string> unsafe_patch_path(std::string_view path) {
  const std::string shown = "'" + std::string(path) + "'";
  if (path.empty()) return "an empty path";
  if (path.find('\0') != std::string_view::npos) return "a path with a NUL byte";
  if (path.front() == '/') return shown + " is absolute";
  for (auto c : components(path)) {
    if (c.empty() || c == "." || c == "..") return shown + " has an empty, '.' or '..' component";
    if (names_git_dir(c)) return shown + " reaches into the repository's .git directory";
  }
  return std::nullopt;
}

Result<WorkTreeGuard> WorkTreeGuard::open(const std::string& root) {
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error(Errc::io, "opening the work tree " + root + ": " + std::strerror(errno));
  return WorkTreeGuard(fd);
}

WorkTreeGuard::~WorkTreeGuard() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> WorkTreeGuard::linked_parent(
    std::string_view path, const std::set<std::string, std::less<>>& future_links) const {
  for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    if (future_links.contains(path.substr(0, slash))) return std::string(path.substr(0, slash));
  }
  // Prefixes from the top: a deeper one is looked up only through real
  // directories, so no lookup here follows a link either.
  for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    const std::string_view prefix = path.substr(0, slash);
    struct stat st;
    if (::fstatat(fd_, std::string(prefix).c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return std::nullopt;
    if (S_ISLNK(st.st_mode)) return std::string(prefix);
    if (!S_ISDIR(st.st_mode)) return std::nullopt;  // a file the patch may replace by a directory
  }
  return std::nullopt;
}

bool WorkTreeGuard::is_link(std::string_view path) const {
  struct stat st;
  return ::fstatat(fd_, std::string(path).c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

Status WorkTreeGuard::remove(std::string_view path) const {
  auto parent = open_parent(fd_, path, false);
  if (!parent) {
    if (parent.error().code == Errc::not_found) return {};  // nothing on the way, nothing to remove
    return std::move(parent).error();
  }
  return unlink_leaf(parent->first.fd, parent->second, path);
}

Status WorkTreeGuard::write_file(std::string_view path, std::string_view content, unsigned mode) const {
  auto parent = open_parent(fd_, path, true);
  if (!parent) return std::move(parent).error();
  const auto& [dir, name] = *parent;
  WS_TRY(unlink_leaf(dir.fd, name, path));
  Fd file(::openat(dir.fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (file.fd < 0) return errno_error("creating", path, errno);
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(file.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_error("writing", path, errno);
    done += static_cast<size_t>(n);
  }
  if (::fchmod(file.fd, mode) != 0) return errno_error("setting the mode of", path, errno);
  return {};
}

Status WorkTreeGuard::write_link(std::string_view path, std::string_view target) const {
  auto parent = open_parent(fd_, path, true);
  if (!parent) return std::move(parent).error();
  const auto& [dir, name] = *parent;
  WS_TRY(unlink_leaf(dir.fd, name, path));
  if (::symlinkat(std::string(target).c_str(), dir.fd, name.c_str()) != 0) {
    return errno_error("creating the link", path, errno);
  }
  return {};
}

}  // namespace ws::git
