// The randomized differential test's oracle: everything the git CLI says
// about a repository, and its work tree's bytes and modes. Two repositories
// in the same state give equal views.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "git_fixture.hpp"

namespace wsgit {

struct GitView {
  // "refs" (for-each-ref, tags peeled), "HEAD", "status" (porcelain v2 -z),
  // "staged" (diff --cached --binary), "unstaged" (diff --binary), "index"
  // (ls-files -s), "stash" (every entry) -> the command's output.
  std::map<std::string, std::string> answers;
  std::map<std::string, FileState> files;  // work tree minus .git and ignored files
};

GitView observe(const fs::path& repo);

// A readable list of what differs, "" when nothing does.
std::string view_difference(const GitView& expected, const GitView& actual);

}  // namespace wsgit
