// Writing a bundle's pack by reusing the repository's own packs byte for
// byte, as `git pack-objects` reuses deltas: recomputing every delta of a
// cloned repository costs seconds, copying its pack costs milliseconds.
// Only the loose objects the refs or the index reach go through libgit2's
// packbuilder (an amended-away commit and its files stay out).
// Reused packs may still hold unreachable objects, which `git fetch`, `git
// bundle verify` and libgit2's indexer accept.
#pragma once

#include <git2.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::git {

struct ReusablePacks {
  std::vector<std::filesystem::path> packs;  // *.pack files, whole
  uint64_t packed_objects = 0;
  std::vector<git_oid> loose;                // loose objects no pack holds, reachable
                                             // from the tips or named by the index
};

// The packs and loose objects to reuse, or nullopt when reuse would not give
// a complete, duplicate-free pack: objects borrowed from alternates, a
// shallow repository, no packs at all, or an object in two packs (the
// libgit2 indexer refuses duplicates).
// `tips` are the objects the bundle's refs name.
Result<std::optional<ReusablePacks>> find_reusable_packs(git_repository* repo,
                                                         const std::vector<git_oid>& tips);

// Writes one pack (header, entries, SHA-1 trailer) to `out`: the entries of
// every reused pack, then the loose objects packed by libgit2's packbuilder.
Status write_reused_pack(git_repository* repo, const ReusablePacks& reuse, FILE* out,
                         const Logger& log);

}  // namespace ws::git
