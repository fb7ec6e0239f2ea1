// Key prefixes of a synced tree: "ns/session/artifacts" and
// "ns/session/artifacts/" name the same tree; "" is the whole bucket.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::sync {

// Adds the trailing '/' when missing; Errc::unsafe_path for a prefix with a
// leading '/', empty, "." or ".." segments, or a NUL.
Result<std::string> normalize_prefix(std::string_view prefix);

}  // namespace ws::sync
