// Backing up one repository into the four repo-state files of behaviour §2
// (repo.bundle, uncommitted.patch, staged.patch, metadata.json), skipping the
// work when nothing changed since the last backup.
#pragma once

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::git {

struct BackupOptions {
  std::filesystem::path repo;     // the repository's work tree
  std::filesystem::path outdir;   // created if missing; receives the four files
  // Where the fingerprint of the last backup is kept; empty means
  // "<outdir>.fingerprint" (a sibling, so it is never uploaded with outdir).
  std::filesystem::path state_file;
  bool force = false;             // rebuild even when unchanged
  // The directory holding the workspace's repos: a repo directly in it is
  // backed up even when another user owns it (open_repo.hpp). Empty: git's
  // owner check applies as it is.
  std::filesystem::path trusted_parent = {};
};

struct BackupResult {
  // Refs, index and work tree are as at the last backup and its files are
  // still in outdir: nothing was rewritten, the caller may skip the upload.
  bool unchanged = false;
  bool has_bundle = false;        // false for a repository without commits
  std::string current_branch;     // as `git rev-parse --abbrev-ref HEAD`
  std::string head_sha;           // "" without commits
};

// Errors: not_found (no repository at `repo`), io (outdir), git.
// Files are written under temporary names and renamed into place, so a
// reader of outdir sees either the previous or the new version of each.
Result<BackupResult> backup_repo(const BackupOptions& options, const Logger& log);

}  // namespace ws::git
