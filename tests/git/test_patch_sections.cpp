#include <doctest/doctest.h>

#include "git/patch_sections.hpp"

using ws::git::split_patch;

TEST_CASE("a patch splits at its diff --git lines, each section named by its new path") {
  const std::string patch =
      "preamble\n"
      "diff --git a/one.txt b/one.txt\nindex 1..2 100644\n--- a/one.txt\n+++ b/one.txt\n@@ -1 +1 @@\n-a\n+b\n"
      "diff --git a/my file b/my file\nold mode 100644\nnew mode 100755\n"
      "diff --git \"a/q\\\"uote\" \"b/\\303\\274 x\"\nsimilarity index 100%\n"
      "diff --git a/x b/y\nsimilarity index 100%\nrename from x\nrename to y\n";
  const auto sections = split_patch(patch);
  REQUIRE(sections.size() == 4);
  CHECK(sections[0].path == "one.txt");
  CHECK(sections[0].text.substr(0, 10) == "diff --git");
  CHECK(sections[0].text.substr(sections[0].text.size() - 3) == "+b\n");
  CHECK(sections[1].path == "my file");
  CHECK(sections[2].path == "\xc3\xbc x");
  CHECK(sections[3].path == "y");
  std::string joined;
  for (const auto& s : sections) joined += s.text;
  CHECK(joined == patch.substr(patch.find("diff --git")));
}
