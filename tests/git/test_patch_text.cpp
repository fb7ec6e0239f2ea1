#include <doctest/doctest.h>

#include "git/patch_text.hpp"
#include "guarded_text.hpp"

using ws::git::normalize_git_patch;

TEST_CASE("an empty new file gets explicit ---/+++ lines") {
  const std::string in = "diff --git a/e b/e\nnew file mode 100644\nindex 0000000..e69de29\n";
  CHECK(normalize_git_patch(in) == in + "--- /dev/null\n+++ b/e\n");
}

TEST_CASE("an empty deleted file gets explicit ---/+++ lines") {
  const std::string in = "diff --git a/e b/e\ndeleted file mode 100644\nindex e69de29..0000000\n";
  CHECK(normalize_git_patch(in) == in + "--- a/e\n+++ /dev/null\n");
}

TEST_CASE("paths with spaces are quoted in every header line") {
  const std::string in =
      "diff --git a/my file b/my file\nold mode 100644\nnew mode 100755\n"
      "diff --git a/x y b/z w\nsimilarity index 90%\nrename from x y\nrename to z w\n"
      "index 1111111..2222222 100644\n--- a/x y\n+++ b/z w\n@@ -1 +1 @@\n-a\n+b\n";
  const std::string out = normalize_git_patch(in);
  CHECK(out.find("diff --git \"a/my file\" \"b/my file\"\n") != std::string::npos);
  CHECK(out.find("rename from \"x y\"\nrename to \"z w\"\n") != std::string::npos);
  CHECK(out.find("--- \"a/x y\"\n+++ \"b/z w\"\n@@ -1 +1 @@\n-a\n+b\n") != std::string::npos);
}

TEST_CASE("a rename without mode lines gets the old file's mode") {
  const std::string in = "diff --git a/run.sh b/tools.sh\nsimilarity index 100%\nrename from run.sh\nrename to tools.sh\n";
  const std::string out = normalize_git_patch(in, [](const std::string& p) -> std::optional<unsigned> {
    return p == "run.sh" ? std::optional<unsigned>(0100755) : std::nullopt;
  });
  CHECK(out.find("old mode 100755\nnew mode 100755\n") != std::string::npos);
}

TEST_CASE("ordinary patches pass through byte for byte") {
  const std::string in =
      "diff --git a/README.md b/README.md\nindex 1111111..2222222 100644\n--- a/README.md\n"
      "+++ b/README.md\n@@ -1 +1,2 @@\n hello\n+world\n\\ No newline at end of file\n";
  CHECK(normalize_git_patch(in) == in);
}

TEST_CASE("quoted paths round-trip through unquote") {
  CHECK(ws::git::unquote_path("\"a/\\303\\274 x\\\"q\"") == "a/\xc3\xbc x\"q");
  CHECK(ws::git::quote_path_if_needed("plain/path.txt") == "plain/path.txt");
  CHECK(ws::git::quote_path_if_needed("a b") == "\"a b\"");
}

TEST_CASE("a quoted diff --git path that ends the patch is passed through, read within the patch") {
  // Found by fuzz/patch_text: the byte after "diff --git \"a/x\" " was read.
  for (std::string_view in : {"diff --git \"a/x\" ", "diff --git \"a/my f\xff\" "}) {
    const wstest::GuardedText text(in);
    CHECK(normalize_git_patch(text.view()) == in);
  }
}
