// rclone filter patterns (an operator's --exclude) and the paths they judge
// (local files and, on the way down, keys from the store). The input is
// patterns, one a line, then a blank line, then paths, one a line. Any
// pattern compiles or is refused with an error; a compiled filter judges any
// path, and a file below an excluded directory is excluded too.
#include "fuzz_check.hpp"
#include "sync/filter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ws::sync::ExcludeFilter;
  std::vector<std::string> patterns;
  std::vector<std::string_view> paths;
  bool in_paths = false;
  for (const auto line : ws::fuzz::lines_of(ws::fuzz::text_of(data, size))) {
    if (!in_paths && line.empty()) in_paths = true;
    else if (in_paths) paths.push_back(line);
    else patterns.emplace_back(line);
  }
  for (const auto& p : patterns) {
    for (const auto path : paths) (void)ws::sync::glob_match(p, path);
  }
  auto filter = ExcludeFilter::compile(patterns);
  if (!filter) return 0;
  for (const auto path : paths) {
    const bool excluded = filter->excludes_path(path);
    FUZZ_CHECK(!filter->excludes_file(path) || excluded);
    for (size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
      if (filter->excludes_dir(path.substr(0, slash))) FUZZ_CHECK(excluded);
    }
  }
  return 0;
}
