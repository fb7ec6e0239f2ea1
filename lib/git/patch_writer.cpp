#include "git/patch_writer.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "git/index_state.hpp"
#include "git/large_file_patch.hpp"
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
  // A binary file renamed, copied or re-moded without a content change, or
  // an empty one (`binary` attribute) added or deleted: libgit2 adds
  // "Binary files a/x and b/y differ", which `git apply` refuses (it wants
  // data it does not need); git writes no body at all.
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

// No side of the change has bytes: an empty file (or nothing) on both.
bool empty_on_both_sides(const git_diff_delta* d) {
  git_oid empty_blob;
  git_oid_fromstr(&empty_blob, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  const auto empty = [&](const git_diff_file& f) {
    return (f.flags & GIT_DIFF_FLAG_VALID_ID) != 0 &&
           (git_oid_is_zero(&f.id) != 0 || git_oid_equal(&f.id, &empty_blob) != 0);
  };
  return empty(d->old_file) && empty(d->new_file);
}

// The change has no bytes to carry: the content is the same on both sides
// (a rename, copy or mode change) or empty on both (an empty file added or
// deleted).
bool no_content_change(const git_diff_delta* d) {
  const bool same = (d->old_file.flags & GIT_DIFF_FLAG_VALID_ID) != 0 &&
                    (d->new_file.flags & GIT_DIFF_FLAG_VALID_ID) != 0 &&
                    git_oid_equal(&d->old_file.id, &d->new_file.id) != 0;
  return same || empty_on_both_sides(d);
}

// One file's change: delta `index` of `diff`.
struct Entry {
  git_diff* diff;
  size_t index;
};

// Deletions first: a path whose type changed (file <-> symlink, file <->
// directory) is a deletion and an addition of the same or a nested path,
// and libgit2 lists the addition first, which an applier refuses (the path
// still exists).
std::vector<Entry> print_order(const std::vector<Entry>& entries) {
  std::vector<Entry> order;
  order.reserve(entries.size());
  for (const bool deletions : {true, false}) {
    for (const auto& e : entries) {
      if ((git_diff_get_delta(e.diff, e.index)->status == GIT_DELTA_DELETED) == deletions) order.push_back(e);
    }
  }
  return order;
}

std::vector<Entry> all_of(git_diff* diff) {
  std::vector<Entry> out;
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) out.push_back({diff, i});
  return out;
}

// libgit2 1.5.1 frees a static buffer when a patch of an empty work-tree
// file that has a filter (`text`, `eol` attributes) is freed: the process
// aborts. Such a patch is left allocated instead (a few hundred bytes, only
// for those files); libgit2 1.6 fixed the loader.
bool hits_empty_filtered_file_bug(git_repository* repo, const git_diff_delta* d) {
  if (d->new_file.size != 0 || d->status == GIT_DELTA_DELETED) return false;
  git_filter_list* filters = nullptr;
  if (git_filter_list_load(&filters, repo, nullptr, d->new_file.path, GIT_FILTER_TO_ODB, 0) < 0) return true;
  const bool filtered = filters != nullptr;
  git_filter_list_free(filters);
  return filtered;
}

// A large new work-tree file that git stores as it is (no filter): its
// change is written while the file is read (large_file_patch.hpp) instead
// of by libgit2, which holds the whole patch in memory. Returns whether it
// was.
Result<bool> stream_if_large(git_repository* repo, const git_diff_delta* d, FILE* out) {
  if ((d->status != GIT_DELTA_UNTRACKED && d->status != GIT_DELTA_ADDED) ||
      (d->new_file.mode != GIT_FILEMODE_BLOB && d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE)) {
    return false;
  }
  const std::filesystem::path file = std::filesystem::path(git_repository_workdir(repo)) / d->new_file.path;
  struct stat st{};
  if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) < kStreamedFileSize) {
    return false;
  }
  git_filter_list* filters = nullptr;
  if (git_filter_list_load(&filters, repo, nullptr, d->new_file.path, GIT_FILTER_TO_ODB, 0) < 0) return false;
  const bool filtered = filters != nullptr;
  git_filter_list_free(filters);
  if (filtered) return false;
  git_oid id;
  if (git_odb_hashfile(&id, file.c_str(), GIT_OBJECT_BLOB) < 0) return git_failure(std::string("hashing ") + d->new_file.path);
  WS_TRY(write_new_file_patch(out, d->new_file.path, file,
                              (st.st_mode & 0111) != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB, id));
  return true;
}

