#include "workspace/session_metadata.hpp"

#include <ctime>

#include <boost/json.hpp>

namespace ws::workspace {

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string to_json(const SessionMetadata& m) {
  boost::json::object o;
  o["lastSync"] = iso8601_utc(m.last_sync);
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
