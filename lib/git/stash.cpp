#include "git/stash.hpp"

#include "git/libgit2.hpp"

namespace ws::git {

namespace {

constexpr const char* kStash = "refs/stash";

using CommitPtr = Handle<git_commit, git_commit_free>;
using ReflogPtr = Handle<git_reflog, git_reflog_free>;

}  // namespace

size_t stash_entry_count(git_repository* repo) {
  git_reflog* raw = nullptr;
  if (git_reflog_read(&raw, repo, kStash) < 0) return 0;
  ReflogPtr log(raw);
  return git_reflog_entrycount(log.get());
}

Status restore_stash(git_repository* repo, const std::string& commit_hex) {
  git_oid id;
  if (git_oid_fromstr(&id, commit_hex.c_str()) < 0) return git_failure("reading the stash's id");
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repo, &id) < 0) return git_failure("reading the stash commit");
  CommitPtr commit(raw_commit);
  git_reference* raw_ref = nullptr;
  const int rc = git_reference_create(&raw_ref, repo, kStash, &id, 0, nullptr);
  ReferencePtr ref(raw_ref);
  if (rc == GIT_EEXISTS) return {};
  if (rc < 0) return git_failure("creating refs/stash");
  // libgit2 keeps no reflog for refs/stash by itself; `git stash` names
  // the entry with the stash commit's subject, and so does this.
  git_reflog* raw_log = nullptr;
  if (git_reflog_read(&raw_log, repo, kStash) < 0) return git_failure("reading the stash's reflog");
  ReflogPtr log(raw_log);
  if (git_reflog_entrycount(log.get()) == 0) {
    const char* summary = git_commit_summary(commit.get());
    if (git_reflog_append(log.get(), &id, git_commit_committer(commit.get()), summary ? summary : "") < 0 ||
        git_reflog_write(log.get()) < 0) {
      return git_failure("writing the stash's reflog");
    }
  }
  return {};
}

}  // namespace ws::git
