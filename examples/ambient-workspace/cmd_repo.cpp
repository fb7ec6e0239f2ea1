// `ambient-workspace repo ...`: one repository's clone, backup and restore,
// the steps hydrate and the sidecar run for every repo, usable by hand.
#include <iostream>

#include "cli.hpp"
#include "git/git.hpp"

namespace cli {

namespace {

int run_clone(const Args& args) {
  if (args.positional.size() != 2) {
    return report(ws::Error(ws::Errc::invalid_input, "repo clone needs URL and DIR (see --help)"));
  }
  ws::git::CloneOptions opts;
  opts.url = args.positional[0];
  opts.target = args.positional[1];
  opts.branch = args.value("--branch").value_or("");
  auto done = ws::git::clone_repo(opts, terminal_logger(args.flag("--verbose")));
  if (!done) return report(done.error());
  std::cout << (done->head_sha.empty() ? "empty" : done->head_sha) << " " << done->branch << "\n";
  return kExitOk;
}

int run_backup(const Args& args) {
  if (args.positional.size() != 2) {
    return report(ws::Error(ws::Errc::invalid_input, "repo backup needs REPO and OUTDIR (see --help)"));
  }
  ws::git::BackupOptions opts;
  opts.repo = args.positional[0];
  opts.outdir = args.positional[1];
  opts.state_file = args.value("--state-file").value_or("");
  opts.force = args.flag("--force");
  auto done = ws::git::backup_repo(opts, terminal_logger(args.flag("--verbose")));
  if (!done) return report(done.error());
  std::cout << (done->unchanged ? "unchanged" : "written") << "\n";
  return kExitOk;
}

int run_restore(const Args& args) {
  if (args.positional.size() != 2) {
    return report(ws::Error(ws::Errc::invalid_input, "repo restore needs STATEDIR and REPO (see --help)"));
  }
  ws::git::RestoreOptions opts;
  opts.state_dir = args.positional[0];
  opts.repo = args.positional[1];
  opts.remote_url = args.value("--remote-url").value_or("");
  auto done = ws::git::restore_repo(opts, terminal_logger(args.flag("--verbose")));
  if (!done) return report(done.error());
  const bool partial = !done->rejected_worktree.empty() || !done->rejected_index.empty();
  return partial ? kExitFailure : kExitOk;
}

}  // namespace

void add_repo_commands(std::vector<Command>& out) {
  const Option verbose{"--verbose", "", "also print debug messages"};
  out.push_back({"repo clone", "URL DIR [--branch B]",
                 "clone one branch of a repository",
                 "Clones only BRANCH (default: the remote's default branch; when BRANCH is\n"
                 "missing on the remote, the default one with a warning) of URL into DIR,\n"
                 "which must be absent or empty. No git identity is written into the clone.\n"
                 "Prints the checked-out commit and branch. Credentials are not read from\n"
                 "the environment here; use a URL the machine can read.",
                 {{"--branch", "B", "the branch to clone (default: the remote's default)"},
                  verbose},
                 run_clone});
  out.push_back({"repo backup", "REPO OUTDIR [--force]",
                 "save a repository's branches and changes to OUTDIR",
                 "Writes repo.bundle (every ref), uncommitted.patch (HEAD -> work tree,\n"
                 "untracked files included), staged.patch (HEAD -> index) and metadata.json\n"
                 "into OUTDIR. When refs, index and work tree are unchanged since the last\n"
                 "backup nothing is rewritten and 'unchanged' is printed (else 'written').",
                 {{"--state-file", "PATH", "where the change fingerprint lives (default: OUTDIR.fingerprint)"},
                  {"--force", "", "rebuild even when nothing changed"},
                  verbose},
                 run_backup});
  out.push_back({"repo restore", "STATEDIR REPO [--remote-url URL]",
                 "restore a repository from the files of 'repo backup'",
                 "REPO must be a fresh clone or absent (then it is cloned from the saved\n"
                 "remoteUrl, or --remote-url). Imports every bundle branch, checks out the\n"
                 "saved branch, applies the saved work-tree and staged changes. Reads state\n"
                 "written by the old scripts too. Exit 1 when some change could not apply\n"
                 "(the others are applied and the rejected files are logged).",
                 {{"--remote-url", "URL", "clone from URL instead of the saved remoteUrl"}, verbose},
                 run_restore});
}

}  // namespace cli
