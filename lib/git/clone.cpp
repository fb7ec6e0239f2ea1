#include "git/clone.hpp"

#include <algorithm>
#include <system_error>
#include <vector>

#include "common/redact.hpp"
#include "common/url_userinfo.hpp"
#include "git/clone_error.hpp"
#include "git/libgit2.hpp"
#include "git/remote_callbacks.hpp"

namespace ws::git {

namespace fs = std::filesystem;

namespace {

Error remote_failure(int code, std::string_view what, std::string_view url) {
  const git_error* e = git_error_last();
  const Errc c = classify_remote_error(code, e != nullptr ? e->klass : 0,
                                       e != nullptr && e->message != nullptr ? e->message : "");
  return git_failure(std::string(what) + " " + redact_url(url) + ": " + remote_error_summary(c), c);
}

// A plain path ("/srv/git/app.git", "../app"), neither a URL nor scp-like.
bool is_plain_path(const std::string& url) {
  return url.find("://") == std::string::npos && !remote_endpoint(url);
}

// libgit2 takes a plain path that does not exist for a URL of an unknown
// protocol, an error of its network class; it is a missing repository.
Status check_plain_path_exists(const std::string& url) {
  std::error_code ec;
  if (!is_plain_path(url) || fs::exists(url, ec) || ec) return {};
  return Error(Errc::not_found, "cloning " + redact_url(url) + ": " + remote_error_summary(Errc::not_found) +
                                    ": no such file or directory");
}

// What a remote offers: the branch its HEAD points at ("" for an empty
// remote) and the names of its branches.
struct RemoteHeads {
  std::string default_branch;
  std::vector<std::string> branches;
  bool has(const std::string& b) const { return std::find(branches.begin(), branches.end(), b) != branches.end(); }
};

Result<RemoteHeads> list_remote_heads(const std::string& url, RemoteCallbackState& state) {
  // A detached remote knows no plain paths; git_clone does.
  const std::string remote_url = is_plain_path(url) ? "file://" + fs::absolute(url).string() : url;
  git_remote* raw = nullptr;
  if (int rc = git_remote_create_detached(&raw, remote_url.c_str()); rc < 0) {
    return remote_failure(rc, "reading", url);
  }
  RemotePtr remote(raw);
  git_remote_callbacks callbacks = GIT_REMOTE_CALLBACKS_INIT;
  install_remote_callbacks(callbacks, state);
  if (int rc = git_remote_connect(remote.get(), GIT_DIRECTION_FETCH, &callbacks, nullptr, nullptr);
      rc < 0) {
    return remote_failure(rc, "connecting to", url);
  }
  constexpr std::string_view heads = "refs/heads/";
  RemoteHeads out;
  const git_remote_head** refs = nullptr;
  size_t count = 0;
  if (int rc = git_remote_ls(&refs, &count, remote.get()); rc < 0) {
    return remote_failure(rc, "listing the branches of", url);
  }
  for (size_t i = 0; i < count; ++i) {
    const std::string_view name = refs[i]->name;
    if (name.substr(0, heads.size()) == heads) out.branches.emplace_back(name.substr(heads.size()));
  }
  Buf branch;
  const int rc = git_remote_default_branch(&branch.buf, remote.get());
  if (rc == GIT_ENOTFOUND) return out;
  if (rc < 0) return remote_failure(rc, "reading the default branch of", url);
  std::string_view name = branch.view();
  if (name.substr(0, heads.size()) == heads) name.remove_prefix(heads.size());
  out.default_branch = std::string(name);
  return out;
}

struct SingleBranch {
  std::string branch;
};

// Creates "origin" fetching only the one branch.
int create_single_branch_remote(git_remote** out, git_repository* repo, const char* name,
                                const char* url, void* payload) {
  const auto& sb = *static_cast<const SingleBranch*>(payload);
  const std::string spec = sb.branch.empty()
                               ? std::string("+refs/heads/*:refs/remotes/origin/*")
                               : "+refs/heads/" + sb.branch + ":refs/remotes/origin/" + sb.branch;
  return git_remote_create_with_fetchspec(out, repo, name, url, spec.c_str());
}

Status check_target(const fs::path& target, bool& created) {
  std::error_code ec;
  if (!fs::exists(target, ec)) {
    created = true;
    return {};
  }
  if (!fs::is_directory(target, ec) || !fs::is_empty(target, ec)) {
    return Error(Errc::conflict,
                 "clone target " + target.string() + " already exists and is not empty");
  }
  return {};
}

void undo_target(const fs::path& target, bool created) {
  std::error_code ec;
  if (created) {
    fs::remove_all(target, ec);
    return;
  }
  for (const auto& entry : fs::directory_iterator(target, ec)) fs::remove_all(entry.path(), ec);
}

}  // namespace

namespace {

// One clone of `branch` ("" only for an empty remote); the target is left
// as it was on failure.
Result<CloneResult> clone_branch(const CloneOptions& options, const std::string& branch,
                                 RemoteCallbackState& state, bool created, const Logger& log) {
  const std::string shown_url = redact_url(options.url);
  SingleBranch single{branch};
  log.info("clone.start", "cloning " + shown_url + (branch.empty() ? "" : " (branch " + branch + ")") +
                              " into " + options.target.string());
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  opts.checkout_branch = branch.empty() ? nullptr : branch.c_str();
  opts.remote_cb = create_single_branch_remote;
  opts.remote_cb_payload = &single;
  install_remote_callbacks(opts.fetch_opts.callbacks, state);

  git_repository* raw = nullptr;
  const int rc = git_clone(&raw, options.url.c_str(), options.target.c_str(), &opts);
  RepositoryPtr repo(raw);
  if (rc < 0) {
    Error err = remote_failure(rc, "cloning", options.url);
    repo.reset();
    undo_target(options.target, created);
    return err;
  }
  CloneResult result;
  result.branch = branch;
  git_oid head;
  if (git_reference_name_to_id(&head, repo.get(), "HEAD") == 0) result.head_sha = oid_hex(head);
  return result;
}

}  // namespace

Result<CloneResult> clone_repo(const CloneOptions& options_in, const Logger& log) {
  if (options_in.url.empty()) return Error(Errc::invalid_input, "clone: empty repository URL");
  // git keeps the URL it clones from in .git/config, the reflogs and
  // FETCH_HEAD: it gets the URL without userinfo, which is offered (from
  // memory) as the credential when the provider has none for the host.
  const SplitUrl split = split_url_userinfo(options_in.url);
  CloneOptions options = options_in;
  options.url = split.url;
  if (options.target.empty()) return Error(Errc::invalid_input, "clone: empty target directory");
  Libgit2 libgit2;
  bool created = false;
  WS_TRY(check_target(options.target, created));
  WS_TRY(check_plain_path_exists(options.url));

  const std::string shown_url = redact_url(options.url);
  RemoteCallbackState state;
  state.credentials = options.credentials;
  if (split.userinfo) state.url_credential = auth::GitCredential{split.userinfo->user, split.userinfo->password};
  state.log = &log;
  state.item = shown_url;

  auto cloned = Result<CloneResult>(Error(Errc::internal, "not attempted"));
  if (options.branch.empty()) {
    RemoteCallbackState probe = state;
    auto found = list_remote_heads(options.url, probe);
    if (!found) return std::move(found).error();
    cloned = clone_branch(options, found->default_branch, state, created, log);
  } else {
    cloned = clone_branch(options, options.branch, state, created, log);
    // The operator defaults `branch` to "main"; a repository whose default
    // is "master" gets its default, as the runner's own runtime clone does
    // (behaviour §3 step 4). Only a remote that answers and lacks the branch
    // falls back: any other failure is reported as it is.
    if (!cloned && cloned.error().code == Errc::not_found) {
      RemoteCallbackState probe = state;
      auto found = list_remote_heads(options.url, probe);
      if (found && !found->has(options.branch)) {
        log.warn("clone.branch_missing", "branch " + options.branch + " does not exist on " + shown_url +
                                             "; cloning its default branch" +
                                             (found->default_branch.empty() ? std::string()
                                                                            : " " + found->default_branch) +
                                             " instead");
        cloned = clone_branch(options, found->default_branch, state, created, log);
      }
    }
  }
  if (!cloned) return cloned;
  log.info("clone.done", "cloned " + shown_url + " into " + options.target.string() +
                             (cloned->head_sha.empty() ? " (empty repository)"
                                                       : " at " + cloned->head_sha.substr(0, 12)));
  return cloned;
}

}  // namespace ws::git
