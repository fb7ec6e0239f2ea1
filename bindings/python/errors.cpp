#include <map>

#include "bindings.hpp"

using namespace pybind11::literals;

namespace wspy {
namespace {

// Filled once at import by register_errors (module init runs under the GIL).
struct ErrorTypes {
  py::object base;
  std::map<ws::Errc, py::object> by_code;
};

ErrorTypes& types() {
  static ErrorTypes t;
  return t;
}

}  // namespace

void raise(const ws::Error& err) {
  auto& t = types();
  auto it = t.by_code.find(err.code);
  py::object cls = it != t.by_code.end() ? it->second : t.base;
  py::object exc = cls(err.message);
  exc.attr("code") = static_cast<int>(err.code);
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

ws::Logger make_logger(py::object log, py::object progress) {
  ws::Logger::LogFn lf;
  ws::Logger::ProgressFn pf;
  if (!log.is_none()) {
    lf = [log](const ws::LogEvent& e) {
      py::gil_scoped_acquire gil;
      log(ws::log_level_name(e.level), std::string(e.event), std::string(e.message));
    };
  }
  if (!progress.is_none()) {
    pf = [progress](const ws::Progress& p) {
      py::gil_scoped_acquire gil;
      py::dict d;
      d["phase"] = std::string(p.phase);
      d["item"] = std::string(p.item);
      d["files_done"] = p.files_done;
      d["files_total"] = p.files_total;
      d["bytes_done"] = p.bytes_done;
      d["bytes_total"] = p.bytes_total;
      progress(d);
    };
  }
  return ws::Logger(std::move(lf), std::move(pf));
}

void register_errors(py::module_& m) {
  auto& t = types();
  py::object exception = py::module_::import("builtins").attr("Exception");
  py::object value_error = py::module_::import("builtins").attr("ValueError");
  py::object type = py::module_::import("builtins").attr("type");
  t.base = type("Error", py::make_tuple(exception), py::dict("__module__"_a = "libworkspace"));
  m.attr("Error") = t.base;
  struct Sub { ws::Errc code; const char* name; bool value_error; };
  const Sub subs[] = {
      {ws::Errc::invalid_input, "InvalidInputError", true},
      {ws::Errc::not_found, "NotFoundError", false},
      {ws::Errc::auth, "AuthError", false},
      {ws::Errc::network, "NetworkError", false},
      {ws::Errc::protocol, "ProtocolError", false},
      {ws::Errc::io, "FilesystemError", false},
      {ws::Errc::conflict, "ConflictError", false},
      {ws::Errc::cancelled, "CancelledError", false},
      {ws::Errc::unsafe_path, "UnsafePathError", false},
      {ws::Errc::unsupported, "UnsupportedError", false},
      {ws::Errc::store, "StoreError", false},
      {ws::Errc::git, "GitError", false},
      {ws::Errc::internal, "InternalError", false},
  };
  for (const auto& s : subs) {
    py::tuple bases = s.value_error ? py::make_tuple(t.base, value_error) : py::make_tuple(t.base);
    py::object cls = type(s.name, bases, py::dict("__module__"_a = "libworkspace"));
    t.by_code[s.code] = cls;
    m.attr(s.name) = cls;
  }
}

}  // namespace wspy
