// What the sync never uploads (behaviour §5), as rclone filter patterns: each
// applies at any depth of a synced tree ("node_modules/**" excludes every
// node_modules directory, "*.pyc" every such file). The sync layer owns the
// matching; this is only the list, shared with docs and the CLI.
#pragma once

#include <array>
#include <string_view>

namespace ws::config {

inline constexpr std::array<std::string_view, 11> kSyncExcludes = {
    "repos/**",  "node_modules/**", ".venv/**", "__pycache__/**", ".cache/**", "*.pyc",
    "target/**", "dist/**",         "build/**", ".git/**",        "debug/**",
};

}  // namespace ws::config
