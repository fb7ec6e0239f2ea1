// Where things live: the directories under the workspace root and the keys
// under a session's S3 prefix (behaviour §2). Every layer builds paths and keys
// from here, so the scripts' layout is written down exactly once.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace ws::config::layout {

// Directories under the workspace root.
inline constexpr std::string_view kReposDir = "repos";
inline constexpr std::string_view kArtifactsDir = "artifacts";
inline constexpr std::string_view kFileUploadsDir = "file-uploads";
inline constexpr std::string_view kWorkflowsDir = "workflows";
// Created inside the state directory when it is `.claude`.
inline constexpr std::string_view kClaudeStateDir = ".claude";
inline constexpr std::string_view kDebugDir = "debug";

// Owner and modes given to the layout directories (never their contents)
// when running as root.
inline constexpr uid_t kOwnerUid = 1001;
inline constexpr gid_t kOwnerGid = 0;
inline constexpr mode_t kReposMode = 0777;
inline constexpr mode_t kFileUploadsMode = 0777;
inline constexpr mode_t kArtifactsMode = 0755;

// Keys under the session prefix.
inline constexpr std::string_view kSessionMetadataKey = "metadata.json";
inline constexpr std::string_view kRepoStateDir = "repo-state";
inline constexpr std::string_view kRepoBundle = "repo.bundle";
inline constexpr std::string_view kUncommittedPatch = "uncommitted.patch";
inline constexpr std::string_view kStagedPatch = "staged.patch";
inline constexpr std::string_view kRepoMetadata = "metadata.json";

// "<namespace>/<session>/" — both already sanitised (see sanitize.hpp).
std::string session_prefix(std::string_view namespace_name, std::string_view session);

// The three trees mirrored to S3, in the order they are synced:
// {<runner_state_dir>, "artifacts", "file-uploads"}. Each is both the
// directory under the workspace root and the key prefix under the session
// prefix.
std::array<std::string, 3> synced_trees(std::string_view runner_state_dir);

// "<session_prefix>repo-state/<repo>/"
std::string repo_state_prefix(std::string_view session_prefix, std::string_view repo);

}  // namespace ws::config::layout
