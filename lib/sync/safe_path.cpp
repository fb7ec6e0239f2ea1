#include "sync/safe_path.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ws::sync {

Status make_parent_dirs(const std::filesystem::path& root, std::string_view rel, CheckedDirs* checked) {
  std::string path = root.string();
  const size_t last_slash = rel.rfind('/');
  if (last_slash == std::string_view::npos) return {};
  const std::string parent = path + '/' + std::string(rel.substr(0, last_slash));
  if (checked != nullptr && checked->contains(parent)) return {};
  size_t start = 0;
  for (size_t slash; (slash = rel.find('/', start)) != std::string_view::npos; start = slash + 1) {
    path += '/';
    path.append(rel.substr(start, slash - start));
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
      if (errno != ENOENT) {
        return Error(Errc::io, "cannot inspect " + path + ": " + std::strerror(errno));
      }
      if (mkdir(path.c_str(), 0777) != 0 && errno != EEXIST) {
        return Error(Errc::io, "cannot create directory " + path + ": " + std::strerror(errno));
      }
      if (lstat(path.c_str(), &st) != 0) {
        return Error(Errc::io, "cannot inspect " + path + ": " + std::strerror(errno));
      }
    }
    if (S_ISLNK(st.st_mode)) {
      return Error(Errc::unsafe_path, std::string(rel) + ": " + path +
                                          " is a symlink; refusing to write through it");
    }
    if (!S_ISDIR(st.st_mode)) {
      return Error(Errc::conflict, std::string(rel) + ": " + path + " is a file, not a directory");
    }
  }
  if (checked != nullptr) checked->add(parent);
  return {};
}

}  // namespace ws::sync
