#include "git/restore.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>
#include <tuple>

#include "common/redact.hpp"
#include "git/bundle_reader.hpp"
#include "git/clone.hpp"
#include "git/index_state.hpp"
#include "git/libgit2.hpp"
#include "git/operation_state.hpp"
#include "git/open_repo.hpp"
#include "git/patch_applier.hpp"
#include "git/rejected_patch.hpp"
#include "git/repo_head.hpp"
#include "git/repo_metadata.hpp"
#include "git/stash.hpp"
#include "config/layout.hpp"

namespace ws::git {

namespace fs = std::filesystem;
namespace layout = config::layout;

namespace {

constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kTags = "refs/tags/";

Result<RepoMetadata> load_metadata(const fs::path& state_dir) {
  const fs::path path = state_dir / layout::kRepoMetadata;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(Errc::not_found, "no repo state at " + state_dir.string() + " (missing metadata.json)");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto meta = parse_repo_metadata(text);
  if (!meta) return std::move(meta).error().context(path.string());
  return meta;
}

bool has_repository(const fs::path& repo) {
  std::error_code ec;
  return fs::exists(repo / ".git", ec);
}

// Clones the repository when it is missing; returns the branch the clone
// created ("" for an empty remote), nullopt when nothing was cloned.
Result<std::optional<std::string>> clone_if_missing(const RestoreOptions& options,
                                                    const RepoMetadata& meta, const Logger& log) {
  if (has_repository(options.repo)) return std::optional<std::string>();
  const std::string url = options.remote_url.empty() ? meta.remote_url : options.remote_url;
  if (url.empty()) {
    return Error(Errc::invalid_input, "repository " + options.repo.string() +
                                          " is missing and its state names no remote URL");
  }
  if (options.remote_url.empty() && !options.origins.allows(url)) {
    return Error(Errc::unsafe_path, "repository " + options.repo.string() + " is missing and its saved remoteUrl " +
                                        redact_url(url) + " is a " + origin_kind_name(origin_kind(url)) +
                                        " origin; saved state may only clone from " +
                                        options.origins.describe() + " URLs; not cloning it");
  }
  log.info("restore.clone", "repository " + options.repo.string() + " is missing; cloning " + redact_url(url));
  CloneOptions clone;
  clone.url = url;
  clone.target = options.repo;
  clone.credentials = options.credentials;
  auto done = clone_repo(clone, log);
  if (!done) return std::move(done).error();
  return std::optional<std::string>(done->branch);
}


// Restore replays changes onto a clean checkout; local changes would be
// overwritten, so they stop it (untracked files are left alone).
Status require_clean(git_repository* repo, const fs::path& path) {
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
  git_status_list* raw = nullptr;
  if (git_status_list_new(&raw, repo, &opts) < 0) return git_failure("reading the status");
  StatusListPtr list(raw);
  if (git_status_list_entrycount(list.get()) > 0) {
    return Error(Errc::conflict, "repository " + path.string() +
                                     " has local changes; restore only into a fresh clone");
  }
  return {};
}

std::optional<git_oid> bundle_ref(const BundleHeader& header, std::string_view name) {
  for (const auto& r : header.refs) {
    if (r.name == name) {
      git_oid id;
      git_oid_fromstr(&id, r.oid.c_str());
      return id;
    }
  }
  return std::nullopt;
}

// The clone's own branch, when the backup did not have it, goes again: the
// restored repository has exactly the backup's branches.
void drop_clone_branch(git_repository* repo, const std::string& branch, const BundleHeader& header) {
  const std::string ref = std::string(kHeads) + branch;
  if (branch.empty() || bundle_ref(header, ref)) return;
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo, ref.c_str()) < 0) return;
  ReferencePtr branch_ref(raw);
  if (git_branch_is_head(branch_ref.get()) != 1) git_reference_delete(branch_ref.get());
}

std::optional<git_oid> local_ref(git_repository* repo, const std::string& name) {
  git_oid id;
  if (git_reference_name_to_id(&id, repo, name.c_str()) == 0) return id;
  return std::nullopt;
}

