#include "git/workflow.hpp"

#include <unistd.h>

#include <system_error>

#include "git/clone.hpp"

namespace ws::git {

namespace fs = std::filesystem;

namespace {

bool is_within(const fs::path& root, const fs::path& p) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *q != *r) return false;
  }
  return true;
}

// The sub-directory of `clone` named by `subpath`, resolved through symlinks;
// unsafe_path when it leaves the clone, nullopt-like empty path when missing.
Result<fs::path> resolve_subpath(const fs::path& clone, const std::string& subpath) {
  const fs::path rel = fs::path(subpath).lexically_normal();
  if (rel.is_absolute() || (!rel.empty() && *rel.begin() == "..")) {
    return Error(Errc::unsafe_path, "workflow path '" + subpath + "' leaves the repository");
  }
  std::error_code ec;
  const fs::path root = fs::canonical(clone, ec);
  if (ec) return Error(Errc::io, "resolving " + clone.string() + ": " + ec.message());
  const fs::path candidate = root / rel;
  if (!fs::exists(candidate, ec)) return fs::path();
  const fs::path resolved = fs::canonical(candidate, ec);
  if (ec) return Error(Errc::io, "resolving workflow path '" + subpath + "': " + ec.message());
  if (!is_within(root, resolved)) {
    return Error(Errc::unsafe_path, "workflow path '" + subpath + "' leaves the repository");
  }
  if (!fs::is_directory(resolved, ec)) return fs::path();
  return resolved;
}

Status move_into_place(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (fs::exists(to, ec)) {
    if (!fs::is_directory(to, ec) || !fs::is_empty(to, ec)) {
      return Error(Errc::conflict, "workflow directory " + to.string() + " exists and is not empty");
    }
    fs::remove(to, ec);
  }
  fs::rename(from, to, ec);
  if (ec) return Error(Errc::io, "moving the workflow to " + to.string() + ": " + ec.message());
  return {};
}

// Removes the temporary clone whatever happens.
struct TempClone {
  fs::path path;
  ~TempClone() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

Result<WorkflowCloneResult> clone_workflow(const WorkflowCloneOptions& options, const Logger& log) {
  const fs::path name(options.name);
  if (options.name.empty() || options.name == "." || options.name == ".." ||
      name.has_parent_path() || options.name.find('/') != std::string::npos) {
    return Error(Errc::unsafe_path, "workflow name '" + options.name + "' is not a plain directory name");
  }
  if (options.workflows_dir.empty()) {
    return Error(Errc::invalid_input, "workflow clone: empty workflows directory");
  }
  std::error_code ec;
  fs::create_directories(options.workflows_dir, ec);
  if (ec) {
    return Error(Errc::io, "creating " + options.workflows_dir.string() + ": " + ec.message());
  }
  const fs::path target = options.workflows_dir / name;
  if (fs::exists(target, ec) && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec))) {
    return Error(Errc::conflict, "workflow directory " + target.string() + " exists and is not empty");
  }

  // Next to the target, so the final move is a rename on one filesystem.
  TempClone temp{options.workflows_dir /
                 ("." + options.name + ".clone-" + std::to_string(::getpid()))};
  fs::remove_all(temp.path, ec);
  CloneOptions clone;
  clone.url = options.url;
  clone.target = temp.path;
  clone.branch = options.branch;
  clone.credentials = options.credentials;
  auto cloned = clone_repo(clone, log);
  if (!cloned) return std::move(cloned).error().context("workflow " + options.name);

  WorkflowCloneResult result;
  result.path = target;
  fs::path source = temp.path;
  result.whole_repo = true;
  if (!options.subpath.empty()) {
    auto sub = resolve_subpath(temp.path, options.subpath);
    if (!sub) return std::move(sub).error();
    if (sub->empty()) {
      log.warn("workflow.path_missing", "workflow path '" + options.subpath + "' not found in " +
                                            options.name + "; using the whole repository");
    } else {
      source = *sub;
      result.whole_repo = false;
    }
  }
  WS_TRY(move_into_place(source, target));
  log.info("workflow.ready", "workflow " + options.name + " ready at " + target.string());
  return result;
}

}  // namespace ws::git
