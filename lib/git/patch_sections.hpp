// A saved patch cut at its "diff --git" lines into one section per file, so
// that a section no parser accepts costs only its own file: the restore
// parses each section alone when the whole patch does not parse.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ws::git {

struct PatchSection {
  std::string path;  // the file the section changes (its new name), for reports
  std::string_view text;  // the section, "diff --git" line included; views the patch
};

// Text before the first "diff --git" line (a mail header, a comment) belongs
// to no file and is left out.
std::vector<PatchSection> split_patch(std::string_view patch);

}  // namespace ws::git
