// The repos whose saved state a hydrate found damaged in the store and
// restored with losses. Hydrate records them in the engine's state
// directory (`<cache>/restore-losses`, one repo name per line); the sidecar
// copies the list into the session's metadata.json ("restoredWithLosses"),
// so the platform sees the loss without opening the pod.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace ws::workspace {

std::filesystem::path restore_losses_record(const std::filesystem::path& cache_dir);

// Replaces the record; an empty list removes it.
Status write_restore_losses(const std::filesystem::path& record, const std::vector<std::string>& repos);

// The recorded repo names; none when the record is missing.
std::vector<std::string> read_restore_losses(const std::filesystem::path& record);

}  // namespace ws::workspace
