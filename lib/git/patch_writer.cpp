#include "git/patch_writer.hpp"

#include <cstdio>
#include <memory>

#include "git/libgit2.hpp"

namespace ws::git {

namespace {

using FilePtr = std::unique_ptr<FILE, decltype([](FILE* f) { std::fclose(f); })>;

// HEAD's tree, or null for a repository without commits (diffs then start
// from the empty tree).
Result<TreePtr> head_tree(git_repository* repo) {
  git_object* raw = nullptr;
  const int rc = git_revparse_single(&raw, repo, "HEAD^{tree}");
  if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) return TreePtr();
  if (rc < 0) return git_failure("reading HEAD");
  return TreePtr(reinterpret_cast<git_tree*>(raw));
}

git_diff_options base_options() {
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  // Full object names on every index line and binary hunks: what `git
  // apply` needs to replay a binary change.
  opts.flags = GIT_DIFF_SHOW_BINARY | GIT_DIFF_INCLUDE_TYPECHANGE;
  return opts;
}

Status find_renames(git_diff* diff) {
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(diff, &find) < 0) return git_failure("detecting renames");
  return {};
}

int print_line(const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line,
               void* payload) {
  FILE* out = static_cast<FILE*>(payload);
  if (line->origin == GIT_DIFF_LINE_CONTEXT || line->origin == GIT_DIFF_LINE_ADDITION ||
      line->origin == GIT_DIFF_LINE_DELETION) {
    if (std::fputc(line->origin, out) == EOF) return -1;
  }
  if (line->content_len > 0 && std::fwrite(line->content, 1, line->content_len, out) != line->content_len) {
    return -1;
  }
  return 0;
}

Status write_diff(git_diff* diff, const std::filesystem::path& path) {
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) return Error(Errc::io, "cannot write " + path.string());
  if (git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, print_line, file.get()) < 0) {
    return git_failure("writing " + path.string());
  }
  if (std::fflush(file.get()) != 0 || std::ferror(file.get()) != 0) {
    return Error(Errc::io, "writing " + path.string());
  }
  return {};
}

}  // namespace

Status PatchWriter::write_worktree_patch(const std::filesystem::path& path) const {
  auto tree = head_tree(repo_);
  if (!tree) return std::move(tree).error();
  git_diff_options opts = base_options();
  opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  // A submodule's own state is its repository's business, not this patch's.
  opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_workdir_with_index(&raw, repo_, tree->get(), &opts) < 0) {
    return git_failure("comparing HEAD with the work tree");
  }
  DiffPtr diff(raw);
  WS_TRY(find_renames(diff.get()));
  return write_diff(diff.get(), path);
}

Status PatchWriter::write_index_patch(const std::filesystem::path& path) const {
  auto tree = head_tree(repo_);
  if (!tree) return std::move(tree).error();
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo_) < 0) return git_failure("reading the index");
  IndexPtr index(raw_index);
  git_diff_options opts = base_options();
  git_diff* raw = nullptr;
  if (git_diff_tree_to_index(&raw, repo_, tree->get(), index.get(), &opts) < 0) {
    return git_failure("comparing HEAD with the index");
  }
  DiffPtr diff(raw);
  WS_TRY(find_renames(diff.get()));
  return write_diff(diff.get(), path);
}

}  // namespace ws::git
