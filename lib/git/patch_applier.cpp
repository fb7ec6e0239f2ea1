#include "git/patch_applier.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <system_error>
#include <vector>

#include "git/libgit2.hpp"
#include "git/patch_sections.hpp"
#include "git/patch_text.hpp"
#include "git/worktree_guard.hpp"

namespace ws::git {

namespace {

// git_apply's delta filter: refused deltas are skipped; with `only` set,
// every other delta is skipped too.
struct DeltaFilter {
  const std::vector<bool>* refused = nullptr;
  std::optional<size_t> only;
  size_t seen = 0;
};

int filter_delta(const git_diff_delta*, void* payload) {
  auto& f = *static_cast<DeltaFilter*>(payload);
  const size_t i = f.seen++;
  if (f.refused != nullptr && (*f.refused)[i]) return 1;
  return f.only && *f.only != i ? 1 : 0;
}

git_apply_options filtered(DeltaFilter& filter) {
  git_apply_options opts = GIT_APPLY_OPTIONS_INIT;
  opts.delta_cb = filter_delta;
  opts.payload = &filter;
  return opts;
}

// libgit2 1.5 reads a work-tree symlink's preimage through the link, so a
// saved change to an existing symlink never matches there. The work-tree
// patch starts at HEAD, so such a change is replayed onto HEAD's tree in
// memory and the resulting entry written to the work tree here, through
// the guard (never through a link).
Status apply_symlink_change(git_repository* repo, git_diff* diff, size_t i, const WorkTreeGuard& guard) {
  git_object* raw_tree = nullptr;
  if (git_revparse_single(&raw_tree, repo, "HEAD^{tree}") < 0) return git_failure("reading HEAD");
  ObjectPtr tree(raw_tree);
  DeltaFilter only{nullptr, i, 0};
  git_apply_options opts = filtered(only);
  git_index* raw_post = nullptr;
  if (git_apply_to_tree(&raw_post, repo, reinterpret_cast<git_tree*>(tree.get()), diff, &opts) < 0) {
    return git_failure("applying a symlink change");
  }
  IndexPtr post(raw_post);
  const git_diff_delta* d = git_diff_get_delta(diff, i);
  WS_TRY(guard.remove(d->old_file.path));
  if (d->status == GIT_DELTA_DELETED) return {};
  const git_index_entry* e = git_index_get_bypath(post.get(), d->new_file.path, 0);
  if (e == nullptr) return Error(Errc::git, std::string("no result for ") + d->new_file.path);
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repo, &e->id) < 0) return git_failure("reading a blob");
  BlobPtr blob(raw_blob);
  const std::string_view content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                 static_cast<size_t>(git_blob_rawsize(blob.get())));
  if (e->mode == GIT_FILEMODE_LINK) return guard.write_link(d->new_file.path, content);
  return guard.write_file(d->new_file.path, content, e->mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0755 : 0644);
}

bool is_gitlink(const git_diff_delta* d) {
  return d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT;
}

// A submodule's commit (gitlink) as the staged patch names it goes straight
// into the index: libgit2 1.5's apply looks the commit up in this
// repository, where it never is, and leaves the repository's attribute
// cache corrupt on the way (a crash when the repository is freed).
Status apply_gitlinks(git_repository* repo, git_diff* diff, const std::vector<size_t>& deltas) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return git_failure("reading the index");
  IndexPtr index(raw);
  for (const size_t i : deltas) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status != GIT_DELTA_ADDED && d->old_file.path != nullptr) {
      git_index_remove(index.get(), d->old_file.path, 0);
    }
    if (d->status == GIT_DELTA_DELETED) continue;
    git_index_entry entry{};
    entry.path = d->new_file.path;
    entry.mode = d->new_file.mode;
    entry.id = d->new_file.id;
    if (git_index_add(index.get(), &entry) < 0) return git_failure(std::string("staging submodule ") + d->new_file.path);
  }
  if (git_index_write(index.get()) < 0) return git_failure("writing the index");
  return {};
}

