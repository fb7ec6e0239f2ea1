// Uploading and downloading one repository's repo-state files (behaviour §2:
// repo.bundle, uncommitted.patch, staged.patch, metadata.json) as a set that
// a crash cannot tear. The four files only make sense together (the patches
// apply to the bundle's HEAD), and S3 writes them one at a time, so:
//
//   repo-state/<repo>/<file>                   the set, where the old scripts read it
//   repo-state/<repo>/libworkspace-set.json    its manifest: each file's MD5 and size
//   repo-state/<repo>/.pending/<file>          changed files of a set being written
//   repo-state/<repo>/.pending/libworkspace-set.json   the manifest of that set
//
// Writing a set: changed files to .pending/ (when a previous set exists),
// the pending manifest, the changed files in place, the manifest in place,
// then the pending keys are deleted. Reading: the pending manifest, then the
// manifest in place; each is complete when every file it names is found, with
// its MD5, in .pending/ or in place. The first complete one wins, so a sync
// killed at any point hydrates to the previous set or the new one. State
// without a manifest (written by the old scripts) is read as it is. A
// manifest that no complete set matches means the set was damaged in the
// store (a file deleted or replaced): what is there is restored, and the
// caller reports the repo as restored with losses.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "store/store.hpp"

namespace ws::workspace {

inline constexpr std::string_view kSetManifestName = "libworkspace-set.json";
inline constexpr std::string_view kPendingDirName = ".pending";

struct SetEntry {
  std::string md5_hex;
  uint64_t size = 0;
  bool operator==(const SetEntry&) const = default;
};
// file name (one of the four) -> entry
using SetManifest = std::map<std::string, SetEntry>;

// One of the four files of a set; other keys under the prefix (kept
// rejected patches) are never part of it, so replacing a set never deletes them.
bool is_set_file(std::string_view name);

std::string manifest_to_json(const SetManifest& m);
Result<SetManifest> manifest_from_json(std::string_view json);

// The manifest of the repo-state files present in `dir`.
Result<SetManifest> manifest_of_dir(const std::filesystem::path& dir);

// Writes the set in `dir` under `prefix` ("ns/s/repo-state/<repo>/").
// `previous` is the manifest in place as last known (nullopt: none there);
// files whose entry is unchanged are not sent again.
Status upload_set(store::Store& store, std::string_view prefix, const std::filesystem::path& dir,
                  const SetManifest& manifest, const std::optional<SetManifest>& previous,
                  const Logger& log);

// Reads the manifest in place; nullopt when there is none, or when it is
// malformed (a warning says so: it is treated as absent).
Result<std::optional<SetManifest>> fetch_manifest(store::Store& store, std::string_view prefix,
                                                  const Logger& log);

enum class SetSource {
  pending,   // a set whose writing was interrupted after its files were all stored
  committed, // the manifest in place
  legacy,    // no usable manifest: the files as the old scripts left them
  damaged,   // a manifest no stored set matches: the files that are there, with losses
  none,      // an interrupted first write: no complete set exists
};
const char* set_source_name(SetSource s);

// Downloads a complete set under `prefix` into `dest` (created), choosing
// as described above. `objects` is the listing of `prefix` (recursive).
Result<SetSource> download_set(store::Store& store, std::string_view prefix,
                               const std::vector<store::ObjectInfo>& objects,
                               const std::filesystem::path& dest, const Logger& log);

}  // namespace ws::workspace
