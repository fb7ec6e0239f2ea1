#include "libworkspace/git.h"

#include "capi/auth_handles.hpp"
#include "capi/capi.hpp"
#include "git/git.hpp"

namespace {

using ws::capi::fail;
using ws::capi::guard;
using ws::capi::check_version_of;
using ws::capi::null_arg;
using ws::capi::rejected;
using ws::capi::succeed;

std::string str(const char* s) { return s != nullptr ? s : ""; }

const ws::auth::CredentialProvider* provider_of(const ws_credentials* creds) {
  return creds != nullptr ? creds->resolved.provider.get() : nullptr;
}

}  // namespace

extern "C" {

int ws_git_clone(const char* url, const char* target, const ws_clone_options* opts,
                 const ws_callbacks* callbacks, char** head_sha) {
  return guard([&] {
    int status = 0;
    if (head_sha != nullptr) *head_sha = nullptr;
    if (null_arg(url, "url", &status) || null_arg(target, "target", &status)) return status;
    ws::git::CloneOptions o;
    o.url = url;
    o.target = target;
    if (rejected(check_version_of(opts, WS_CLONE_OPTIONS_VERSION, "ws_clone_options"), &status)) return status;
    auto log = ws::capi::make_logger(callbacks);
    if (!log) return fail(log.error());
    if (opts != nullptr) {
      o.branch = str(opts->branch);
      o.credentials = provider_of(opts->credentials);
    }
    auto r = ws::git::clone_repo(o, *log);
    if (!r) return fail(r.error());
    if (head_sha != nullptr) *head_sha = ws::capi::dup_string(r->head_sha);
    return succeed();
  });
}

int ws_git_clone_workflow(const char* url, const char* workflows_dir, const char* name,
                          const ws_workflow_options* opts, const ws_callbacks* callbacks, int* whole_repo) {
  return guard([&] {
    int status = 0;
    if (null_arg(url, "url", &status) || null_arg(workflows_dir, "workflows_dir", &status) ||
        null_arg(name, "name", &status)) {
      return status;
    }
    ws::git::WorkflowCloneOptions o;
    o.url = url;
    o.workflows_dir = workflows_dir;
    o.name = name;
    if (rejected(check_version_of(opts, WS_WORKFLOW_OPTIONS_VERSION, "ws_workflow_options"), &status)) return status;
    auto log = ws::capi::make_logger(callbacks);
    if (!log) return fail(log.error());
    if (opts != nullptr) {
      if (opts->branch != nullptr && *opts->branch != '\0') o.branch = opts->branch;
      o.subpath = str(opts->subpath);
      o.credentials = provider_of(opts->credentials);
    }
    auto r = ws::git::clone_workflow(o, *log);
    if (!r) return fail(r.error());
    if (whole_repo != nullptr) *whole_repo = r->whole_repo ? 1 : 0;
    return succeed();
  });
}

int ws_git_backup(const char* repo, const char* outdir, const ws_backup_options* opts,
                  const ws_callbacks* callbacks, int* unchanged) {
  return guard([&] {
    int status = 0;
    if (null_arg(repo, "repo", &status) || null_arg(outdir, "outdir", &status)) return status;
    ws::git::BackupOptions o;
    o.repo = repo;
    o.outdir = outdir;
    if (rejected(check_version_of(opts, WS_BACKUP_OPTIONS_VERSION, "ws_backup_options"), &status)) return status;
    auto log = ws::capi::make_logger(callbacks);
    if (!log) return fail(log.error());
    if (opts != nullptr) {
      o.state_file = str(opts->state_file);
      o.force = opts->force != 0;
    }
    auto r = ws::git::backup_repo(o, *log);
    if (!r) return fail(r.error());
    if (unchanged != nullptr) *unchanged = r->unchanged ? 1 : 0;
    return succeed();
  });
}

int ws_git_restore(const char* state_dir, const char* repo, const ws_restore_options* opts,
                   const ws_callbacks* callbacks, ws_restore_report* report) {
  return guard([&] {
    int status = 0;
    if (null_arg(state_dir, "state_dir", &status) || null_arg(repo, "repo", &status)) return status;
    ws::git::RestoreOptions o;
    o.state_dir = state_dir;
    o.repo = repo;
    if (rejected(check_version_of(opts, WS_RESTORE_OPTIONS_VERSION, "ws_restore_options"), &status) ||
        rejected(check_version_of(report, WS_RESTORE_REPORT_VERSION, "ws_restore_report"), &status)) return status;
    auto log = ws::capi::make_logger(callbacks);
    if (!log) return fail(log.error());
    if (opts != nullptr) {
      o.remote_url = str(opts->remote_url);
      o.credentials = provider_of(opts->credentials);
    }
    auto r = ws::git::restore_repo(o, *log);
    if (!r) return fail(r.error());
    if (report != nullptr) {
      report->cloned = r->cloned ? 1 : 0;
      report->branches_imported = static_cast<unsigned int>(r->branches_imported);
      report->head_matches = r->head_matches ? 1 : 0;
      report->rejected = static_cast<unsigned int>(r->rejected_worktree.size() + r->rejected_index.size());
    }
    return succeed();
  });
}

}  // extern "C"
