#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>

#include "support.hpp"
#include "sync/scan.hpp"

namespace fs = std::filesystem;
using namespace ws::sync;

namespace {

std::vector<std::string> rels(const TreeScan& s) {
  std::vector<std::string> out;
  for (const auto& f : s.files) out.push_back(f.rel);
  return out;
}

bool skipped(const TreeScan& s, const std::string& rel) {
  return std::any_of(s.skipped.begin(), s.skipped.end(), [&](const FileIssue& i) { return i.path == rel; });
}

TreeScan scan(const fs::path& root, std::vector<std::string> excludes = default_excludes(),
              uint64_t limit = 1ull << 30) {
  auto f = ExcludeFilter::compile(excludes);
  REQUIRE(f.ok());
  auto s = scan_tree(root, *f, limit);
  REQUIRE(s.ok());
  return std::move(*s);
}

}  // namespace

TEST_CASE("scan lists regular files sorted, with sizes, skipping excluded trees at depth") {
  wstest::TempDir t("scan");
  wstest::write_file(t / "b.txt", "bb");
  wstest::write_file(t / "a/x.txt", "x");
  wstest::write_file(t / "a/node_modules/m.js", "m");
  wstest::write_file(t / "a/b/build/out.o", "o");
  wstest::write_file(t / "a/b/x.pyc", "c");
  wstest::write_file(t / "a/builder/keep.txt", "k");
  const auto s = scan(t.path());
  CHECK(rels(s) == std::vector<std::string>{"a/builder/keep.txt", "a/x.txt", "b.txt"});
  CHECK(s.bytes == 4);
  CHECK(s.skipped.empty());
}

TEST_CASE("scan follows symlinks to files and directories inside the confining root") {
  wstest::TempDir ws("scan-ws");
  wstest::write_file(ws / "other/d/f.txt", "f");
  wstest::write_file(ws / "other/g.txt", "gg");
  fs::create_directories(ws / "tree");
  fs::create_directory_symlink("../other/d", ws / "tree/linkdir");
  fs::create_symlink(ws / "other/g.txt", ws / "tree/linkfile");
  auto f = ExcludeFilter::compile(default_excludes());
  auto s = scan_tree(ws / "tree", *f, 1 << 20, {}, ws.path());
  REQUIRE(s.ok());
  CHECK(rels(*s) == std::vector<std::string>{"linkdir/f.txt", "linkfile"});
  CHECK(s->files[1].size == 2);
  CHECK(s->skipped.empty());
  // What an upload opens: the targets, with no symlink left on the way.
  CHECK(s->files[0].source == fs::canonical(ws / "other/d/f.txt").string());
  CHECK(s->files[1].source == fs::canonical(ws / "other/g.txt").string());
}

TEST_CASE("a symlink leading out of the confining root is skipped with a warning naming it") {
  wstest::TempDir ws("scan-ws");
  wstest::TempDir outside("scan-out");
  wstest::write_file(outside / "d/f.txt", "f");
  wstest::write_file(outside / "passwd", "root:x:0:0");
  wstest::write_file(ws / "tree/ok.txt", "ok");
  wstest::write_file(ws / "sibling.txt", "in the workspace, outside the tree");
  fs::create_symlink("/proc/self/environ", ws / "tree/environ");
  fs::create_symlink(outside / "passwd", ws / "tree/passwd");
  fs::create_directory_symlink(outside / "d", ws / "tree/elsewhere");
  fs::create_directory_symlink("/proc/self", ws / "tree/proc");
  fs::create_symlink("../sibling.txt", ws / "tree/sibling");
  std::vector<std::string> warnings;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(std::string(e.event) + " " + std::string(e.message));
  });
  auto f = ExcludeFilter::compile({});
  auto s = scan_tree(ws / "tree", *f, 1 << 20, log, ws.path());
  REQUIRE(s.ok());
  CHECK(rels(*s) == std::vector<std::string>{"ok.txt", "sibling"});
  for (const auto* link : {"environ", "passwd", "elsewhere", "proc"}) {
    CAPTURE(link);
    CHECK(skipped(*s, link));
    CHECK(std::any_of(warnings.begin(), warnings.end(), [&](const std::string& w) {
      return w.starts_with("sync.skipped ") && w.find((ws / "tree" / link).string()) != std::string::npos &&
             w.find("leads out of") != std::string::npos;
    }));
  }
  for (const auto& i : s->skipped) CHECK(i.code == ws::Errc::unsafe_path);

  // Without a confining root the tree itself confines: the sibling goes too.
  auto alone = scan_tree(ws / "tree", *f, 1 << 20);
  REQUIRE(alone.ok());
  CHECK(rels(*alone) == std::vector<std::string>{"ok.txt"});
  CHECK(skipped(*alone, "sibling"));
}

