// Internals shared by the C ABI translation units: turning Results into
// status codes plus the thread's last-error message, and C callbacks into a
// Logger. Nothing here crosses the ABI; no C++ exception may either, so
// every ws_* entry point is wrapped in guard().
#pragma once

#include <cstring>
#include <exception>
#include <string>
#include <utility>

#include "common/error.hpp"
#include "common/log.hpp"
#include "libworkspace/common.h"

namespace ws::capi {

// Records `err` as this thread's last error and returns its status code.
int fail(const Error& err);
// This thread's last error message ("" after a success).
const char* last_error();
// Clears the last error and returns WS_OK.
int succeed();

// Runs `fn` (returning int) and turns any escaping exception into
// WS_EINTERNAL / out-of-memory instead of letting it cross the ABI.
template <class Fn>
int guard(Fn&& fn) noexcept {
  try {
    return std::forward<Fn>(fn)();
  } catch (const std::bad_alloc&) {
    return fail(Error(Errc::internal, "out of memory"));
  } catch (const std::exception& e) {
    return fail(Error(Errc::internal, std::string("unexpected exception: ") + e.what()));
  } catch (...) {
    return fail(Error(Errc::internal, "unexpected exception"));
  }
}

// A malloc'd copy, freed by ws_string_free().
char* dup_string(std::string_view s);

// Checks an out-pointer argument: WS_EINVALID naming it when NULL.
bool null_arg(const void* p, const char* name, int* status);

// True, with *status set to its failure, when `st` failed; the pattern of
// null_arg: `if (rejected(check_version(...), &status)) return status;`.
bool rejected(const Status& st, int* status);

// The one version check of every versioned struct (options, reports,
// ws_callbacks): 0 or a version above `current` is Errc::invalid_input,
// "<type>: version N is not supported (this libworkspace takes 1 to M)".
Status check_version(unsigned int got, unsigned int current, const char* type);
// As check_version, for a struct that may be NULL (nothing to check).
template <class T>
Status check_version_of(const T* s, unsigned int current, const char* type) {
  return s == nullptr ? Status() : check_version(s->version, current, type);
}

// A Logger forwarding to the C callbacks (serialised with a mutex);
// NULL callbacks give a discarding Logger. Callbacks of a version this
// library does not know are an error, never a silent drop of every line.
Result<Logger> make_logger(const ws_callbacks* callbacks);

}  // namespace ws::capi
