// Exclude rules with rclone's filter semantics (rclone.org/filtering):
//  - a pattern starting with '/' is anchored at the tree root; any other
//    pattern matches at any depth, starting at a path-segment boundary
//    ("*.pyc" matches "a/b/x.pyc", "build/**" matches "src/build/o.o");
//  - '*' matches within one segment, '**' across segments, '?' one
//    character other than '/', "[a-z]" a class, "{a,b}" alternatives,
//    '\' escapes the next character;
//  - "dir/**" excludes everything below every "dir" directory, so the
//    scanner never descends into it; a pattern ending in '/' matches
//    directories only, and excludes what is below them ("dir/" = "dir/**");
//  - beyond plain excludes, rclone's "+ glob" / "- glob" rules include or
//    exclude; the first rule that matches a path decides, and a path no
//    rule matches is included. A directory is pruned only when no include
//    rule comes before the exclude rule that matches it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace ws::sync {

class ExcludeFilter {
 public:
  ExcludeFilter() = default;  // excludes nothing

  // Errc::invalid_input names a malformed pattern (unclosed '[' or '{').
  // `excludes` are plain patterns, checked first; `rules` follow, each
  // "+ glob" or "- glob" (see rclone_filter_rules).
  static Result<ExcludeFilter> compile(const std::vector<std::string>& excludes,
                                       const std::vector<std::string>& rules = {});

  // `rel` is relative to the tree root, '/'-separated, without a leading '/'.
  bool excludes_file(std::string_view rel) const;
  // True when nothing below the directory `rel` can be included.
  bool excludes_dir(std::string_view rel) const;
  // A file, judged as the scanner would reach it: excluded itself or below
  // an excluded directory (used for remote keys).
  bool excludes_path(std::string_view rel) const;

  bool empty() const { return rules_.empty(); }

 private:
  struct Literals {
    size_t head = 0;  // plain characters the glob starts with
    size_t tail = 0;  // and ends with
  };
  struct Rule {
    std::string glob;      // without the leading '/' or trailing '/'
    Literals whole;        // of glob
    Literals base;         // of glob minus "/**" (dir_subtree)
    bool include = false;   // "+ glob": the first match includes
    bool anchored = false;
    bool dir_only = false;  // written with a trailing '/'
    bool dir_subtree = false;  // ends in "/**": prunes the directory `glob` minus "/**"
  };
  static Status add_pattern(std::vector<Rule>& rules, const std::string& raw, bool include);
  bool matches_file(const Rule& r, std::string_view rel) const;
  static bool match_rule(const Rule& r, std::string_view glob, const Literals& lit, std::string_view rel);
  std::vector<Rule> rules_;
};

// Does `text` match the whole of `glob` ('*' stays within segments)?
bool glob_match(std::string_view glob, std::string_view text);

}  // namespace ws::sync
