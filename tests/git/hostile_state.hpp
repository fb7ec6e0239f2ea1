// Repo-state written by an attacker (issue 14, row 1): the bundle commits a
// symbolic link `cache -> <victim dir>` outside the repository, and the saved
// work-tree patch writes, renames onto and deletes files "under" cache/.
// Shared by the git layer's and the workspace layer's tests, which restore
// it and check that the victim directory is untouched.
#pragma once

#include <filesystem>
#include <string>

#include "support.hpp"

namespace wsgit {

namespace fs = std::filesystem;

struct HostileState {
  wstest::TempDir dir{"ws-git-hostile"};
  fs::path victim = dir / "outside";  // holds existing.txt ("mine") and victim.txt ("victim")
  std::string origin;                 // file:// URL of the bare origin (the bundle's commit)
  fs::path state = dir / "state";     // repo.bundle, metadata.json, empty patches

  HostileState();

  // The attacks, each a complete uncommitted.patch.
  static std::string create_patch();            // adds cache/pwned.sh
  static std::string rename_file_patch();       // renames notes.txt onto cache/existing.txt
  static std::string rename_link_patch();       // renames the link link.txt onto cache/existing.txt
  static std::string delete_patch();            // deletes cache/victim.txt
  static std::string all_patches();

  void set_uncommitted_patch(const std::string& text) const;
  // The victim directory exactly as the fixture made it.
  bool victim_untouched() const;
  std::string victim_listing() const;
};

}  // namespace wsgit
