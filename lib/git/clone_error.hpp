// Sorting a failed clone or fetch into what a platform engineer can act on:
// authentication, not found, network, or anything else.
#pragma once

#include <string_view>

#include "common/error.hpp"

namespace ws::git {

// `code` is libgit2's return value, `klass` git_error_last()->klass,
// `message` its text.
Errc classify_remote_error(int code, int klass, std::string_view message);

// A sentence naming the class ("authentication failed", "repository not
// found", "network error") for the front of an error message.
const char* remote_error_summary(Errc code);

}  // namespace ws::git
