// Saved changes that did not apply at hydrate go to the store too, beside
// the repo's set: repo-state/<repo>/rejected-<stamp>[.staged].patch. The
// set's replacement never touches them (only the set's own files and its
// .pending/ keys), so they stay until someone deletes them on purpose.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "common/log.hpp"
#include "store/store.hpp"

namespace ws::workspace {

// Uploads each file under `prefix` ("ns/s/repo-state/<repo>/") by its own
// name, or with "-2", "-3", ... before ".patch" when that key is taken:
// never overwrites. Failures are warnings: the copy in the repo stays.
void keep_in_store(store::Store& store, std::string_view prefix,
                   const std::vector<std::filesystem::path>& files, const Logger& log);

}  // namespace ws::workspace
