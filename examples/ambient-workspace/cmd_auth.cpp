#include "cli.hpp"

namespace cli {

void add_auth_commands(std::vector<Command>&) {}

}  // namespace cli
