// Shared pieces of the pybind11 module: the exception hierarchy mapped from
// ws::Errc, and the registration function of each area.
#pragma once

#include <pybind11/pybind11.h>

#include "common/error.hpp"
#include "common/log.hpp"

namespace wspy {

namespace py = pybind11;

// Raises the libworkspace.Error subclass for err.code, with err.message.
[[noreturn]] void raise(const ws::Error& err);

// Unwraps a Result or raises.
template <class T>
T unwrap(ws::Result<T> r) {
  if (!r) raise(r.error());
  return std::move(r).value();
}
inline void unwrap(ws::Status r) {
  if (!r) raise(r.error());
}

// Runs `fn` (returning a ws::Result) with the GIL released, so other Python
// threads run during the library's I/O, then unwraps with the GIL held.
template <class Fn>
auto call_without_gil(Fn&& fn) {
  auto r = [&] {
    py::gil_scoped_release nogil;
    return std::forward<Fn>(fn)();
  }();
  return unwrap(std::move(r));
}

// A Logger calling Python callables log(level:str, event:str, message:str)
// and progress(dict); takes the GIL for each call. None gives a discarding one.
ws::Logger make_logger(py::object log, py::object progress);

void register_errors(py::module_& m);
void register_spec(py::module_& m);
void register_auth(py::module_& m);
void register_store(py::module_& m);
void register_git(py::module_& m);
void register_workspace(py::module_& m);

}  // namespace wspy
