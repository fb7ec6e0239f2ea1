// rclone's filter flags turned into one ordered rule list, the way rclone
// itself orders them (fs/filter: includes, include files, excludes, exclude
// files, filter rules, filter files, then "- **" when any include was given,
// so that only what was included is synced). Every flag may repeat.
#pragma once

#include <string>
#include <vector>

#include "common/error.hpp"

namespace ws::sync {

struct FilterFlags {
  std::vector<std::string> include;       // --include GLOB
  std::vector<std::string> include_from;  // --include-from FILE: one glob per line
  std::vector<std::string> exclude;       // --exclude GLOB
  std::vector<std::string> exclude_from;  // --exclude-from FILE
  std::vector<std::string> filter;        // --filter "+ GLOB" / "- GLOB" / "!"
  std::vector<std::string> filter_from;   // --filter-from FILE: one rule per line
};

// Rules for MirrorOptions/CopyOptions::filter_rules. A file that cannot be
// read, or a malformed rule, is Errc::invalid_input naming the flag. Lines
// of the files are trimmed; empty ones and comments ('#' or ';') are skipped.
Result<std::vector<std::string>> rclone_filter_rules(const FilterFlags& flags);

}  // namespace ws::sync
