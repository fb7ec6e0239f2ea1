// The manifest of the repo-state set last seen in place in the store (this
// engine uploaded it, or found it equal to its backup), kept on disk beside
// the repo's backup, so that a new process (a restarted sidecar, `sync
// --once`) knows an unchanged repo is saved without asking the store. A
// record names the store and prefix it speaks for and is ignored for any
// other. It is trusted as the engine's in-memory copy is: a set changed in
// the store behind our back is noticed when the repo next changes. Deleting
// it is always safe (the next cycle reads the set's manifest from the store).
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/error.hpp"
#include "workspace/repo_state_set.hpp"

namespace ws::workspace {

// The recorded manifest, when `record` holds one for `scope`.
std::optional<SetManifest> read_uploaded_set(const std::filesystem::path& record, std::string_view scope);

// Replaces `record` atomically.
Status write_uploaded_set(const std::filesystem::path& record, std::string_view scope, const SetManifest& m);

}  // namespace ws::workspace
