// The session's metadata.json (behaviour §2), written after every sync cycle:
// {"lastSync": ISO-8601 UTC, "session", "namespace", "pathsSynced": N}.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace ws::workspace {

struct SessionMetadata {
  std::chrono::system_clock::time_point last_sync;
  std::string session;
  std::string namespace_;
  int paths_synced = 0;
  std::vector<std::string> restored_with_losses;  // repos hydrate found damaged ("restoredWithLosses", when any)
};

std::string to_json(const SessionMetadata& m);

}  // namespace ws::workspace
