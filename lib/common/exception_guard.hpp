// The last line between the library's errors-as-values and an exception
// that slipped out of a parser or the standard library: at the boundary of
// a cycle, a hydrate, or a thread doing part of one, an exception becomes an
// Errc::internal error that names the work it interrupted, instead of
// std::terminate taking down the sidecar (which would then crash-loop on the
// same stored input).
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws {

// Runs `work` (returning Result<T> or Status) and gives back its result, or
// Errc::internal "<what>: unexpected exception: <what()>" if it threw.
template <class Work>
auto catch_exceptions(std::string_view what, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::exception& e) {
    return Error(Errc::internal, std::string(what) + ": unexpected exception: " + e.what());
  } catch (...) {
    return Error(Errc::internal, std::string(what) + ": unexpected exception");
  }
}

}  // namespace ws
