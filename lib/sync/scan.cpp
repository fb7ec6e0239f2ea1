#include "sync/scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "store/atomic_file.hpp"

namespace ws::sync {
namespace {

struct DirCloser {
  void operator()(DIR* d) const { closedir(d); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

int64_t mtime_ns_of(const struct stat& st) {
  return int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// `path` with every symlink resolved; errno set when it cannot be.
std::optional<std::string> resolve(const std::string& path) {
  std::unique_ptr<char, decltype(&free)> real(realpath(path.c_str(), nullptr), &free);
  if (!real) return std::nullopt;
  return std::string(real.get());
}

// Both canonical.
bool is_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// Kernel views whose files describe the reading process (its environment,
// memory, open files) or are devices: never synced, whatever the root.
bool is_kernel_view(std::string_view path) {
  return is_within(path, "/proc") || is_within(path, "/sys") || is_within(path, "/dev");
}

class Walker {
 public:
  Walker(std::string root, std::string confine, const ExcludeFilter& filter, uint64_t max_size, const Logger& log)
      : root_(std::move(root)), confine_(std::move(confine)), filter_(filter), max_size_(max_size), log_(log) {}

  // `real` is the directory's path with symlinks resolved; everything below
  // it is read from there.
  void walk(const std::string& real, const std::string& rel, const struct stat& dir_st) {
    const std::pair<dev_t, ino_t> id{dir_st.st_dev, dir_st.st_ino};
    ancestors_.insert(id);
    DirHandle dir(opendir(real.c_str()));
    if (!dir) {
      skip(rel.empty() ? "." : rel, Errc::io, std::string("cannot read directory: ") + std::strerror(errno));
      ancestors_.erase(id);
      return;
    }
    const int dfd = dirfd(dir.get());
    struct Subdir {
      std::string name, real;
      struct stat st;
    };
    std::vector<Subdir> subdirs;
    while (struct dirent* e = readdir(dir.get())) {
      const std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      const std::string child_rel = rel.empty() ? name : rel + "/" + name;
      std::string child_real = real + "/" + name;
      struct stat st {};
      if (fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        skip(child_rel, Errc::io, std::string("cannot stat: ") + std::strerror(errno));
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        auto target = resolve(child_real);
        if (!target || fstatat(dfd, name.c_str(), &st, 0) != 0) {
          if (!filter_.excludes_file(child_rel)) {
            skip(child_rel, Errc::not_found, "broken symlink");
          }
          continue;
        }
        if (S_ISDIR(st.st_mode) ? filter_.excludes_dir(child_rel) : filter_.excludes_file(child_rel)) continue;
        if (!is_within(*target, confine_) || is_kernel_view(*target)) {
          skip(child_rel, Errc::unsafe_path,
               "symlink to " + *target + " leads out of " + confine_ + "; links are followed only inside it");
          continue;
        }
        child_real = std::move(*target);
      }
      if (S_ISDIR(st.st_mode)) {
        if (filter_.excludes_dir(child_rel)) continue;
        subdirs.push_back({name, std::move(child_real), st});
      } else if (S_ISREG(st.st_mode)) {
        if (filter_.excludes_file(child_rel) || store::is_atomic_temp_name(name)) continue;
        const auto size = static_cast<uint64_t>(st.st_size);
        if (size > max_size_) {
          skip(child_rel, Errc::unsupported,
               "larger than the sync limit (" + std::to_string(size) + " > " +
                   std::to_string(max_size_) + " bytes)");
          continue;
        }
        out_.files.push_back(
            {child_rel, size, mtime_ns_of(st), static_cast<uint64_t>(st.st_ino), std::move(child_real)});
        out_.bytes += size;
      }
    }
    dir.reset();
    for (const auto& sub : subdirs) {
      const std::string child_rel = rel.empty() ? sub.name : rel + "/" + sub.name;
      if (ancestors_.count({sub.st.st_dev, sub.st.st_ino}) != 0) {
        skip(child_rel, Errc::conflict, "symlink loop (points to a directory above it)");
        continue;
      }
      walk(sub.real, child_rel, sub.st);
    }
    ancestors_.erase(id);
  }

  TreeScan take() {
    std::sort(out_.files.begin(), out_.files.end(),
              [](const LocalFile& a, const LocalFile& b) { return a.rel < b.rel; });
    return std::move(out_);
  }

 private:
  // The one line per skipped file, for every caller: it names the local
  // path in full, since a caller may scan several trees.
  void skip(std::string rel, Errc code, std::string why) {
    const std::string shown = rel == "." ? root_ : root_ + "/" + rel;
    log_.warn("sync.skipped", "skipping " + shown + ": " + why);
    out_.skipped.push_back({std::move(rel), code, std::move(why)});
  }

  const std::string root_;
  const std::string confine_;  // canonical
  const ExcludeFilter& filter_;
  uint64_t max_size_;
  const Logger& log_;
  std::set<std::pair<dev_t, ino_t>> ancestors_;
  TreeScan out_;
};

}  // namespace

Result<TreeScan> scan_tree(const std::filesystem::path& root, const ExcludeFilter& filter,
                           uint64_t max_file_size, const Logger& log, const std::filesystem::path& confine_to) {
  struct stat st {};
  if (stat(root.c_str(), &st) != 0) {
    const int err = errno;
    return Error(err == ENOENT ? Errc::not_found : Errc::io,
                 "local directory " + root.string() + ": " + std::strerror(err));
  }
  if (!S_ISDIR(st.st_mode)) {
    return Error(Errc::io, "local path " + root.string() + " is not a directory");
  }
  if (access(root.c_str(), R_OK | X_OK) != 0) {
    return Error(Errc::io, "local directory " + root.string() + " is not readable");
  }
  const auto real_root = resolve(root.string());
  const auto confine = confine_to.empty() ? real_root : resolve(confine_to.string());
  if (!real_root || !confine) {
    const auto& failed = real_root ? confine_to : root;
    return Error(Errc::io, "local directory " + failed.string() + ": " + std::strerror(errno));
  }
  if (!is_within(*real_root, *confine) || is_kernel_view(*real_root)) {
    return Error(Errc::unsafe_path, "local directory " + root.string() + " leads to " + *real_root + ", outside " +
                                        *confine + "; not syncing it");
  }
  Walker w(root.string(), *confine, filter, max_file_size, log);
  w.walk(*real_root, "", st);
  return w.take();
}

}  // namespace ws::sync
