// The repositories a session clones (behaviour §1): parsed from REPOS_JSON or
// from the CP session's RepoURL + Repos, each with the directory name it
// gets under repos/. Parsing refuses garbage and anything that could write
// outside repos/ (empty, ".", ".." or colliding names), tolerates odd but
// plausible lists with a warning (behaviour §1 "Input policy"), and never
// echoes credentials found in a URL.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "config/input_warning.hpp"

namespace ws::config {

struct RepoSpec {
  std::string url;                    // as given; may carry userinfo (a secret)
  std::optional<std::string> branch;  // absent: the remote's default branch
  std::optional<bool> auto_push;      // "autoPush", kept as given
  std::string name;                   // directory under repos/, derived from url
};

// The directory name of a repo URL: its last path segment without a
// trailing ".git", for https://, ssh://, file://, scp-like git@host:org/r.git
// and plain paths; trailing slashes, query strings and fragments ignored.
// An empty, "." or ".." result is an invalid_input error naming the URL
// (redacted).
Result<std::string> repo_name_from_url(std::string_view url);

// A git remote: scheme://host/... (https, http, ssh, git, file), scp-like
// user@host:path, or an absolute local path; nothing with whitespace or a
// control character. `what` names the input ("REPOS_JSON[0].url").
Status check_git_url(std::string_view url, std::string_view what);

// A branch name git accepts (git check-ref-format --branch): no space,
// control character, '~^:?*[\', "..", "@{", "//"; not "@", not starting
// with '-' or '/', not ending with '/', '.' or ".lock".
Status check_branch_name(std::string_view branch, std::string_view what);

// Parses a JSON array of {"url", "branch"?, "autoPush"?}. `source` names the
// input in messages ("REPOS_JSON", "Repos"). Unknown fields are ignored.
// Tolerated, each with a warning added to `warnings` (when given): `null`
// (no repos), an item without a url or with an empty one (skipped, naming
// its index), an item repeating an earlier item's remote (cloned once).
// Blank text and [] are no repos, silently. Errors: invalid JSON (with byte
// offset), not an array, an item that is not an object, a field of the
// wrong type, an unusable name, two different remotes with the same name
// (naming both URLs).
Result<std::vector<RepoSpec>> parse_repos_json(std::string_view json,
                                               std::string_view source = "REPOS_JSON",
                                               InputWarnings* warnings = nullptr);

// The CP session's precedence: `repos_json` ("Repos") when it holds an
// array with items, else `repo_url` ("RepoURL") as [{"url": repo_url}],
// else no repos. Blank, `null` and [] count as empty, whichever face passes
// them. Warnings as parse_repos_json.
Result<std::vector<RepoSpec>> repos_from_session(std::string_view repo_url,
                                                 std::string_view repos_json,
                                                 InputWarnings* warnings = nullptr);

// Canonical compact JSON: [{"url":...,"branch":...,"autoPush":...}] with
// absent fields omitted, in input order; `with_names` adds "name".
std::string repos_to_json(const std::vector<RepoSpec>& repos, bool with_names = false);

}  // namespace ws::config
