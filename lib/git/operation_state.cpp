#include "git/operation_state.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include <boost/json.hpp>

#include "git/libgit2.hpp"

namespace ws::git {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using CommitPtr = Handle<git_commit, git_commit_free>;
using SignaturePtr = Handle<git_signature, git_signature_free>;
using TreeEntryPtr = Handle<git_tree_entry, git_tree_entry_free>;

// git's own in-progress files, and the directories of a rebase, `git am`
// and a cherry-pick/revert sequence: the only names restore writes.
constexpr std::array<std::string_view, 10> kStateFiles = {
    "MERGE_HEAD", "MERGE_MSG", "MERGE_MODE", "MERGE_AUTOSTASH", "AUTO_MERGE",
    "ORIG_HEAD",  "CHERRY_PICK_HEAD", "REVERT_HEAD", "REBASE_HEAD", "SQUASH_MSG"};
constexpr std::array<std::string_view, 3> kStateDirs = {"rebase-merge", "rebase-apply", "sequencer"};

// Present but not carried, and why.
struct Left {
  std::string_view name;
  std::string_view why;
};
constexpr std::array<Left, 3> kLeftBehind = {
    Left{"BISECT_START", "a bisect in progress (refs/bisect/*, BISECT_*) is not carried"},
    Left{"MERGE_RR", "rerere's records (MERGE_RR, rr-cache/) are not carried"},
    Left{"rr-cache", "rerere's records (MERGE_RR, rr-cache/) are not carried"}};

constexpr std::string_view kFilesPrefix = "git/";

bool present(const fs::path& p) {
  struct stat st{};
  return ::lstat(p.c_str(), &st) == 0;
}

std::string operation_of(const fs::path& gitdir) {
  if (present(gitdir / "rebase-merge")) return "rebase";
  if (present(gitdir / "rebase-apply")) return present(gitdir / "rebase-apply" / "applying") ? "am" : "rebase";
  if (present(gitdir / "MERGE_HEAD")) return "merge";
  if (present(gitdir / "CHERRY_PICK_HEAD")) return "cherry-pick";
  if (present(gitdir / "REVERT_HEAD")) return "revert";
  if (present(gitdir / "sequencer")) return "sequencer";
  return {};
}

// The in-progress files under `gitdir` (relative names), and the entries
// that are not regular files (not carried).
void list_state_files(const fs::path& gitdir, std::vector<std::string>& files, std::vector<std::string>& odd) {
  for (const auto name : kStateFiles) {
    struct stat st{};
    const fs::path p = gitdir / name;
    if (::lstat(p.c_str(), &st) != 0) continue;
    if (S_ISREG(st.st_mode)) files.emplace_back(name);
    else odd.push_back(std::string(name) + ": not a regular file");
  }
  for (const auto dir : kStateDirs) {
    std::error_code ec;
    if (!fs::is_directory(fs::symlink_status(gitdir / dir, ec))) continue;
    for (auto it = fs::recursive_directory_iterator(gitdir / dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const std::string rel = fs::relative(it->path(), gitdir, ec).generic_string();
      const auto status = it->symlink_status(ec);
      if (fs::is_directory(status)) continue;
      if (fs::is_regular_file(status)) files.push_back(rel);
      else odd.push_back(rel + ": not a regular file");
    }
  }
  std::sort(files.begin(), files.end());
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every full object name in `text` that the repository has.
void named_objects(git_repository* repo, const std::string& text, std::set<std::string>& out) {
  for (size_t i = 0; i + GIT_OID_HEXSZ <= text.size();) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && std::isxdigit(static_cast<unsigned char>(text[end]))) ++end;
    if (end - i == GIT_OID_HEXSZ) {
      git_oid id;
      git_object* raw = nullptr;
      if (git_oid_fromstr(&id, text.substr(i, GIT_OID_HEXSZ).c_str()) == 0 &&
          git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY) == 0) {
        git_object_free(raw);
        out.insert(oid_hex(id));
      }
    }
    i = end;
  }
}

Status add_blob(git_index* index, const std::string& path, const git_oid& id) {
  git_index_entry e{};
  e.path = path.c_str();
  e.mode = GIT_FILEMODE_BLOB;
  e.id = id;
  if (git_index_add(index, &e) < 0) return git_failure("recording " + path + " in the saved state");
  return {};
}

