// The git identity (user.name / user.email) written into the config of every
// repository the library clones (SPEC §4: the token's userName/email, else
// the bot's).
#pragma once

#include <git2.h>

#include <string>

#include "common/error.hpp"

namespace ws::git {

struct Identity {
  std::string name = "Ambient Code Bot";
  std::string email = "bot@ambient-code.local";
};

// Writes user.name and user.email into the repository's own config.
Status write_identity(git_repository* repo, const Identity& identity);

}  // namespace ws::git
