// Replaying a saved patch onto a repository, file by file: a change that
// cannot apply is reported by path and every other change still applies
// (`git apply` would reject the whole patch).
#pragma once

#include <git2.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::git {

enum class ApplyTarget { worktree, index };

struct ApplyReport {
  size_t applied = 0;                  // files changed
  std::vector<std::string> rejected;   // paths whose change did not apply
};

class PatchApplier {
 public:
  explicit PatchApplier(git_repository* repo) : repo_(repo) {}

  // Applies the patch in `path` (absent or empty: nothing to do) to the work
  // tree or the index. Errors only when the patch cannot be read or parsed;
  // changes that do not apply are listed in the report.
  Result<ApplyReport> apply(const std::filesystem::path& path, ApplyTarget target,
                            const Logger& log) const;

 private:
  git_repository* repo_;  // borrowed
};

}  // namespace ws::git
