#include "bindings.hpp"

namespace wspy {

void register_git(py::module_&) {}

}  // namespace wspy
