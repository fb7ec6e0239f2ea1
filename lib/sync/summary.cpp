#include <string>

#include "config/excludes.hpp"
#include "sync/sync.hpp"

namespace ws::sync {

const std::vector<std::string>& default_excludes() {
  static const std::vector<std::string> list(config::kSyncExcludes.begin(), config::kSyncExcludes.end());
  return list;
}

Status SyncSummary::status() const {
  if (failed.empty()) return {};
  const FileIssue& first = failed.front();
  std::string msg = std::to_string(failed.size()) + (failed.size() == 1 ? " file" : " files") +
                    " not synced; first: " + first.path + ": " + first.message;
  return Error(first.code, std::move(msg));
}

}  // namespace ws::sync
