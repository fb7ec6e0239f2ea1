// A new file's change in git's binary patch format ("GIT binary patch",
// "literal <size>", base85 lines of zlib data), written while the file is
// read, in fixed-size chunks: libgit2 builds a whole patch in memory (a
// 200 MiB untracked file cost 690 MiB of RSS), this costs a few hundred KiB
// whatever the size. `git apply` and libgit2 read it like git's own.
#pragma once

#include <git2.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "common/error.hpp"

namespace ws::git {

// Files at least this large are written by write_new_file_patch.
inline constexpr uint64_t kStreamedFileSize = 16ull << 20;

// Appends to `out` the creation of `path` (as the patch names it) with the
// bytes of `file` and `mode` (0100644 or 0100755); `id` is the blob's id.
Status write_new_file_patch(FILE* out, const std::string& path, const std::filesystem::path& file, unsigned mode,
                            const git_oid& id);

}  // namespace ws::git
