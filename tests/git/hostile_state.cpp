#include "hostile_state.hpp"

#include <doctest/doctest.h>

#include "git/backup.hpp"
#include "git_fixture.hpp"

namespace wsgit {

namespace {

std::string blob_id(const std::string& content) {
  auto r = wstest::sh("printf '%s' '" + content + "' | git hash-object --stdin", {});
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, 40);
}

constexpr const char* kZero = "0000000000000000000000000000000000000000";

}  // namespace

HostileState::HostileState() {
  wstest::write_file(victim / "existing.txt", "mine\n");
  wstest::write_file(victim / "victim.txt", "victim\n");
  git_sh("git init -q -b main src && cd src && ln -s '" + victim.string() +
             "' cache && printf 'notes\\n' > notes.txt && ln -s notes.txt link.txt && "
             "git add -A && git commit -q -m hostile && cd .. && git clone -q --bare src origin.git && "
             "git clone -q origin.git work",
         dir.path());
  origin = "file://" + (dir / "origin.git").string();
  auto b = ws::git::backup_repo({dir / "work", state, {}, false}, ws::Logger());
  REQUIRE_MESSAGE(b.ok(), b.error().message);
}

std::string HostileState::create_patch() {
  return "diff --git a/cache/pwned.sh b/cache/pwned.sh\n"
         "new file mode 100755\n"
         "index " + std::string(kZero) + ".." + blob_id("echo pwned\n") + "\n"
         "--- /dev/null\n"
         "+++ b/cache/pwned.sh\n"
         "@@ -0,0 +1 @@\n"
         "+echo pwned\n";
}

std::string HostileState::rename_file_patch() {
  return "diff --git a/notes.txt b/cache/existing.txt\n"
         "similarity index 100%\n"
         "rename from notes.txt\n"
         "rename to cache/existing.txt\n";
}

std::string HostileState::rename_link_patch() {
  return "diff --git a/link.txt b/cache/existing.txt\n"
         "similarity index 100%\n"
         "rename from link.txt\n"
         "rename to cache/existing.txt\n";
}

std::string HostileState::delete_patch() {
  return "diff --git a/cache/victim.txt b/cache/victim.txt\n"
         "deleted file mode 100644\n"
         "index " + blob_id("victim\n") + ".." + std::string(kZero) + "\n"
         "--- a/cache/victim.txt\n"
         "+++ /dev/null\n"
         "@@ -1 +0,0 @@\n"
         "-victim\n";
}

std::string HostileState::all_patches() {
  return create_patch() + rename_file_patch() + delete_patch();
}

void HostileState::set_uncommitted_patch(const std::string& text) const {
  wstest::write_file(state / "uncommitted.patch", text);
}

std::string HostileState::victim_listing() const {
  return wstest::sh("ls -la --time-style=+ . && cat existing.txt victim.txt", victim).out;
}

bool HostileState::victim_untouched() const {
  std::error_code ec;
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(victim, ec)) {
    (void)e;
    ++entries;
  }
  return entries == 2 && !fs::is_symlink(victim / "existing.txt") &&
         wstest::read_file(victim / "existing.txt") == "mine\n" &&
         wstest::read_file(victim / "victim.txt") == "victim\n";
}

}  // namespace wsgit
