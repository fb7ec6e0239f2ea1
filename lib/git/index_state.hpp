// What an index holds beyond "path -> blob at stage 0", which no patch can
// carry: unmerged entries (stages 1-3 of a conflict), intents to add
// (`git add -N`), and the assume-unchanged and skip-worktree flags. The
// backup records them in metadata.json ("index"), writes its patches from a
// plain copy of the index, and restore puts them back after the patches.
#pragma once

#include <git2.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "common/error.hpp"
#include "git/libgit2.hpp"

namespace ws::git {

struct StageEntry {
  unsigned mode = 0;
  git_oid id{};
};

// One unmerged path: stages 1 (base), 2 (ours), 3 (theirs), any absent.
struct ConflictEntry {
  std::string path;
  std::array<std::optional<StageEntry>, 3> stages;
};

struct FlaggedEntry {
  std::string path;
  unsigned mode = 0;  // an intent to add is an entry of the file's mode
  bool assume_unchanged = false;
  bool skip_worktree = false;
  bool intent_to_add = false;
};

struct IndexState {
  std::vector<ConflictEntry> conflicts;
  std::vector<FlaggedEntry> flagged;
  bool empty() const { return conflicts.empty() && flagged.empty(); }
};

Result<IndexState> read_index_state(git_index* index);

// An in-memory copy of `index` as a patch sees it: no flags, no intents to
// add (their files are then untracked, so the work-tree patch adds them),
// and each unmerged path at HEAD's entry (`head` may be null), so the staged
// patch leaves it alone and the work-tree patch carries its bytes
// (conflict markers) against HEAD. `index` itself is not changed.
Result<IndexPtr> plain_index_copy(git_index* index, git_tree* head);

// Puts the recorded entries and flags into the repository's index (after
// the patches applied) and writes it. A conflict whose blobs are missing is
// skipped and named in `skipped`.
Status apply_index_state(git_repository* repo, const IndexState& state, std::vector<std::string>& skipped);

// metadata.json's "index" value, and back; a malformed entry is skipped.
boost::json::value to_json_value(const IndexState& state);
IndexState index_state_from_json(const boost::json::value& v);

}  // namespace ws::git
