#include "cli.hpp"

namespace cli {

void add_spec_commands(std::vector<Command>&) {}

}  // namespace cli