// The commit the saved HEAD was on: the branch's tip (bundle first), or
// headSha when detached.
std::optional<git_oid> saved_head_commit(git_repository* repo, const RepoMetadata& meta,
                                         const std::optional<BundleHeader>& header) {
  if (meta.current_branch == "HEAD" || meta.current_branch.empty()) {
    git_oid id;
    if (!meta.head_sha.empty() && git_oid_fromstr(&id, meta.head_sha.c_str()) == 0) return id;
    if (header) return bundle_ref(*header, "HEAD");
    return std::nullopt;
  }
  const std::string ref = std::string(kHeads) + meta.current_branch;
  if (header) {
    if (auto id = bundle_ref(*header, ref)) return id;
  }
  return local_ref(repo, ref);
}

Status checkout_commit(git_repository* repo, const git_oid& id) {
  git_object* raw = nullptr;
  if (git_object_lookup(&raw, repo, &id, GIT_OBJECT_COMMIT) < 0) {
    return git_failure("looking up commit " + oid_hex(id));
  }
  ObjectPtr commit(raw);
  git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
  opts.checkout_strategy = GIT_CHECKOUT_FORCE;
  if (git_checkout_tree(repo, commit.get(), &opts) < 0) {
    return git_failure("checking out " + oid_hex(id));
  }
  return {};
}

// refs/heads/* forced (the bundle is the truth for branches), tags and the
// stash only where missing; returns how many branches were written.
Result<size_t> import_refs(git_repository* repo, const BundleHeader& header) {
  size_t branches = 0;
  for (const auto& r : header.refs) {
    const bool is_branch = r.name.rfind(kHeads, 0) == 0;
    const bool is_tag = r.name.rfind(kTags, 0) == 0;
    if (r.name == "refs/stash") {
      WS_TRY(restore_stash(repo, r.oid));
      continue;
    }
    if (!is_branch && !is_tag) continue;
    git_oid id;
    git_oid_fromstr(&id, r.oid.c_str());
    git_reference* raw = nullptr;
    const int rc = git_reference_create(&raw, repo, r.name.c_str(), &id, is_branch ? 1 : 0,
                                        "restore: from bundle");
    ReferencePtr ref(raw);
    if (rc == GIT_EEXISTS && is_tag) continue;
    if (rc < 0) return git_failure("creating " + r.name);
    if (is_branch) ++branches;
  }
  return branches;
}

Status point_head(git_repository* repo, const RepoMetadata& meta, const git_oid& commit) {
  if (meta.current_branch == "HEAD" || meta.current_branch.empty()) {
    if (git_repository_set_head_detached(repo, &commit) < 0) return git_failure("detaching HEAD");
    return {};
  }
  const std::string ref = std::string(kHeads) + meta.current_branch;
  if (!local_ref(repo, ref)) {
    git_reference* raw = nullptr;
    if (git_reference_create(&raw, repo, ref.c_str(), &commit, 0, "restore") < 0) {
      return git_failure("creating " + ref);
    }
    git_reference_free(raw);
  }
  if (git_repository_set_head(repo, ref.c_str()) < 0) return git_failure("checking out " + ref);
  return {};
}

// A branch without commits (an empty repository, `git checkout --orphan`):
// its saved patches start from the empty tree, so the clone's checkout
// leaves the work tree and the index first.
Status clear_checkout(git_repository* repo) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return git_failure("reading the index");
  IndexPtr index(raw);
  const fs::path workdir = git_repository_workdir(repo);
  std::error_code ec;
  for (size_t i = 0; i < git_index_entrycount(index.get()); ++i) {
    fs::remove(workdir / git_index_get_byindex(index.get(), i)->path, ec);
  }
  if (git_index_clear(index.get()) < 0 || git_index_write(index.get()) < 0) {
    return git_failure("emptying the index");
  }
  return {};
}

}  // namespace

