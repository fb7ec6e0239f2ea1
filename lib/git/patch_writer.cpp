#include "git/patch_writer.hpp"

#include <cstdio>
#include <memory>
#include <string_view>
#include <vector>

#include "git/libgit2.hpp"
#include "git/stdio_file.hpp"

namespace ws::git {

namespace {

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
  // apply` needs to replay a binary change. No GIT_DIFF_INCLUDE_TYPECHANGE:
  // libgit2 prints a type change (file <-> symlink) as a mode change with an
  // empty body, which no parser accepts; without it the change is a
  // deletion plus an addition, as git writes it.
  opts.flags = GIT_DIFF_SHOW_BINARY;
  opts.id_abbrev = GIT_OID_HEXSZ;
  return opts;
}

Status find_renames(git_diff* diff) {
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = GIT_DIFF_FIND_RENAMES;
  if (git_diff_find_similar(diff, &find) < 0) return git_failure("detecting renames");
  return {};
}

struct PrintState {
  FILE* out = nullptr;
  // git writes no "---"/"+++" lines for a file change without hunks (an
  // empty new file, a pure mode change); libgit2 does, and neither `git
  // apply` nor libgit2's own parser accept that form back.
  bool drop_path_lines = false;
  // A binary file renamed, copied or re-moded without a content change:
  // libgit2 adds "Binary files a/x and b/y differ", which `git apply`
  // refuses (it wants data it does not need); git writes no body at all.
  bool drop_binary = false;
};

bool put(FILE* out, std::string_view s) { return std::fwrite(s.data(), 1, s.size(), out) == s.size(); }

int print_line(const git_diff_delta*, const git_diff_hunk*, const git_diff_line* line,
               void* payload) {
  const auto& state = *static_cast<PrintState*>(payload);
  const std::string_view content(line->content, line->content_len);
  if (line->origin == GIT_DIFF_LINE_FILE_HDR && state.drop_path_lines) {
    for (size_t pos = 0; pos < content.size();) {
      size_t nl = content.find('\n', pos);
      nl = nl == std::string_view::npos ? content.size() : nl + 1;
      const std::string_view l = content.substr(pos, nl - pos);
      if (l.rfind("--- ", 0) != 0 && l.rfind("+++ ", 0) != 0 && !put(state.out, l)) return -1;
      pos = nl;
    }
    return 0;
  }
  if (line->origin == GIT_DIFF_LINE_BINARY && state.drop_binary) return 0;
  if (line->origin == GIT_DIFF_LINE_CONTEXT || line->origin == GIT_DIFF_LINE_ADDITION ||
      line->origin == GIT_DIFF_LINE_DELETION) {
    if (std::fputc(line->origin, state.out) == EOF) return -1;
  }
  return put(state.out, content) ? 0 : -1;
}

bool same_content(const git_diff_delta* d) {
  return (d->old_file.flags & GIT_DIFF_FLAG_VALID_ID) != 0 && (d->new_file.flags & GIT_DIFF_FLAG_VALID_ID) != 0 &&
         git_oid_equal(&d->old_file.id, &d->new_file.id) != 0;
}

// Deletions first: a path whose type changed (file <-> symlink, file <->
// directory) is a deletion and an addition of the same or a nested path,
// and libgit2 lists the addition first, which an applier refuses (the path
// still exists).
std::vector<size_t> print_order(git_diff* diff) {
  const size_t n = git_diff_num_deltas(diff);
  std::vector<size_t> order;
  order.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (git_diff_get_delta(diff, i)->status == GIT_DELTA_DELETED) order.push_back(i);
  }
  for (size_t i = 0; i < n; ++i) {
    if (git_diff_get_delta(diff, i)->status != GIT_DELTA_DELETED) order.push_back(i);
  }
  return order;
}

Status write_diff(git_diff* diff, const std::filesystem::path& path) {
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) return Error(Errc::io, "cannot write " + path.string());
  for (const size_t i : print_order(diff)) {
    git_patch* raw = nullptr;
    if (git_patch_from_diff(&raw, diff, i) < 0) return git_failure("diffing for " + path.string());
    if (raw == nullptr) continue;  // unchanged
    PatchPtr patch(raw);
    const git_diff_delta* delta = git_patch_get_delta(patch.get());
    PrintState state{file.get(),
                     git_patch_num_hunks(patch.get()) == 0 && (delta->flags & GIT_DIFF_FLAG_BINARY) == 0,
                     same_content(delta)};
    if (git_patch_print(patch.get(), print_line, &state) < 0) {
      return git_failure("writing " + path.string());
    }
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
