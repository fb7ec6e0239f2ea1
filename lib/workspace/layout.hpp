// The workspace's directory layout (behaviour §2): repos/, artifacts/,
// file-uploads/ and the runner's state directory (plus debug/ inside it
// when it is .claude). Modes are set on these directories only, never
// recursively: the scripts' `chmod -R 777` turns every tracked file
// executable and git then reports the whole tree as modified.
#pragma once

#include <filesystem>
#include <string>

#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::workspace {

struct LayoutOptions {
  std::filesystem::path root;      // the workspace root
  std::string state_dir = ".claude";  // relative to root, already validated
  // When running as root, chown the layout to 1001:0 (best-effort).
  bool chown_when_root = true;
};

// Creates the directories (existing ones are kept with their content) and
// sets their modes. Errc::io names the directory that could not be made.
Status create_layout(const LayoutOptions& opts, const Logger& log);

}  // namespace ws::workspace