// The whole patch at once; when it does not parse, each file's section
// alone, and the sections that do not parse are rejected by path: one
// unreadable file change never costs the others.
Result<DiffPtr> parse_file_by_file(const std::string& patch, ApplyTarget target, ApplyReport& report,
                                   const Logger& log) {
  git_diff* raw = nullptr;
  if (git_diff_from_buffer(&raw, patch.data(), patch.size()) == 0) return DiffPtr(raw);
  std::string readable;
  for (const auto& section : split_patch(patch)) {
    if (git_diff_from_buffer(&raw, section.text.data(), section.text.size()) < 0) {
      const git_error* e = git_error_last();
      log.warn("restore.patch_rejected",
               "could not read the saved " +
                   std::string(target == ApplyTarget::worktree ? "work-tree" : "staged") + " change to " +
                   section.path + ": " + (e != nullptr && e->message ? e->message : "unknown"));
      report.rejected.push_back(section.path);
      continue;
    }
    git_diff_free(raw);
    readable += section.text;
  }
  if (git_diff_from_buffer(&raw, readable.data(), readable.size()) < 0) {
    return git_failure("parsing the readable part of a patch", Errc::invalid_input);
  }
  return DiffPtr(raw);
}

const char* delta_path(const git_diff_delta* d) {
  return d->new_file.path != nullptr && d->status != GIT_DELTA_DELETED ? d->new_file.path
                                                                       : d->old_file.path;
}

// Paths the patch turns into symbolic links: nothing may be written below
// them by the same patch.
std::set<std::string, std::less<>> links_made_by(git_diff* diff) {
  std::set<std::string, std::less<>> links;
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status != GIT_DELTA_DELETED && d->new_file.mode == GIT_FILEMODE_LINK) links.insert(d->new_file.path);
  }
  return links;
}

// Paths whose symbolic link the patch deletes: a type change (link to file
// or directory) is written as a deletion and an addition of one path, and
// the addition then replaces the patch's own link, never writes through it.
std::set<std::string, std::less<>> links_removed_by(git_diff* diff) {
  std::set<std::string, std::less<>> links;
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED && d->old_file.mode == GIT_FILEMODE_LINK) links.insert(d->old_file.path);
  }
  return links;
}

struct PatchLinks {
  std::set<std::string, std::less<>> made;     // links_made_by
  std::set<std::string, std::less<>> removed;  // links_removed_by
};

// Why the delta may not be applied (worktree_guard.hpp lists the checks),
// or nullopt. `guard` is null for the index, which writes no file. A link
// the same patch deletes may stand on the way only while the whole patch is
// applied at once (libgit2's checkout removes before it writes); applied
// one change at a time, the work tree as it is then decides.
std::optional<std::string> refusal(const git_diff_delta* d, const WorkTreeGuard* guard, const PatchLinks& links,
                                   bool whole_patch) {
  const auto& future_links = links.made;
  const auto removed_by_patch = [&](const std::string& p) { return whole_patch && links.removed.contains(p); };
  const bool reads_old = d->status != GIT_DELTA_ADDED && d->status != GIT_DELTA_UNTRACKED;
  const bool writes_new = d->status != GIT_DELTA_DELETED;
  const std::string old_path = d->old_file.path != nullptr ? d->old_file.path : "";
  const std::string new_path = d->new_file.path != nullptr ? d->new_file.path : "";
  if (reads_old) {
    if (auto why = unsafe_patch_path(old_path)) return why;
  }
  if (writes_new) {
    if (auto why = unsafe_patch_path(new_path)) return why;
  }
  if (guard == nullptr) return std::nullopt;
  if (reads_old) {
    if (auto link = guard->linked_parent(old_path)) return *link + " is a symbolic link";
    if (d->old_file.mode != GIT_FILEMODE_LINK && guard->is_link(old_path)) {
      return old_path + " is a symbolic link in the work tree, not the file the change expects";
    }
  }
  if (writes_new) {
    if (auto link = guard->linked_parent(new_path, future_links); link && !removed_by_patch(*link)) {
      return *link + (future_links.contains(*link) ? " becomes a symbolic link in the same patch"
                                                   : " is a symbolic link");
    }
    const bool replaces_own_link = (reads_old && old_path == new_path && d->old_file.mode == GIT_FILEMODE_LINK) ||
                                   removed_by_patch(new_path);
    if (!replaces_own_link && guard->is_link(new_path)) {
      return new_path + " is a symbolic link in the work tree, which the change would write through";
    }
  }
  return std::nullopt;
}

}  // namespace

