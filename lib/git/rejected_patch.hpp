// Saved changes that did not apply are kept, never lost. Without this the
// sidecar's next backup rewrites uncommitted.patch from the work tree and a
// change that did not apply at restore is gone from everywhere. The whole
// saved patch is kept, as stored, behind a header naming what did not apply
// (git apply skips text before the first "diff --git").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace ws::git {

// Which of the two saved patches a kept copy comes from.
enum class SavedPatch { worktree, staged };

// Writes `<dir>/rejected-<YYYYMMDDTHHMMSSZ>[.staged].patch` (with "-2",
// "-3", ... when that name is taken: never overwrites) holding `saved`
// behind a header listing `rejected`. Returns the file written.
Result<std::filesystem::path> keep_rejected_patch(const std::filesystem::path& dir,
                                                  const std::filesystem::path& saved, SavedPatch which,
                                                  const std::vector<std::string>& rejected);

}  // namespace ws::git
