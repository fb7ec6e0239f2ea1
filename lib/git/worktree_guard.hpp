// Where a restored change may land. The saved state (bundle and patches) may
// have been written by an attacker, and hydrate runs as root, so every path a
// patch names is checked before anything touches it, and what the library
// writes itself is written by walking from the work tree's directory fd with
// O_NOFOLLOW: nothing lands outside the work tree, whatever the state says.
//
// The checks (README "Restoring hostile state"), for a path as a patch names it:
//   - relative, non-empty, no empty, "." or ".." component, no NUL;
//   - no component that git itself protects (".git" in any case, with
//     trailing dots or spaces, or its 8.3 name "git~1");
//   - no directory on the way (any parent component) is a symbolic link in
//     the work tree, or becomes one through the same patch;
//   - the file itself is a symbolic link only when the change says so.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::git {

// Why `path` may not appear in a patch at all, or nullopt when it may.
std::optional<std::string> unsafe_patch_path(std::string_view path);

// A work tree opened once; all checks and writes start from its fd.
// Not thread-safe; movable, owns its fd.
class WorkTreeGuard {
 public:
  static Result<WorkTreeGuard> open(const std::string& root);
  WorkTreeGuard(WorkTreeGuard&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  WorkTreeGuard& operator=(WorkTreeGuard&&) = delete;
  ~WorkTreeGuard();

  // The first parent of `path` that is a symbolic link now, or that
  // `future_links` (paths the patch makes links) names; nullopt when every
  // parent is a real directory, absent, or a file (below which nothing is).
  std::optional<std::string> linked_parent(std::string_view path,
                                           const std::set<std::string, std::less<>>& future_links = {}) const;
  // The path itself is a symbolic link in the work tree.
  bool is_link(std::string_view path) const;

  // Removes the file or link at `path` (never what a link points to);
  // absent is fine.
  Status remove(std::string_view path) const;
  // Replaces `path` with a regular file of `content` and `mode` (0644/0755),
  // creating missing parent directories.
  Status write_file(std::string_view path, std::string_view content, unsigned mode) const;
  // Replaces `path` with a symbolic link to `target` (stored as it is: a
  // link is never followed by the library).
  Status write_link(std::string_view path, std::string_view target) const;

 private:
  explicit WorkTreeGuard(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace ws::git
