// Turning user-controlled names and paths into safe S3 key segments and
// workspace-relative paths.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::config {

// Keeps only [A-Za-z0-9-] (as the scripts' `tr -cd '[:alnum:]-'`, ASCII only).
std::string sanitize_name(std::string_view name);

// A relative path that stays inside its base: '/'-separated, no empty,
// "." or ".." segments after normalising ("./a//b/" -> "a/b"). `what` names
// the input in errors ("RUNNER_STATE_DIR '/etc' must be relative ...").
// With allow_empty, "" (and ".") normalise to "" meaning the base itself.
Result<std::string> normalize_relative_path(std::string_view path, std::string_view what,
                                            bool allow_empty = false);

// An http:// or https:// URL without userinfo (credentials belong in their
// own variables, where they are known to be secret). Errors name `what`
// and show the URL redacted.
Status require_http_url(std::string_view url, std::string_view what);

// An object store endpoint: an http(s) URL as require_http_url, or
// file:///abs/dir, the store layer's local-directory store (the demo,
// tests, single-node setups). A file:// URL must name an absolute path
// with no host or userinfo. Errors name `what`.
Status require_store_endpoint(std::string_view url, std::string_view what);

}  // namespace ws::config
