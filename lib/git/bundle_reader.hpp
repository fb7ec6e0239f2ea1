// Reading a git bundle (ours or the git CLI's, v2 or v3/sha1) into a
// repository's object database. Everything is checked before the objects
// become visible: header, prerequisites, the pack's checksum and that every
// ref's object arrived. A bad bundle leaves the repository as it was.
#pragma once

#include <git2.h>

#include <filesystem>

#include "common/error.hpp"
#include "common/log.hpp"
#include "git/bundle_header.hpp"

namespace ws::git {

class BundleReader {
 public:
  explicit BundleReader(std::filesystem::path path) : path_(std::move(path)) {}

  // Indexes the bundle's pack into `repo`'s objects/pack and returns its
  // header. Errors: not_found (no file), unsupported (version, capability,
  // sha256), git (missing prerequisites, corrupt or truncated pack, a ref
  // whose object is missing).
  Result<BundleHeader> unbundle(git_repository* repo, const Logger& log) const;

 private:
  std::filesystem::path path_;
};

}  // namespace ws::git
