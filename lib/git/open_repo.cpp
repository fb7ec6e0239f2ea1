#include "git/open_repo.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <system_error>

namespace ws::git {
namespace fs = std::filesystem;

namespace {

int open_no_search(git_repository** out, const fs::path& path) {
  return git_repository_open_ext(out, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr);
}

bool directly_under(const fs::path& path, const fs::path& parent) {
  std::error_code ec;
  if (parent.empty() || fs::is_symlink(path, ec)) return false;
  const fs::path p = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const fs::path dir = fs::weakly_canonical(parent, ec);
  return !ec && p.parent_path() == dir;
}

// libgit2 keeps its owner check in one process-wide flag, set through
// git_libgit2_opts without a lock and read by every open. Turning it off
// for good would drop the check for every repository the embedding program
// opens; adding the workspace to safe.directory in a git config would widen
// git's own check for the runner too. So it is off only around one open of
// a repository under the workspace's repos/, under this mutex so that two
// such opens never interleave their save and restore. A repository opened
// by another thread of the process in that instant would skip the check
// too; within this library the repo backup opens its repos one at a time.
std::mutex owner_check_mutex;

int open_without_owner_check(git_repository** out, const fs::path& path) {
  std::lock_guard lock(owner_check_mutex);
  int saved = 1;
  git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &saved);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
  const int rc = open_no_search(out, path);
  git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, saved);
  return rc;
}

// libgit2 1.5.0 reports a refused owner as the failed lookup of
// safe.directory (GIT_ENOTFOUND) rather than GIT_EOWNER, so the owner is
// checked here.
bool owned_by_another_user(const fs::path& path) {
  struct stat work {}, dot_git {};
  if (::lstat(path.c_str(), &work) != 0) return false;
  if (work.st_uid != ::geteuid()) return true;
  return ::lstat((path / ".git").c_str(), &dot_git) == 0 && dot_git.st_uid != ::geteuid();
}

}  // namespace

Result<RepositoryPtr> open_work_tree(const fs::path& path, const fs::path& trusted_parent) {
  git_repository* raw = nullptr;
  int rc = open_no_search(&raw, path);
  const bool refused_owner = rc < 0 && owned_by_another_user(path);
  if (refused_owner && directly_under(path, trusted_parent)) rc = open_without_owner_check(&raw, path);
  if (rc < 0 && refused_owner) {
    // libgit2 1.5 leaves a config lookup's message behind, not the reason.
    return Error(Errc::not_found, "refusing the git repository at " + path.string() +
                                      ": it is owned by another user (git's safe.directory check)");
  }
  if (rc < 0) return git_failure("no git repository at " + path.string(), Errc::not_found);
  return RepositoryPtr(raw);
}

}  // namespace ws::git
