// What HEAD is, in the terms of metadata.json.
#pragma once

#include <git2.h>

#include <string>

#include "common/error.hpp"

namespace ws::git {

struct RepoHead {
  // As `git rev-parse --abbrev-ref HEAD` prints it: the branch's short name,
  // "HEAD" when detached; for a branch without commits, its short name.
  std::string abbrev;
  std::string sha;        // "" without commits
  bool detached = false;
};

Result<RepoHead> read_repo_head(git_repository* repo);

}  // namespace ws::git
