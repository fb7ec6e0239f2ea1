#include "workspace/session_metadata.hpp"

#include <boost/json.hpp>

#include "common/utc_time.hpp"

namespace ws::workspace {

std::string to_json(const SessionMetadata& m) {
  boost::json::object o;
  o["lastSync"] = utc_timestamp(m.last_sync);
  o["session"] = m.session;
  o["namespace"] = m.namespace_;
  o["pathsSynced"] = m.paths_synced;
  if (!m.restored_with_losses.empty()) {
    boost::json::array repos;
    for (const auto& r : m.restored_with_losses) repos.emplace_back(r);
    o["restoredWithLosses"] = std::move(repos);
  }
  return boost::json::serialize(o) + "\n";
}

}  // namespace ws::workspace
