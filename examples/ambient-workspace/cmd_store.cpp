#include "cli.hpp"

namespace cli {

void add_store_commands(std::vector<Command>&) {}

}  // namespace cli
