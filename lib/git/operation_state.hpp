// An operation in progress when the pod stops (a merge with conflicts, a
// rebase, a cherry-pick or revert, `git am`): git keeps it as files in the
// git directory (MERGE_HEAD, MERGE_MSG, rebase-merge/, sequencer/, ...)
// naming commits and trees that may be on no branch, plus unmerged index
// entries (index_state.hpp). The backup puts those files and every object
// they or the conflicts name into one commit of its own (the "carrier",
// bundled as refs/libworkspace/saved-state, never a ref in the repository),
// and restore writes the files back into the new clone's git directory.
// What cannot be carried is named in metadata.json and in the restore log.
#pragma once

#include <git2.h>

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/error.hpp"
#include "common/log.hpp"
#include "git/index_state.hpp"

namespace ws::git {

// The bundle ref naming the carrier commit.
inline constexpr std::string_view kSavedStateRef = "refs/libworkspace/saved-state";

struct OperationState {
  std::string operation;                 // "merge", "rebase", "cherry-pick", "revert", "am", "" for none
  std::string carrier;                   // the carrier commit's id, "" when nothing needs one
  std::vector<std::string> files;        // git-directory files carried, relative ("rebase-merge/done")
  std::vector<std::string> not_carried;  // git-directory names present but not carried, with the reason
  bool empty() const { return operation.empty() && carrier.empty() && not_carried.empty(); }
};

// Reads the repository's in-progress state and, when there is any (or
// `index` has conflicts), writes the carrier commit into its object
// database (unreferenced: only the bundle names it).
Result<OperationState> save_operation_state(git_repository* repo, const IndexState& index);

// Writes the carried files into `repo`'s git directory from the carrier
// commit (already unbundled). Files the carrier lacks, or whose names are
// not git's in-progress files, are not written and are named in
// `not_restored`.
Status restore_operation_state(git_repository* repo, const OperationState& state,
                               std::vector<std::string>& not_restored);

boost::json::value to_json_value(const OperationState& state);
OperationState operation_state_from_json(const boost::json::value& v);

}  // namespace ws::git
