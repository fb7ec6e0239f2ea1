// Fixtures for the workspace layer's peer tests: origin repositories built
// with the git CLI, a session Config pointing at a store, the agent's
// typical changes, and a snapshot of everything a round trip must keep.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/store.hpp"
#include "workspace/workspace.hpp"
#include "support.hpp"

namespace wsws {

namespace fs = std::filesystem;

const wstest::EnvChanges& git_env();

// The git CLI with a fixed identity and no user/system config; REQUIREs
// success and returns stdout.
std::string git_sh(const std::string& script, const fs::path& cwd = {});

// A bare repository <dir>/<name>.git with `main` (text, binary, executable,
// nested files, a .gitignore) and a branch `feature`; returns its file:// URL.
std::string make_origin(const fs::path& dir, const std::string& name);

// What the agent does in a repo: a new branch with two commits, a staged
// change, a staged+unstaged file, an unstaged binary change, a mode change,
// a staged deletion, an unstaged deletion, untracked files (one with an
// odd name), and an ignored file (which is not saved).
void agent_changes(const fs::path& repo);

// State, artifacts and uploads with odd names, plus files the sync excludes.
void agent_files(const fs::path& root, const std::string& tag);

// The Config of a session at `root` on `endpoint` (S3 or file://), with
// extra/overriding variables.
ws::config::Config session_config(const fs::path& root, const std::string& endpoint,
                            const std::string& bucket,
                            const std::map<std::string, std::string>& extra = {});

// Hydrate, or one full sync cycle (repos and trees), that must succeed.
ws::workspace::HydrateReport hydrate_ok(const ws::config::Config& cfg);
void sync_ok(const ws::config::Config& cfg);
// REPOS_JSON naming `urls`, in order.
std::string repos_json(const std::vector<std::string>& urls);

// A store client for the s3rver fixture at `endpoint` (its fixed
// credentials), on `bucket`; REQUIREs that it opens.
std::unique_ptr<ws::store::Store> open_s3rver_store(const std::string& endpoint, const std::string& bucket);

struct FileState {
  std::string sha;  // content hash
  unsigned mode = 0;
  bool operator==(const FileState&) const = default;
};

struct RepoSnapshot {
  std::string heads, head, ls_files, status;
  std::map<std::string, FileState> files;  // .git excluded
  bool operator==(const RepoSnapshot&) const = default;
};
RepoSnapshot snapshot_repo(const fs::path& repo);

// Every repo under repos/ and every file of the three trees (excluded
// patterns and SQLite side files left out) and workflows/.
struct WorkspaceSnapshot {
  std::map<std::string, RepoSnapshot> repos;
  std::map<std::string, FileState> files;
  bool operator==(const WorkspaceSnapshot&) const = default;
};
WorkspaceSnapshot snapshot_workspace(const fs::path& root, const std::string& state_dir = ".claude");

std::string describe_difference(const WorkspaceSnapshot& a, const WorkspaceSnapshot& b);

}  // namespace wsws
