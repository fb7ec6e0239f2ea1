#include "bindings.hpp"

namespace wspy {

void register_auth(py::module_&) {}

}  // namespace wspy
