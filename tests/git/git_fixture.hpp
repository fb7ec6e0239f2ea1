// Fixtures for the git layer's peer tests: repositories built with the git
// CLI (the oracle) and a snapshot of everything a round trip must keep.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "support.hpp"

namespace wsgit {

namespace fs = std::filesystem;

// The environment of every git CLI call here: a fixed identity, no
// user/system config, no prompt.
const wstest::EnvChanges& git_env();

// The git CLI with a fixed identity and no user/system config; fails the
// test (REQUIRE) when the script fails. Returns stdout.
std::string git_sh(const std::string& script, const fs::path& cwd = {});

// A bare repository at <dir>/origin.git with `main` (two commits: a text
// file, a binary file, an executable script, a nested dir) and a branch
// `feature`; returns its file:// URL.
std::string make_origin(const fs::path& dir);

struct FileState {
  std::string bytes;
  unsigned mode = 0;  // st_mode & 0777 plus the type bits
  bool operator==(const FileState&) const = default;
};

// What a restore must give back (behaviour §3 "better than the scripts").
struct RepoSnapshot {
  std::string heads;        // `git for-each-ref refs/heads`
  std::string head;         // symbolic ref or "detached <sha>"
  std::string ls_files;     // `git ls-files -s`
  std::string status;       // `git status --porcelain=v1 -uall`
  std::map<std::string, FileState> files;  // every work-tree file, .git and submodules excluded
  bool operator==(const RepoSnapshot&) const = default;
};

RepoSnapshot snapshot(const fs::path& repo);

// A readable list of the differences, for CHECK messages.
std::string describe_difference(const RepoSnapshot& a, const RepoSnapshot& b);

}  // namespace wsgit
