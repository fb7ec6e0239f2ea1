#include "cli.hpp"

namespace cli {

void add_workspace_commands(std::vector<Command>&) {}

}  // namespace cli
