#include "bindings.hpp"

namespace wspy {

void register_store(py::module_&) {}

}  // namespace wspy
