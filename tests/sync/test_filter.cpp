#include <doctest/doctest.h>

#include "sync/filter.hpp"
#include "sync/filter_flags.hpp"
#include "support.hpp"
#include "sync/sync.hpp"

using ws::sync::ExcludeFilter;
using ws::sync::glob_match;

namespace {
ExcludeFilter filter_of(std::vector<std::string> patterns) {
  auto f = ExcludeFilter::compile(patterns);
  REQUIRE(f.ok());
  return std::move(*f);
}
}  // namespace

TEST_CASE("a single star stays inside one path segment") {
  CHECK(glob_match("*.pyc", "x.pyc"));
  CHECK_FALSE(glob_match("*.pyc", "a/x.pyc"));
  CHECK(glob_match("a/*/c", "a/b/c"));
  CHECK_FALSE(glob_match("a/*/c", "a/b/b/c"));
}

TEST_CASE("a double star crosses directories") {
  CHECK(glob_match("a/**", "a/b/c/d"));
  CHECK(glob_match("**/x", "a/b/x"));
  CHECK(glob_match("a/**/z", "a/b/c/z"));
}

TEST_CASE("question marks, classes and escapes match one character") {
  CHECK(glob_match("file?.txt", "file1.txt"));
  CHECK_FALSE(glob_match("a?b", "a/b"));
  CHECK(glob_match("[a-c]x", "bx"));
  CHECK_FALSE(glob_match("[a-c]x", "dx"));
  CHECK(glob_match("[!a-c]x", "dx"));
  CHECK(glob_match("\\*", "*"));
  CHECK_FALSE(glob_match("\\*", "a"));
}

TEST_CASE("an unanchored pattern matches at any depth, from a segment boundary") {
  const auto f = filter_of({"*.pyc", "node_modules/**"});
  CHECK(f.excludes_file("x.pyc"));
  CHECK(f.excludes_file("a/b/x.pyc"));
  CHECK_FALSE(f.excludes_file("a/b/x.pyco"));
  CHECK(f.excludes_file("node_modules/b"));
  CHECK(f.excludes_file("a/node_modules/b"));
  CHECK(f.excludes_file("a/node_modules/b/c/d.js"));
  CHECK_FALSE(f.excludes_file("a/my_node_modules/b"));
  CHECK_FALSE(f.excludes_file("node_modules"));  // a file called node_modules is not the directory
}

TEST_CASE("dir/** prunes the directory at every depth, not similarly named ones") {
  const auto f = filter_of({"build/**"});
  CHECK(f.excludes_dir("build"));
  CHECK(f.excludes_dir("src/build"));
  CHECK(f.excludes_dir("a/b/build"));
  CHECK_FALSE(f.excludes_dir("builder"));
  CHECK_FALSE(f.excludes_dir("rebuild"));
  CHECK_FALSE(f.excludes_dir("build2/x"));
  CHECK(f.excludes_path("a/build/x/y.o"));
  CHECK_FALSE(f.excludes_path("a/builds/y.o"));
}

TEST_CASE("a leading slash anchors a pattern at the root") {
  const auto f = filter_of({"/top.txt", "/only/**"});
  CHECK(f.excludes_file("top.txt"));
  CHECK_FALSE(f.excludes_file("a/top.txt"));
  CHECK(f.excludes_dir("only"));
  CHECK_FALSE(f.excludes_dir("a/only"));
}

TEST_CASE("a trailing slash matches directories only") {
  const auto f = filter_of({"tmp/"});
  CHECK(f.excludes_dir("a/tmp"));
  CHECK_FALSE(f.excludes_file("a/tmp"));
}

TEST_CASE("braces give alternatives") {
  const auto f = filter_of({"*.{o,a}"});
  CHECK(f.excludes_file("x/y.o"));
  CHECK(f.excludes_file("y.a"));
  CHECK_FALSE(f.excludes_file("y.so"));
}

TEST_CASE("malformed patterns are refused with the pattern named") {
  auto a = ExcludeFilter::compile({"[abc"});
  REQUIRE_FALSE(a.ok());
  CHECK(a.error().code == ws::Errc::invalid_input);
  CHECK(a.error().message.find("[abc") != std::string::npos);
  CHECK_FALSE(ExcludeFilter::compile({"{a,b"}).ok());
  CHECK_FALSE(ExcludeFilter::compile({""}).ok());
}

TEST_CASE("the default list excludes the contract's directories and files at any depth") {
  const auto f = filter_of(ws::sync::default_excludes());
  for (const char* d : {"repos", "node_modules", "a/node_modules", ".venv", "x/__pycache__", ".cache",
                        "target", "dist", "p/build", ".git", "debug", "a/b/.git"}) {
    CHECK_MESSAGE(f.excludes_dir(d), d);
  }
  CHECK(f.excludes_file("a/b/x.pyc"));
  CHECK_FALSE(f.excludes_file("a/b/x.py"));
  CHECK_FALSE(f.excludes_dir("src"));
  CHECK_FALSE(f.excludes_file("session.jsonl"));
  CHECK_FALSE(f.excludes_dir("debugger"));
}

