#include "git/fingerprint.hpp"

#include <sys/stat.h>

#include "git/libgit2.hpp"

namespace ws::git {

namespace {

// Bump when the digest's input changes meaning.
constexpr std::string_view kFingerprintFormat = "ws-repo-fingerprint 1\n";

Status add_refs(git_repository* repo, std::string& out) {
  git_reference* raw_head = nullptr;
  if (git_reference_lookup(&raw_head, repo, "HEAD") == 0) {
    ReferencePtr head(raw_head);
    const char* sym = git_reference_symbolic_target(head.get());
    out += "HEAD ";
    out += sym != nullptr ? sym : oid_hex(*git_reference_target(head.get()));
    out += '\n';
  }
  git_reference_iterator* raw_it = nullptr;
  if (git_reference_iterator_new(&raw_it, repo) < 0) return git_failure("listing refs");
  ReferenceIteratorPtr it(raw_it);
  git_reference* raw_ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&raw_ref, it.get())) == 0) {
    ReferencePtr ref(raw_ref);
    out += git_reference_name(ref.get());
    out += ' ';
    const char* sym = git_reference_symbolic_target(ref.get());
    out += sym != nullptr ? sym : oid_hex(*git_reference_target(ref.get()));
    out += '\n';
  }
  if (rc != GIT_ITEROVER) return git_failure("listing refs");
  return {};
}

// The origin URL lands in metadata.json, so a changed URL is a change.
void add_remote(git_repository* repo, std::string& out) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") < 0) return;
  RemotePtr remote(raw);
  const char* url = git_remote_url(remote.get());
  out += "origin " + std::string(url != nullptr ? url : "") + "\n";
}

Status add_index(git_repository* repo, std::string& out) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return git_failure("reading the index");
  IndexPtr index(raw);
  if (git_index_read(index.get(), 0) < 0) return git_failure("reading the index");
  out += "index " + oid_hex(*git_index_checksum(index.get())) + " " +
         std::to_string(git_index_entrycount(index.get())) + "\n";
  return {};
}

Status add_changed_files(git_repository* repo, std::string& out) {
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  // The index checksum covers HEAD -> index; only the work tree needs a scan.
  opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
               GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw = nullptr;
  if (git_status_list_new(&raw, repo, &opts) < 0) return git_failure("reading the work tree status");
  StatusListPtr list(raw);
  const std::string workdir = git_repository_workdir(repo) != nullptr ? git_repository_workdir(repo) : "";
  const size_t n = git_status_list_entrycount(list.get());
  for (size_t i = 0; i < n; ++i) {
    const git_status_entry* e = git_status_byindex(list.get(), i);
    const git_diff_delta* d = e->index_to_workdir != nullptr ? e->index_to_workdir : e->head_to_index;
    const char* path = d->new_file.path != nullptr ? d->new_file.path : d->old_file.path;
    out += std::to_string(static_cast<unsigned>(e->status)) + " " + path;
    struct stat st{};
    if (::lstat((workdir + path).c_str(), &st) == 0) {
      for (const long long v : {static_cast<long long>(st.st_size), static_cast<long long>(st.st_mtim.tv_sec),
                                static_cast<long long>(st.st_mtim.tv_nsec), static_cast<long long>(st.st_mode),
                                static_cast<long long>(st.st_ino)}) {
        out += ' ';
        out += std::to_string(v);
      }
    }
    out += '\n';
  }
  return {};
}

}  // namespace

Result<std::string> repo_fingerprint(git_repository* repo) {
  std::string text(kFingerprintFormat);
  WS_TRY(add_refs(repo, text));
  add_remote(repo, text);
  WS_TRY(add_index(repo, text));
  WS_TRY(add_changed_files(repo, text));
  git_oid digest;
  if (git_odb_hash(&digest, text.data(), text.size(), GIT_OBJECT_BLOB) < 0) {
    return git_failure("hashing the repository state");
  }
  return oid_hex(digest);
}

}  // namespace ws::git
