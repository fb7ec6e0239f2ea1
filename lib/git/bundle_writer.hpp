// Writing a repository's every ref (branches, tags, remote-tracking refs,
// HEAD) and the objects they reach as a v2 git bundle: the header written
// here, the pack by libgit2's packbuilder on all cores.
#pragma once

#include <git2.h>

#include <filesystem>

#include "common/error.hpp"
#include "common/log.hpp"
#include "git/bundle_header.hpp"

namespace ws::git {

class BundleWriter {
 public:
  explicit BundleWriter(git_repository* repo) : repo_(repo) {}

  // The header the bundle would get; no refs for a repository without commits.
  Result<BundleHeader> header() const;

  // Writes the bundle to `path` (replacing it). A repository without refs
  // has no bundle: that is an invalid_input error, check header() first.
  Status write(const std::filesystem::path& path, const Logger& log) const;

 private:
  git_repository* repo_;  // borrowed
};

}  // namespace ws::git
