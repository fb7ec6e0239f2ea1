#include "git/repo_head.hpp"

#include "git/libgit2.hpp"

namespace ws::git {

Result<RepoHead> read_repo_head(git_repository* repo) {
  RepoHead head;
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, "HEAD") < 0) return git_failure("reading HEAD");
  ReferencePtr ref(raw);
  if (const char* target = git_reference_symbolic_target(ref.get()); target != nullptr) {
    std::string name = target;
    constexpr std::string_view heads = "refs/heads/";
    head.abbrev = name.rfind(heads, 0) == 0 ? name.substr(heads.size()) : name;
  } else {
    head.abbrev = "HEAD";
    head.detached = true;
  }
  git_oid id;
  if (git_reference_name_to_id(&id, repo, "HEAD") == 0) head.sha = oid_hex(id);
  return head;
}

}  // namespace ws::git
