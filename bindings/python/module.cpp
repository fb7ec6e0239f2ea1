#include "bindings.hpp"
#include "libworkspace/common.h"

PYBIND11_MODULE(_libworkspace, m) {
  m.doc() = "libworkspace: prepare and persist agent-session workspaces";
  m.attr("__version__") = WS_VERSION;
  wspy::register_errors(m);
  wspy::register_spec(m);
  wspy::register_auth(m);
  wspy::register_store(m);
  wspy::register_git(m);
  wspy::register_workspace(m);
}