Status write_entries(const std::vector<Entry>& entries, const std::filesystem::path& path,
                     git_repository* workdir_repo = nullptr) {
  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) return Error(Errc::io, "cannot write " + path.string());
  for (const auto& [diff, i] : print_order(entries)) {
    if (workdir_repo != nullptr) {
      auto streamed = stream_if_large(workdir_repo, git_diff_get_delta(diff, i), file.get());
      if (!streamed) return std::move(streamed).error();
      if (*streamed) continue;
    }
    git_patch* raw = nullptr;
    if (git_patch_from_diff(&raw, diff, i) < 0) return git_failure("diffing for " + path.string());
    if (raw == nullptr) continue;  // unchanged
    PatchPtr patch(raw);
    const git_diff_delta* delta = git_patch_get_delta(patch.get());
    PrintState state{file.get(),
                     git_patch_num_hunks(patch.get()) == 0 && (delta->flags & GIT_DIFF_FLAG_BINARY) == 0,
                     no_content_change(delta)};
    const bool keep = workdir_repo != nullptr && hits_empty_filtered_file_bug(workdir_repo, delta);
    const int printed = git_patch_print(patch.get(), print_line, &state);
    if (keep) static_cast<void>(patch.release());
    if (printed < 0) return git_failure("writing " + path.string());
  }
  if (std::fflush(file.get()) != 0 || std::ferror(file.get()) != 0) {
    return Error(Errc::io, "writing " + path.string());
  }
  return {};
}

// libgit2's HEAD -> work tree diff leaves out an untracked file at a path
// the index no longer has but HEAD does (`git rm --cached`, `git mv` away,
// then a new file or link there): it reports the path deleted and nothing
// more. Those paths are diffed again, index -> work tree, for the untracked
// files the first diff does not have.
struct Untracked {
  DiffPtr diff;                // null when no path needed a second look
  std::vector<size_t> deltas;  // the missing untracked files in `diff`
};

Result<Untracked> untracked_at_removed_paths(git_repository* repo, git_index* index, git_diff* diff,
                                            const git_diff_options& base) {
  std::set<std::string> present;
  std::vector<std::string> removed;
  for (size_t i = 0; i < git_diff_num_deltas(diff); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_RENAMED) removed.emplace_back(d->old_file.path);
    if (d->status != GIT_DELTA_DELETED) present.insert(d->new_file.path);
  }
  std::vector<char*> specs;
  for (auto& p : removed) {
    if (present.count(p) == 0) specs.push_back(p.data());
  }
  Untracked out;
  if (specs.empty()) return out;
  git_diff_options opts = base;
  opts.pathspec = {specs.data(), specs.size()};
  git_diff* raw = nullptr;
  if (git_diff_index_to_workdir(&raw, repo, index, &opts) < 0) {
    return git_failure("comparing the index with the work tree");
  }
  out.diff.reset(raw);
  for (size_t i = 0; i < git_diff_num_deltas(raw); ++i) {
    const git_diff_delta* d = git_diff_get_delta(raw, i);
    if (d->status == GIT_DELTA_UNTRACKED && present.count(d->new_file.path) == 0) out.deltas.push_back(i);
  }
  return out;
}

// The repository's index as the patches see it (index_state.hpp): what
// they cannot carry (conflicts, flags, intents to add) is recorded apart.
Result<IndexPtr> plain_index(git_repository* repo, git_tree* head) {
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return git_failure("reading the index");
  IndexPtr index(raw);
  return plain_index_copy(index.get(), head);
}

}  // namespace

Status PatchWriter::write_worktree_patch(const std::filesystem::path& path) const {
  auto tree = head_tree(repo_);
  if (!tree) return std::move(tree).error();
  auto index = plain_index(repo_, tree->get());
  if (!index) return std::move(index).error();
  git_diff_options opts = base_options();
  opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  // A submodule's own state is its repository's business, not this patch's.
  opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
  // HEAD -> work tree through the plain index, as
  // git_diff_tree_to_workdir_with_index does through the repository's.
  git_diff* raw = nullptr;
  if (git_diff_tree_to_index(&raw, repo_, tree->get(), index->get(), &opts) < 0) {
    return git_failure("comparing HEAD with the index");
  }
  DiffPtr diff(raw);
  if (git_diff_index_to_workdir(&raw, repo_, index->get(), &opts) < 0) {
    return git_failure("comparing the index with the work tree");
  }
  DiffPtr to_workdir(raw);
  if (git_diff_merge(diff.get(), to_workdir.get()) < 0) return git_failure("comparing HEAD with the work tree");
  WS_TRY(find_renames(diff.get()));
  auto extra = untracked_at_removed_paths(repo_, index->get(), diff.get(), opts);
  if (!extra) return std::move(extra).error();
  std::vector<Entry> entries = all_of(diff.get());
  for (const size_t i : extra->deltas) entries.push_back({extra->diff.get(), i});
  return write_entries(entries, path, repo_);
}

Status PatchWriter::write_index_patch(const std::filesystem::path& path) const {
  auto tree = head_tree(repo_);
  if (!tree) return std::move(tree).error();
  auto index = plain_index(repo_, tree->get());
  if (!index) return std::move(index).error();
  git_diff_options opts = base_options();
  git_diff* raw = nullptr;
  if (git_diff_tree_to_index(&raw, repo_, tree->get(), index->get(), &opts) < 0) {
    return git_failure("comparing HEAD with the index");
  }
  DiffPtr diff(raw);
  WS_TRY(find_renames(diff.get()));
  return write_entries(all_of(diff.get()), path);
}

}  // namespace ws::git