Result<RestoreResult> restore_repo(const RestoreOptions& options, const Logger& log) {
  Libgit2 libgit2;
  auto meta = load_metadata(options.state_dir);
  if (!meta) return std::move(meta).error();

  RestoreResult result;
  auto cloned_branch = clone_if_missing(options, *meta, log);
  if (!cloned_branch) return std::move(cloned_branch).error();
  result.cloned = cloned_branch->has_value();
  auto opened = open_work_tree(options.repo, options.trusted_parent);
  if (!opened) return std::move(opened).error();
  RepositoryPtr repo = std::move(*opened);
  WS_TRY(require_clean(repo.get(), options.repo));

  std::optional<BundleHeader> header;
  const fs::path bundle_path = options.state_dir / layout::kRepoBundle;
  std::error_code ec;
  if (fs::exists(bundle_path, ec)) {
    auto read = BundleReader(bundle_path).unbundle(repo.get(), log);
    if (!read) return std::move(read).error();
    header = std::move(*read);
  }

  const auto target = saved_head_commit(repo.get(), *meta, header);
  if (target) {
    WS_TRY(checkout_commit(repo.get(), *target));
  } else if (!meta->head_sha.empty()) {
    log.warn("restore.branch_missing", "saved branch '" + meta->current_branch +
                                           "' is in neither the bundle nor the repository; "
                                           "staying on the current checkout");
  }
  if (header) {
    auto imported = import_refs(repo.get(), *header);
    if (!imported) return std::move(imported).error();
    result.branches_imported = *imported;
  }
  if (target) {
    WS_TRY(point_head(repo.get(), *meta, *target));
  } else if (meta->head_sha.empty() && !meta->current_branch.empty() && meta->current_branch != "HEAD") {
    const std::string ref = std::string(kHeads) + meta->current_branch;
    WS_TRY(clear_checkout(repo.get()));
    if (git_repository_set_head(repo.get(), ref.c_str()) < 0) return git_failure("setting HEAD to " + ref);
  }

  if (result.cloned && header) drop_clone_branch(repo.get(), **cloned_branch, *header);

  PatchApplier patches(repo.get());
  auto worktree = patches.apply(options.state_dir / layout::kUncommittedPatch, ApplyTarget::worktree, log);
  if (!worktree) return std::move(worktree).error();
  auto index = patches.apply(options.state_dir / layout::kStagedPatch, ApplyTarget::index, log);
  if (!index) return std::move(index).error();
  result.rejected_worktree = std::move(worktree->rejected);
  result.rejected_index = std::move(index->rejected);
  const fs::path keep_dir = fs::path(git_repository_path(repo.get())) / "libworkspace";
  for (auto [which, file, rejected] : {std::tuple{SavedPatch::worktree, layout::kUncommittedPatch, &result.rejected_worktree},
                                       std::tuple{SavedPatch::staged, layout::kStagedPatch, &result.rejected_index}}) {
    if (rejected->empty()) continue;
    auto kept = keep_rejected_patch(keep_dir, options.state_dir / file, which, *rejected);
    if (!kept) return std::move(kept).error().context("keeping the changes that did not apply");
    log.warn("restore.rejected_kept", "the saved " + std::string(file) + " of " + options.repo.string() +
                                          " did not apply whole; kept as " + kept->string());
    result.kept_patches.push_back(std::move(*kept));
  }

  // What no patch carries: the index's conflicts and flags, then the files
  // of an operation in progress (operation_state.hpp).
  std::vector<std::string> not_restored;
  WS_TRY(apply_index_state(repo.get(), meta->index, not_restored));
  WS_TRY(restore_operation_state(repo.get(), meta->operation, not_restored));
  for (const auto& what : meta->operation.not_carried) not_restored.insert(not_restored.begin(), what + " (not in the backup)");
  for (const auto& what : not_restored) {
    log.warn("restore.state_not_restored", "repository " + options.repo.string() + ": " + what);
  }
  result.not_restored = std::move(not_restored);

  auto head = read_repo_head(repo.get());
  if (!head) return std::move(head).error();
  result.current_branch = head->abbrev;
  result.head_sha = head->sha;
  result.head_matches = head->sha == meta->head_sha;
  if (!result.head_matches) {
    log.warn("restore.head_differs", "HEAD of " + options.repo.string() + " is " +
                                         (head->sha.empty() ? "unborn" : head->sha) + ", the backup had " +
                                         (meta->head_sha.empty() ? "no commits" : meta->head_sha));
  }
  log.info("restore.done", "restored " + options.repo.string() + " (" + result.current_branch + ", " +
                               std::to_string(result.branches_imported) + " branches, " +
                               std::to_string(worktree->applied) + " work-tree and " +
                               std::to_string(index->applied) + " staged changes" +
                               (result.rejected_worktree.empty() && result.rejected_index.empty()
                                    ? ""
                                    : ", some changes rejected") +
                               ")");
  return result;
}

}  // namespace ws::git