TEST_CASE("a tree root that is itself a symlink out of the confining root is refused") {
  wstest::TempDir ws("scan-ws");
  wstest::TempDir outside("scan-out");
  wstest::write_file(outside / "f.txt", "f");
  fs::create_directory_symlink(outside.path(), ws / "artifacts");
  auto f = ExcludeFilter::compile({});
  auto s = scan_tree(ws / "artifacts", *f, 1 << 20, {}, ws.path());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ws::Errc::unsafe_path);
  CHECK(s.error().message.find((ws / "artifacts").string()) != std::string::npos);
}

TEST_CASE("a symlink loop is skipped with a reason, the rest is scanned") {
  wstest::TempDir t("scan");
  wstest::write_file(t / "a/f.txt", "f");
  fs::create_directory_symlink(t / "a", t / "a/loop");
  fs::create_directory_symlink(t.path(), t / "a/root");
  const auto s = scan(t.path());
  CHECK(rels(s) == std::vector<std::string>{"a/f.txt"});
  CHECK(skipped(s, "a/loop"));
  CHECK(skipped(s, "a/root"));
}

TEST_CASE("a broken symlink is skipped with a warning") {
  wstest::TempDir t("scan");
  wstest::write_file(t / "ok.txt", "ok");
  fs::create_symlink(t / "missing", t / "dangling");
  std::vector<std::string> warnings;
  ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.message);
  });
  auto f = ExcludeFilter::compile({});
  auto s = scan_tree(t.path(), *f, 1 << 20, log);
  REQUIRE(s.ok());
  CHECK(rels(*s) == std::vector<std::string>{"ok.txt"});
  CHECK(skipped(*s, "dangling"));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("dangling") != std::string::npos);
}

TEST_CASE("files over the size limit are skipped with a reason") {
  wstest::TempDir t("scan");
  wstest::write_file(t / "small", "1234");
  wstest::write_file(t / "big", std::string(100, 'x'));
  const auto s = scan(t.path(), {}, 50);
  CHECK(rels(s) == std::vector<std::string>{"small"});
  REQUIRE(s.skipped.size() == 1);
  CHECK(s.skipped[0].path == "big");
  CHECK(s.skipped[0].message.find("limit") != std::string::npos);
}

TEST_CASE("a missing root is not_found, never an empty tree") {
  wstest::TempDir t("scan");
  auto f = ExcludeFilter::compile({});
  auto s = scan_tree(t / "nope", *f, 1);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ws::Errc::not_found);
}

TEST_CASE("temporary files of interrupted downloads are never part of the tree") {
  wstest::TempDir t("scan");
  wstest::write_file(t / "a.txt", "a");
  wstest::write_file(t / "d/.a.txt.ws-0123abcdef", "partial");
  wstest::write_file(t / "d/.b.ws-short", "kept: not the temporary pattern");
  const auto s = scan(t.path());
  CHECK(rels(s) == std::vector<std::string>{"a.txt", "d/.b.ws-short"});
}
