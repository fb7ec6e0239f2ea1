// Writing a repository's every ref (branches, tags, remote-tracking refs,
// HEAD) and the objects they reach as a v2 git bundle: the header written
// here; the pack reuses the repository's packs where that is safe
// (pack_reuse.hpp) and is otherwise built by libgit2's packbuilder on all
// cores from a walk of every ref.
#pragma once

#include <git2.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "git/bundle_header.hpp"

namespace ws::git {

class BundleWriter {
 public:
  explicit BundleWriter(git_repository* repo) : repo_(repo) {}
  // `extra` are refs the bundle carries that the repository does not have
  // (the saved state's carrier commit, operation_state.hpp), after its own.
  BundleWriter(git_repository* repo, std::vector<BundleRef> extra) : repo_(repo), extra_(std::move(extra)) {}

  // The header the bundle would get; no refs for a repository without commits.
  Result<BundleHeader> header() const;

  // Writes the bundle to `path` (replacing it). A repository without refs
  // has no bundle: that is an invalid_input error, check header() first.
  Status write(const std::filesystem::path& path, const Logger& log) const;

 private:
  Status write_packed_history(const BundleHeader& header, FILE* file, const Logger& log) const;

  git_repository* repo_;  // borrowed
  std::vector<BundleRef> extra_;
};

}  // namespace ws::git
