// The randomized differential test's generator: from a seed, a sequence of
// what an agent does to a repository (edits of text, binary, empty, large and
// CRLF files; renames, copies, deletions, modes, symlinks, type changes;
// staging whole files, single hunks and intents to add; ignored and untracked
// files; commits, branches, detached HEAD, tags, an orphan branch, a stash),
// written as one bash script so a seed costs one shell and its git commands.
// The same seed always gives the same script and the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wsgit {

struct AgentScenario {
  bool empty_origin = false;        // start from a clone of a repository without commits
  std::vector<std::string> blobs;   // file contents; the script copies "$BLOBS/<index>"
  std::string script;               // run in the work tree with BLOBS set; failing steps are allowed
};

AgentScenario generate_scenario(uint64_t seed);

// The origin every non-empty scenario clones: history on `main` with text,
// binary, empty, executable, CRLF and many-line files, a symlink, a
// .gitignore and a .gitattributes, a branch and both kinds of tag. Built by
// the script this returns, run in an empty directory where it leaves
// origin.git.
std::string origin_script();

}  // namespace wsgit