Result<ApplyReport> PatchApplier::apply(const std::filesystem::path& path, ApplyTarget target,
                                        const Logger& log) const {
  ApplyReport report;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) || std::filesystem::file_size(path, ec) == 0) {
    return report;
  }
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Error(Errc::io, "cannot read " + path.string());

  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo_) < 0) return git_failure("reading the index");
  IndexPtr index(raw_index);
  // Both patches start from HEAD, which the index still matches here.
  const std::string patch = normalize_git_patch(text, [&](const std::string& p) -> std::optional<unsigned> {
    const git_index_entry* e = git_index_get_bypath(index.get(), p.c_str(), 0);
    if (e == nullptr) return std::nullopt;
    return e->mode;
  });
  auto parsed = parse_file_by_file(patch, target, report, log);
  if (!parsed) return std::move(parsed).error().context(path.string());
  DiffPtr diff = std::move(*parsed);
  const size_t n = git_diff_num_deltas(diff.get());
  if (n == 0) return report;
  const bool worktree = target == ApplyTarget::worktree;
  const git_apply_location_t location = worktree ? GIT_APPLY_LOCATION_WORKDIR : GIT_APPLY_LOCATION_INDEX;
  const char* what = worktree ? "work-tree" : "staged";
  std::optional<WorkTreeGuard> guard;
  if (worktree) {
    auto opened = WorkTreeGuard::open(git_repository_workdir(repo_));
    if (!opened) return std::move(opened).error();
    guard.emplace(std::move(*opened));
  }
  const PatchLinks links{links_made_by(diff.get()), links_removed_by(diff.get())};
  auto refuse = [&](size_t i, bool whole_patch) {
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    auto why = refusal(delta, guard ? &*guard : nullptr, links, whole_patch);
    if (!why) return false;
    log.warn("restore.unsafe_path", std::string("refused the saved ") + what + " change to " +
                                        quote_path_if_needed(delta_path(delta)) + ": " + *why);
    report.rejected.push_back(delta_path(delta));
    return true;
  };
  std::vector<bool> refused(n, false);
  std::vector<size_t> gitlinks;
  size_t allowed = 0;
  for (size_t i = 0; i < n; ++i) {
    refused[i] = refuse(i, true);
    if (!refused[i] && is_gitlink(git_diff_get_delta(diff.get(), i))) {
      refused[i] = true;
      gitlinks.push_back(i);
    }
    if (!refused[i]) ++allowed;
  }
  if (!gitlinks.empty()) {
    if (worktree) {
      log.info("restore.submodule_skipped", std::to_string(gitlinks.size()) +
                                                " saved work-tree change(s) of submodules not applied: a "
                                                "submodule's checkout is its own repository's");
    } else {
      WS_TRY(apply_gitlinks(repo_, diff.get(), gitlinks));
      report.applied += gitlinks.size();
    }
  }
  if (allowed == 0) return report;

  // All at once first (one checkout); file by file only when that fails.
  DeltaFilter all{&refused, std::nullopt, 0};
  git_apply_options all_opts = filtered(all);
  if (git_apply(repo_, diff.get(), location, &all_opts) == 0) {
    report.applied = allowed;
    return report;
  }
  for (size_t i = 0; i < n; ++i) {
    if (refused[i]) continue;
    // An earlier change may have made a link on this one's way.
    if (worktree && refuse(i, false)) continue;
    DeltaFilter only{nullptr, i, 0};
    git_apply_options opts = filtered(only);
    if (git_apply(repo_, diff.get(), location, &opts) == 0) {
      ++report.applied;
      continue;
    }
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    const git_error* e = git_error_last();
    const std::string reason = e != nullptr && e->message ? e->message : "unknown";
    if (worktree && delta->old_file.mode == GIT_FILEMODE_LINK &&
        apply_symlink_change(repo_, diff.get(), i, *guard)) {
      ++report.applied;
      continue;
    }
    const std::string file = delta_path(delta);
    log.warn("restore.patch_rejected", std::string("could not apply the saved ") + what + " change to " +
                                           quote_path_if_needed(file) + ": " + reason);
    report.rejected.push_back(file);
  }
  return report;
}

}  // namespace ws::git
