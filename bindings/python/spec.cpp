#include "bindings.hpp"

namespace wspy {

void register_spec(py::module_&) {}

}  // namespace wspy
