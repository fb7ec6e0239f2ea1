// The library's one way to run independent jobs side by side: the hashing
// and HEADs of a sync cycle, the trees of a batch, the parts of a multipart
// upload. Threads live for one call; the caller's thread is one of them, so
// parallel = 1 runs every job in order on the calling thread.
#pragma once

#include <cstddef>
#include <functional>

#include "common/error.hpp"

namespace ws {

// Runs job(0) ... job(n - 1) on up to `parallel` threads (at least one),
// each index once, and returns when all have returned. Jobs report through
// their own state and must not throw.
void run_parallel(size_t n, int parallel, const std::function<void(size_t)>& job);

// As run_parallel, but a job that fails stops the others from starting new
// jobs (those running finish); returns the first failure, or success when
// every job succeeded.
Status run_parallel_until_error(size_t n, int parallel, const std::function<Status(size_t)>& job);

}  // namespace ws
