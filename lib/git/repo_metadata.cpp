#include "git/repo_metadata.hpp"

#include <boost/json.hpp>

#include "common/redact.hpp"

namespace ws::git {

namespace json = boost::json;

std::string to_json(const RepoMetadata& m) {
  json::array branches;
  for (const auto& b : m.local_branches) branches.emplace_back(b);
  json::object o;
  o["remoteUrl"] = redact_url(m.remote_url);
  o["currentBranch"] = m.current_branch;
  o["headSha"] = m.head_sha;
  o["localBranches"] = std::move(branches);
  o["backedUpAt"] = m.backed_up_at;
  return json::serialize(o) + "\n";
}

namespace {

std::string string_field(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || !v->is_string()) return {};
  return std::string(v->as_string());
}

}  // namespace

Result<RepoMetadata> parse_repo_metadata(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return Error(Errc::invalid_input, "repo metadata is not a JSON object");
  }
  const auto& o = v.as_object();
  RepoMetadata m;
  m.remote_url = string_field(o, "remoteUrl");
  m.current_branch = string_field(o, "currentBranch");
  m.head_sha = string_field(o, "headSha");
  m.backed_up_at = string_field(o, "backedUpAt");
  if (const auto* b = o.if_contains("localBranches"); b != nullptr && b->is_array()) {
    for (const auto& e : b->as_array()) {
      if (e.is_string()) m.local_branches.emplace_back(e.as_string());
    }
  }
  return m;
}

}  // namespace ws::git
