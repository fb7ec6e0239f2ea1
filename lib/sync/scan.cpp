#include "sync/scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
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

class Walker {
 public:
  Walker(std::string root, const ExcludeFilter& filter, uint64_t max_size, const Logger& log)
      : root_(std::move(root)), filter_(filter), max_size_(max_size), log_(log) {}

  void walk(const std::string& abs, const std::string& rel, const struct stat& dir_st) {
    const std::pair<dev_t, ino_t> id{dir_st.st_dev, dir_st.st_ino};
    ancestors_.insert(id);
    DirHandle dir(opendir(abs.c_str()));
    if (!dir) {
      skip(rel.empty() ? "." : rel, Errc::io, std::string("cannot read directory: ") + std::strerror(errno));
      ancestors_.erase(id);
      return;
    }
    const int dfd = dirfd(dir.get());
    std::vector<std::pair<std::string, struct stat>> subdirs;
    while (struct dirent* e = readdir(dir.get())) {
      const std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      const std::string child_rel = rel.empty() ? name : rel + "/" + name;
      struct stat st {};
      if (fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        skip(child_rel, Errc::io, std::string("cannot stat: ") + std::strerror(errno));
        continue;
      }
      if (S_ISLNK(st.st_mode)) {
        if (fstatat(dfd, name.c_str(), &st, 0) != 0) {
          if (!filter_.excludes_file(child_rel)) {
            skip(child_rel, Errc::not_found, "broken symlink");
          }
          continue;
        }
      }
      if (S_ISDIR(st.st_mode)) {
        if (filter_.excludes_dir(child_rel)) continue;
        subdirs.emplace_back(name, st);
      } else if (S_ISREG(st.st_mode)) {
        if (filter_.excludes_file(child_rel) || store::is_atomic_temp_name(name)) continue;
        const auto size = static_cast<uint64_t>(st.st_size);
        if (size > max_size_) {
          skip(child_rel, Errc::unsupported,
               "larger than the sync limit (" + std::to_string(size) + " > " +
                   std::to_string(max_size_) + " bytes)");
          continue;
        }
        out_.files.push_back({child_rel, size, mtime_ns_of(st), static_cast<uint64_t>(st.st_ino)});
        out_.bytes += size;
      }
    }
    dir.reset();
    for (const auto& [name, st] : subdirs) {
      const std::string child_rel = rel.empty() ? name : rel + "/" + name;
      if (ancestors_.count({st.st_dev, st.st_ino}) != 0) {
        skip(child_rel, Errc::conflict, "symlink loop (points to a directory above it)");
        continue;
      }
      walk(abs + "/" + name, child_rel, st);
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
  const ExcludeFilter& filter_;
  uint64_t max_size_;
  const Logger& log_;
  std::set<std::pair<dev_t, ino_t>> ancestors_;
  TreeScan out_;
};

}  // namespace

Result<TreeScan> scan_tree(const std::filesystem::path& root, const ExcludeFilter& filter,
                           uint64_t max_file_size, const Logger& log) {
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
  Walker w(root.string(), filter, max_file_size, log);
  w.walk(root.string(), "", st);
  return w.take();
}

}  // namespace ws::sync
