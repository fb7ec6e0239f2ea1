// repo-state/<repo>/metadata.json (behaviour §2): where the repo came from and
// what was checked out, in the scripts' field names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace ws::git {

struct RepoMetadata {
  std::string remote_url;                 // "remoteUrl", userinfo stripped
  std::string current_branch;             // "currentBranch", "HEAD" when detached
  std::string head_sha;                   // "headSha", "" without commits
  std::vector<std::string> local_branches;  // "localBranches", short names
  std::string backed_up_at;               // "backedUpAt", ISO-8601 UTC
};

// Serialises; the remote URL is redacted again here, whatever the caller passed.
std::string to_json(const RepoMetadata& m);

// Parses the file the library or the scripts wrote; missing optional fields
// are empty. invalid_input when it is not a JSON object.
Result<RepoMetadata> parse_repo_metadata(std::string_view json);

}  // namespace ws::git