// A tree (AUTO_MERGE) reaches the bundle as a root commit of its own.
Result<git_oid> wrap_tree(git_repository* repo, const git_oid& tree_id, const git_signature* sig) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo, &tree_id) < 0) return git_failure("reading tree " + oid_hex(tree_id));
  TreePtr tree(raw);
  git_oid id;
  if (git_commit_create(&id, repo, nullptr, sig, sig, nullptr, "libworkspace: a tree the operation names", tree.get(),
                        0, nullptr) < 0) {
    return git_failure("saving tree " + oid_hex(tree_id));
  }
  return id;
}

Result<std::string> write_carrier(git_repository* repo, const fs::path& gitdir, const OperationState& state,
                                  const IndexState& index_state) {
  git_index* raw_index = nullptr;
  if (git_index_new(&raw_index) < 0) return git_failure("creating an index");
  IndexPtr index(raw_index);
  std::set<std::string> named;
  for (const auto& rel : state.files) {
    git_oid id;
    if (git_blob_create_from_disk(&id, repo, (gitdir / rel).c_str()) < 0) return git_failure("saving " + rel);
    WS_TRY(add_blob(index.get(), std::string(kFilesPrefix) + rel, id));
    named_objects(repo, read_all(gitdir / rel), named);
  }
  for (const auto& c : index_state.conflicts) {
    for (const auto& s : c.stages) {
      if (s && s->mode != GIT_FILEMODE_COMMIT) named.insert(oid_hex(s->id));
    }
  }
  git_signature* raw_sig = nullptr;
  if (git_signature_new(&raw_sig, "libworkspace", "libworkspace@localhost", 0, 0) < 0) {
    return git_failure("making a signature");
  }
  SignaturePtr sig(raw_sig);
  std::vector<CommitPtr> parents;
  for (const auto& hex : named) {
    git_oid id;
    git_oid_fromstr(&id, hex.c_str());
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY) < 0) continue;
    ObjectPtr object(raw);
    switch (git_object_type(object.get())) {
      case GIT_OBJECT_BLOB: WS_TRY(add_blob(index.get(), "blobs/" + hex, id)); continue;
      case GIT_OBJECT_TREE: {
        auto wrapped = wrap_tree(repo, id, sig.get());
        if (!wrapped) return std::move(wrapped).error();
        id = *wrapped;
        break;
      }
      case GIT_OBJECT_COMMIT: break;
      default: continue;
    }
    git_commit* raw_commit = nullptr;
    if (git_commit_lookup(&raw_commit, repo, &id) < 0) return git_failure("reading commit " + oid_hex(id));
    parents.emplace_back(raw_commit);
  }
  git_oid tree_id;
  if (git_index_write_tree_to(&tree_id, index.get(), repo) < 0) return git_failure("writing the saved state's tree");
  git_tree* raw_tree = nullptr;
  if (git_tree_lookup(&raw_tree, repo, &tree_id) < 0) return git_failure("reading the saved state's tree");
  TreePtr tree(raw_tree);
  std::vector<const git_commit*> parent_ptrs;
  for (const auto& p : parents) parent_ptrs.push_back(p.get());
  git_oid commit_id;
  const std::string message = "libworkspace saved state" + (state.operation.empty() ? "" : ": " + state.operation);
  if (git_commit_create(&commit_id, repo, nullptr, sig.get(), sig.get(), nullptr, message.c_str(), tree.get(),
                        parent_ptrs.size(), parent_ptrs.data()) < 0) {
    return git_failure("writing the saved state's commit");
  }
  return oid_hex(commit_id);
}

// A carried name restore may write: one of git's in-progress files, or a
// file inside one of its in-progress directories, with no "." or ".."
// component on the way.
bool restorable(const std::string& rel) {
  if (std::find(kStateFiles.begin(), kStateFiles.end(), rel) != kStateFiles.end()) return true;
  const auto slash = rel.find('/');
  if (slash == std::string::npos) return false;
  if (std::find(kStateDirs.begin(), kStateDirs.end(), std::string_view(rel).substr(0, slash)) == kStateDirs.end()) {
    return false;
  }
  for (size_t pos = slash + 1; pos <= rel.size();) {
    size_t end = rel.find('/', pos);
    if (end == std::string::npos) end = rel.size();
    const std::string_view part = std::string_view(rel).substr(pos, end - pos);
    if (part.empty() || part == "." || part == "..") return false;
    pos = end + 1;
  }
  return rel.find('\0') == std::string::npos;
}

