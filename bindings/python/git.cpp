// libworkspace.clone / clone_workflow / backup_repo / restore_repo: the git
// layer, with the GIL released while git works.
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "auth/session_credentials.hpp"
#include "bindings.hpp"
#include "git/git.hpp"

namespace wspy {

namespace {

using namespace pybind11::literals;
namespace fs = std::filesystem;

// `credentials` is a Credentials or None; the caller keeps it alive.
const ws::auth::CredentialProvider* provider_of(const py::object& credentials) {
  if (credentials.is_none()) return nullptr;
  return credentials.cast<const ws::auth::SessionCredentials&>().provider.get();
}

py::dict clone(const std::string& url, const fs::path& target, const std::optional<std::string>& branch,
               const py::object& credentials, const py::object& log, const py::object& progress) {
  ws::git::CloneOptions o;
  o.url = url;
  o.target = target;
  o.branch = branch.value_or("");
  o.credentials = provider_of(credentials);
  const ws::Logger logger = make_logger(log, progress);
  auto done = call_without_gil([&] { return ws::git::clone_repo(o, logger); });
  return py::dict("branch"_a = done.branch, "head_sha"_a = done.head_sha);
}

py::dict clone_workflow(const std::string& url, const fs::path& workflows_dir, const std::string& name,
                        const std::string& branch, const std::optional<std::string>& subpath,
                        const py::object& credentials, const py::object& log) {
  ws::git::WorkflowCloneOptions o;
  o.url = url;
  o.workflows_dir = workflows_dir;
  o.name = name;
  o.branch = branch;
  o.subpath = subpath.value_or("");
  o.credentials = provider_of(credentials);
  const ws::Logger logger = make_logger(log, py::none());
  auto done = call_without_gil([&] { return ws::git::clone_workflow(o, logger); });
  return py::dict("path"_a = done.path.string(), "whole_repo"_a = done.whole_repo);
}

py::dict backup_repo(const fs::path& repo, const fs::path& outdir, const std::optional<fs::path>& state_file,
                     bool force, const py::object& log) {
  ws::git::BackupOptions o;
  o.repo = repo;
  o.outdir = outdir;
  o.state_file = state_file.value_or(fs::path());
  o.force = force;
  const ws::Logger logger = make_logger(log, py::none());
  auto done = call_without_gil([&] { return ws::git::backup_repo(o, logger); });
  return py::dict("unchanged"_a = done.unchanged, "has_bundle"_a = done.has_bundle,
                  "current_branch"_a = done.current_branch, "head_sha"_a = done.head_sha);
}

py::dict restore_repo(const fs::path& state_dir, const fs::path& repo, const std::optional<std::string>& remote_url,
                      const py::object& credentials, const py::object& log) {
  ws::git::RestoreOptions o;
  o.state_dir = state_dir;
  o.repo = repo;
  o.remote_url = remote_url.value_or("");
  o.credentials = provider_of(credentials);
  const ws::Logger logger = make_logger(log, py::none());
  auto done = call_without_gil([&] { return ws::git::restore_repo(o, logger); });
  return py::dict("cloned"_a = done.cloned, "branches_imported"_a = done.branches_imported,
                  "current_branch"_a = done.current_branch, "head_sha"_a = done.head_sha,
                  "head_matches"_a = done.head_matches, "rejected_worktree"_a = done.rejected_worktree,
                  "rejected_index"_a = done.rejected_index);
}

}  // namespace

void register_git(py::module_& m) {
  m.def("clone", &clone, "url"_a, "target"_a, py::kw_only(), "branch"_a = py::none(),
        "credentials"_a = py::none(), "log"_a = py::none(), "progress"_a = py::none(),
        "Clone one branch of `url` (`branch`, default: the remote's default; when that\n"
        "branch is missing, the default with a warning) into `target` (absent or empty).\n"
        "No git identity is written into the clone's config: the user's global one\n"
        "applies. `credentials` is a Credentials from resolve_credentials or None.\n"
        "Returns {'branch', 'head_sha'}. Raises\n"
        "AuthError, NotFoundError, NetworkError, ConflictError, GitError.");
  m.def("clone_workflow", &clone_workflow, "url"_a, "workflows_dir"_a, "name"_a, py::kw_only(),
        "branch"_a = "main", "subpath"_a = py::none(), "credentials"_a = py::none(), "log"_a = py::none(),
        "Clone a workflow and keep `subpath` (or the whole repo, with a warning, when it\n"
        "is missing) as workflows_dir/name. Returns {'path', 'whole_repo'}. Raises as\n"
        "clone, plus UnsafePathError when `subpath` leaves the repository.");
  m.def("backup_repo", &backup_repo, "repo"_a, "outdir"_a, py::kw_only(), "state_file"_a = py::none(),
        "force"_a = false, "log"_a = py::none(),
        "Write repo.bundle, uncommitted.patch, staged.patch and metadata.json for the\n"
        "work tree `repo` into `outdir`. Nothing is rewritten when refs, index and work\n"
        "tree are unchanged since the last backup ('unchanged': True). Returns\n"
        "{'unchanged', 'has_bundle', 'current_branch', 'head_sha'}.");
  m.def("restore_repo", &restore_repo, "state_dir"_a, "repo"_a, py::kw_only(), "remote_url"_a = py::none(),
        "credentials"_a = py::none(), "log"_a = py::none(),
        "Restore `repo` (a fresh clone, or absent: cloned from remote_url or the saved\n"
        "remoteUrl) from the files of backup_repo or of the old scripts. Changes that do\n"
        "not apply are listed in 'rejected_worktree' / 'rejected_index'; the others are\n"
        "applied. Returns {'cloned', 'branches_imported', 'current_branch', 'head_sha',\n"
        "'head_matches', 'rejected_worktree', 'rejected_index'}. Raises NotFoundError,\n"
        "UnsupportedError, GitError (the repo is untouched), ConflictError.");
}

}  // namespace wspy
