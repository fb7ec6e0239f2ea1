#include "git/patch_applier.hpp"

#include <fstream>
#include <iterator>
#include <system_error>

#include "git/libgit2.hpp"
#include "git/patch_sections.hpp"
#include "git/patch_text.hpp"

namespace ws::git {

namespace {

struct OnlyDelta {
  size_t wanted = 0;
  size_t seen = 0;
};

// git_apply's delta filter: apply the `wanted`-th delta, skip the others.
int only_one_delta(const git_diff_delta*, void* payload) {
  auto& only = *static_cast<OnlyDelta*>(payload);
  return only.seen++ == only.wanted ? 0 : 1;
}

// libgit2 1.5 reads a work-tree symlink's preimage through the link, so a
// saved change to an existing symlink never matches there. The work-tree
// patch starts at HEAD, so such a change is replayed onto HEAD's tree in
// memory and the resulting entry written to the work tree here.
Status apply_symlink_change(git_repository* repo, git_diff* diff, size_t i) {
  git_object* raw_tree = nullptr;
  if (git_revparse_single(&raw_tree, repo, "HEAD^{tree}") < 0) return git_failure("reading HEAD");
  ObjectPtr tree(raw_tree);
  OnlyDelta only{i, 0};
  git_apply_options opts = GIT_APPLY_OPTIONS_INIT;
  opts.delta_cb = only_one_delta;
  opts.payload = &only;
  git_index* raw_post = nullptr;
  if (git_apply_to_tree(&raw_post, repo, reinterpret_cast<git_tree*>(tree.get()), diff, &opts) < 0) {
    return git_failure("applying a symlink change");
  }
  IndexPtr post(raw_post);
  const git_diff_delta* d = git_diff_get_delta(diff, i);
  const std::filesystem::path workdir = git_repository_workdir(repo);
  std::error_code ec;
  std::filesystem::remove(workdir / d->old_file.path, ec);
  if (d->status == GIT_DELTA_DELETED) return {};
  const git_index_entry* e = git_index_get_bypath(post.get(), d->new_file.path, 0);
  if (e == nullptr) return Error(Errc::git, std::string("no result for ") + d->new_file.path);
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repo, &e->id) < 0) return git_failure("reading a blob");
  BlobPtr blob(raw_blob);
  const std::string content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                            static_cast<size_t>(git_blob_rawsize(blob.get())));
  const std::filesystem::path target = workdir / d->new_file.path;
  std::filesystem::create_directories(target.parent_path(), ec);
  std::filesystem::remove(target, ec);
  if (e->mode == GIT_FILEMODE_LINK) {
    std::filesystem::create_symlink(content, target, ec);
  } else {
    std::ofstream(target, std::ios::binary) << content;
    std::filesystem::permissions(target, e->mode == GIT_FILEMODE_BLOB_EXECUTABLE
                                             ? std::filesystem::perms(0755) : std::filesystem::perms(0644), ec);
  }
  if (ec) return Error(Errc::io, "writing " + target.string() + ": " + ec.message());
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
  const git_apply_location_t location =
      target == ApplyTarget::worktree ? GIT_APPLY_LOCATION_WORKDIR : GIT_APPLY_LOCATION_INDEX;

  // All at once first (one checkout); file by file only when that fails.
  if (git_apply(repo_, diff.get(), location, nullptr) == 0) {
    report.applied = n;
    return report;
  }
  for (size_t i = 0; i < n; ++i) {
    OnlyDelta only{i, 0};
    git_apply_options opts = GIT_APPLY_OPTIONS_INIT;
    opts.delta_cb = only_one_delta;
    opts.payload = &only;
    if (git_apply(repo_, diff.get(), location, &opts) == 0) {
      ++report.applied;
      continue;
    }
    const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
    if (target == ApplyTarget::worktree && delta->old_file.mode == GIT_FILEMODE_LINK &&
        apply_symlink_change(repo_, diff.get(), i)) {
      ++report.applied;
      continue;
    }
    const std::string file = delta_path(delta);
    const git_error* e = git_error_last();
    log.warn("restore.patch_rejected",
             "could not apply the saved " +
                 std::string(target == ApplyTarget::worktree ? "work-tree" : "staged") +
                 " change to " + file + ": " + (e != nullptr && e->message ? e->message : "unknown"));
    report.rejected.push_back(file);
  }
  return report;
}

}  // namespace ws::git