TEST_CASE("many '*' groups against a long path that almost matches answer at once") {
  // Found by fuzz/exclude_filter: each '*' group retried every split of the
  // ones before it, exponential in the number of groups (a timeout).
  const std::string glob = "*a*a*a*a*a*a*a*a*a*a*a*a*b";
  const std::string path(200, 'a');
  CHECK_FALSE(ws::sync::glob_match(glob, path));
  CHECK(ws::sync::glob_match(glob, path + "b"));
  CHECK_FALSE(ws::sync::glob_match("**/*a*a*a*a*a*a*a*a*a*a*/x", std::string(100, 'a') + "/" + path));
  CHECK(filter_of({glob}).excludes_file("dir/" + path + "b"));
}

TEST_CASE("a pattern whose braces expand past 1024 alternatives is refused") {
  // Found by fuzz/exclude_filter: "{a,b}" 22 times expanded to 4 million rules.
  std::string pattern;
  for (int i = 0; i < 22; ++i) pattern += "{a,b}";
  auto r = ExcludeFilter::compile({pattern});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::invalid_input);
  CHECK(r.error().message.find("more than 1024 alternatives") != std::string::npos);
  std::string ten;
  for (int i = 0; i < 10; ++i) ten += "{a,b}";
  CHECK(ExcludeFilter::compile({ten}).ok());
}

TEST_CASE("include and exclude rules: the first match decides, and includes keep directories open") {
  auto f = ExcludeFilter::compile({"node_modules/**"}, {"+ *.js", "- src/**", "- /**"});
  REQUIRE(f.ok());
  CHECK_FALSE(f->excludes_file("src/a.js"));     // "+ *.js" comes before "- src/**"
  CHECK(f->excludes_file("src/a.txt"));
  CHECK(f->excludes_file("top.txt"));           // the closing "- /**"
  CHECK(f->excludes_file("node_modules/x.js"));  // plain excludes come first
  CHECK(f->excludes_dir("node_modules"));
  CHECK_FALSE(f->excludes_dir("src"));  // an include may match below it
  CHECK_FALSE(f->excludes_path("src/deep/b.js"));
  CHECK(f->excludes_path("src/deep/b.md"));

  auto only_excludes = ExcludeFilter::compile({}, {"- build/", "+ build/keep"});
  REQUIRE(only_excludes.ok());
  CHECK(only_excludes->excludes_dir("build"));             // no include before it
  CHECK(only_excludes->excludes_file("build/keep"));       // "dir/" is "dir/**" for files
  CHECK_FALSE(only_excludes->excludes_file("other/keep"));

  auto cleared = ExcludeFilter::compile({"*.log"}, {"!", "- *.tmp"});
  REQUIRE(cleared.ok());
  CHECK_FALSE(cleared->excludes_file("a.log"));  // '!' forgets every rule before it
  CHECK(cleared->excludes_file("a.tmp"));

  auto bad = ExcludeFilter::compile({}, {"*.log"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("'*.log' must start with '+ ' or '- '") != std::string::npos);
}

TEST_CASE("rclone's filter flags become one rule list in rclone's order") {
  wstest::TempDir t("filterflags");
  wstest::write_file(t / "inc", "# comment\n*.md\n\n");
  wstest::write_file(t / "rules", "; comment\n- *.bak\n+ keep.bak\n");
  ws::sync::FilterFlags flags;
  flags.filter = {"- *.o"};
  flags.exclude = {"*.tmp", "*.log"};
  flags.include = {"*.c"};
  flags.include_from = {(t / "inc").string()};
  flags.filter_from = {(t / "rules").string()};
  auto rules = ws::sync::rclone_filter_rules(flags);
  REQUIRE(rules.ok());
  CHECK(*rules == std::vector<std::string>{"+ *.c", "+ *.md", "- *.tmp", "- *.log", "- *.o", "- *.bak",
                                           "+ keep.bak", "- /**"});

  ws::sync::FilterFlags only_excludes;
  only_excludes.exclude = {"*.tmp"};
  CHECK(*ws::sync::rclone_filter_rules(only_excludes) == std::vector<std::string>{"- *.tmp"});

  ws::sync::FilterFlags missing;
  missing.exclude_from = {(t / "nope").string()};
  auto err = ws::sync::rclone_filter_rules(missing);
  REQUIRE_FALSE(err.ok());
  CHECK(err.error().message.find("--exclude-from " + (t / "nope").string() + ": cannot read") == 0);
}
