#include "bindings.hpp"

namespace wspy {

void register_workspace(py::module_&) {}

}  // namespace wspy