// Writes `content` to `gitdir`/`rel`, never through a link (the clone is
// fresh: any link on the way was not made by git).
Status write_state_file(const fs::path& gitdir, const std::string& rel, std::string_view content) {
  fs::path at = gitdir;
  const fs::path relative(rel);
  for (auto it = relative.begin(); it != relative.end(); ++it) {
    at /= *it;
    std::error_code ec;
    if (fs::is_symlink(fs::symlink_status(at, ec))) return Error(Errc::unsafe_path, rel + ": a symbolic link is on the way");
  }
  std::error_code ec;
  fs::create_directories(at.parent_path(), ec);
  std::ofstream out(at, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Error(Errc::io, "cannot write " + at.string());
  return {};
}

}  // namespace

Result<OperationState> save_operation_state(git_repository* repo, const IndexState& index) {
  const fs::path gitdir = git_repository_path(repo);
  OperationState state;
  state.operation = operation_of(gitdir);
  for (const auto& left : kLeftBehind) {
    if (present(gitdir / left.name)) state.not_carried.push_back(std::string(left.name) + ": " + std::string(left.why));
  }
  if (state.operation.empty() && index.conflicts.empty()) return state;
  if (!state.operation.empty()) list_state_files(gitdir, state.files, state.not_carried);
  auto carrier = write_carrier(repo, gitdir, state, index);
  if (!carrier) return std::move(carrier).error();
  state.carrier = std::move(*carrier);
  return state;
}

Status restore_operation_state(git_repository* repo, const OperationState& state,
                               std::vector<std::string>& not_restored) {
  if (state.files.empty()) return {};
  git_oid id;
  git_commit* raw_commit = nullptr;
  if (git_oid_fromstr(&id, state.carrier.c_str()) < 0 || git_commit_lookup(&raw_commit, repo, &id) < 0) {
    for (const auto& f : state.files) not_restored.push_back(f + ": the saved state's commit is not in the bundle");
    return {};
  }
  CommitPtr commit(raw_commit);
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, commit.get()) < 0) return git_failure("reading the saved state's tree");
  TreePtr tree(raw_tree);
  const fs::path gitdir = git_repository_path(repo);
  for (const auto& rel : state.files) {
    if (!restorable(rel)) {
      not_restored.push_back(rel + ": not one of git's in-progress files");
      continue;
    }
    git_tree_entry* raw_entry = nullptr;
    git_blob* raw_blob = nullptr;
    if (git_tree_entry_bypath(&raw_entry, tree.get(), (std::string(kFilesPrefix) + rel).c_str()) < 0) {
      not_restored.push_back(rel + ": missing from the saved state");
      continue;
    }
    TreeEntryPtr entry(raw_entry);
    if (git_blob_lookup(&raw_blob, repo, git_tree_entry_id(entry.get())) < 0) {
      not_restored.push_back(rel + ": missing from the saved state");
      continue;
    }
    BlobPtr blob(raw_blob);
    const std::string_view content(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                                   static_cast<size_t>(git_blob_rawsize(blob.get())));
    if (auto st = write_state_file(gitdir, rel, content); !st) not_restored.push_back(rel + ": " + st.error().message);
  }
  return {};
}

json::value to_json_value(const OperationState& state) {
  json::array files(state.files.begin(), state.files.end());
  json::array left(state.not_carried.begin(), state.not_carried.end());
  return json::object{{"operation", state.operation},
                      {"savedState", state.carrier},
                      {"files", std::move(files)},
                      {"notCarried", std::move(left)}};
}

OperationState operation_state_from_json(const json::value& v) {
  OperationState state;
  if (!v.is_object()) return state;
  const auto& o = v.as_object();
  const auto text = [&](std::string_view key) {
    const auto* x = o.if_contains(key);
    return x != nullptr && x->is_string() ? std::string(x->as_string()) : std::string();
  };
  const auto list = [&](std::string_view key, std::vector<std::string>& out) {
    const auto* x = o.if_contains(key);
    if (x == nullptr || !x->is_array()) return;
    for (const auto& e : x->as_array()) {
      if (e.is_string()) out.emplace_back(e.as_string());
    }
  };
  state.operation = text("operation");
  state.carrier = text("savedState");
  list("files", state.files);
  list("notCarried", state.not_carried);
  return state;
}

}  // namespace ws::git
