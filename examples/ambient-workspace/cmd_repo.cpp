#include "cli.hpp"

namespace cli {

void add_repo_commands(std::vector<Command>&) {}

}  // namespace cli
