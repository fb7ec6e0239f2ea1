#include "git/index_state.hpp"

#include <map>

#include <boost/json.hpp>

#include "git/worktree_guard.hpp"

namespace ws::git {

namespace json = boost::json;

namespace {

constexpr const char* kEmptyBlob = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";

bool intent_to_add(const git_index_entry* e) { return (e->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) != 0; }
bool skip_worktree(const git_index_entry* e) { return (e->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0; }
bool assume_unchanged(const git_index_entry* e) { return (e->flags & GIT_INDEX_ENTRY_VALID) != 0; }

StageEntry stage_of(const git_index_entry* e) { return {e->mode, e->id}; }

}  // namespace

Result<IndexState> read_index_state(git_index* index) {
  IndexState state;
  std::map<std::string, ConflictEntry> conflicts;
  for (size_t i = 0; i < git_index_entrycount(index); ++i) {
    const git_index_entry* e = git_index_get_byindex(index, i);
    if (const int stage = git_index_entry_stage(e); stage != 0) {
      auto& c = conflicts[e->path];
      c.path = e->path;
      c.stages[static_cast<size_t>(stage - 1)] = stage_of(e);
      continue;
    }
    if (intent_to_add(e) || skip_worktree(e) || assume_unchanged(e)) {
      state.flagged.push_back({e->path, e->mode, assume_unchanged(e), skip_worktree(e), intent_to_add(e)});
    }
  }
  for (auto& [path, c] : conflicts) state.conflicts.push_back(std::move(c));
  return state;
}

Result<IndexPtr> plain_index_copy(git_index* index, git_tree* head) {
  git_index* raw = nullptr;
  if (git_index_new(&raw) < 0) return git_failure("creating an index");
  IndexPtr copy(raw);
  std::string last_conflict;
  for (size_t i = 0; i < git_index_entrycount(index); ++i) {
    const git_index_entry* e = git_index_get_byindex(index, i);
    if (git_index_entry_stage(e) != 0) {
      if (e->path == last_conflict) continue;
      last_conflict = e->path;
      git_tree_entry* raw_entry = nullptr;
      if (head == nullptr || git_tree_entry_bypath(&raw_entry, head, e->path) < 0) continue;
      Handle<git_tree_entry, git_tree_entry_free> at_head(raw_entry);
      if (git_tree_entry_type(at_head.get()) != GIT_OBJECT_BLOB) continue;
      git_index_entry plain{};
      plain.path = e->path;
      plain.mode = git_tree_entry_filemode(at_head.get());
      plain.id = *git_tree_entry_id(at_head.get());
      if (git_index_add(copy.get(), &plain) < 0) return git_failure(std::string("copying the index entry of ") + e->path);
      continue;
    }
    if (intent_to_add(e)) continue;
    git_index_entry plain = *e;
    plain.flags &= ~GIT_INDEX_ENTRY_VALID;
    plain.flags_extended &= ~GIT_INDEX_ENTRY_EXTENDED_FLAGS;
    if (git_index_add(copy.get(), &plain) < 0) return git_failure(std::string("copying the index entry of ") + e->path);
  }
  return copy;
}

Status apply_index_state(git_repository* repo, const IndexState& state, std::vector<std::string>& skipped) {
  if (state.empty()) return {};
  git_index* raw = nullptr;
  if (git_repository_index(&raw, repo) < 0) return git_failure("reading the index");
  IndexPtr index(raw);
  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return git_failure("opening the object database");
  OdbPtr odb(raw_odb);
  for (const auto& c : state.conflicts) {
    if (unsafe_patch_path(c.path)) {
      skipped.push_back(c.path);
      continue;
    }
    std::array<git_index_entry, 3> entries{};
    std::array<const git_index_entry*, 3> sides{};
    bool complete = true;
    for (size_t s = 0; s < 3; ++s) {
      if (!c.stages[s]) continue;
      complete = complete && git_odb_exists(odb.get(), &c.stages[s]->id) == 1;
      entries[s].path = c.path.c_str();
      entries[s].mode = c.stages[s]->mode;
      entries[s].id = c.stages[s]->id;
      sides[s] = &entries[s];
    }
    if (!complete) {
      skipped.push_back(c.path);
      continue;
    }
    git_index_remove(index.get(), c.path.c_str(), 0);
    if (git_index_conflict_add(index.get(), sides[0], sides[1], sides[2]) < 0) {
      return git_failure("recording the conflict of " + c.path);
    }
  }
  for (const auto& f : state.flagged) {
    if (unsafe_patch_path(f.path)) {
      skipped.push_back(f.path);
      continue;
    }
    git_index_entry entry{};
    if (f.intent_to_add) {
      entry.path = f.path.c_str();
      entry.mode = f.mode;
      git_oid_fromstr(&entry.id, kEmptyBlob);
    } else {
      const git_index_entry* at = git_index_get_bypath(index.get(), f.path.c_str(), 0);
      if (at == nullptr) {
        skipped.push_back(f.path);
        continue;
      }
      entry = *at;
    }
    if (f.assume_unchanged) entry.flags |= GIT_INDEX_ENTRY_VALID;
    if (f.skip_worktree) entry.flags_extended |= GIT_INDEX_ENTRY_SKIP_WORKTREE;
    if (f.intent_to_add) entry.flags_extended |= GIT_INDEX_ENTRY_INTENT_TO_ADD;
    if (git_index_add(index.get(), &entry) < 0) return git_failure("recording the index flags of " + f.path);
  }
  if (git_index_write(index.get()) < 0) return git_failure("writing the index");
  return {};
}

json::value to_json_value(const IndexState& state) {
  json::array conflicts;
  for (const auto& c : state.conflicts) {
    json::array stages;
    for (size_t s = 0; s < 3; ++s) {
      if (!c.stages[s]) continue;
      stages.push_back(json::object{{"stage", s + 1},
                                    {"mode", c.stages[s]->mode},
                                    {"oid", oid_hex(c.stages[s]->id)}});
    }
    conflicts.push_back(json::object{{"path", c.path}, {"stages", std::move(stages)}});
  }
  json::array flagged;
  for (const auto& f : state.flagged) {
    json::array flags;
    if (f.assume_unchanged) flags.emplace_back("assume-unchanged");
    if (f.skip_worktree) flags.emplace_back("skip-worktree");
    if (f.intent_to_add) flags.emplace_back("intent-to-add");
    flagged.push_back(json::object{{"path", f.path}, {"mode", f.mode}, {"flags", std::move(flags)}});
  }
  return json::object{{"conflicts", std::move(conflicts)}, {"flagged", std::move(flagged)}};
}

namespace {

std::optional<unsigned> file_mode(const json::object& o) {
  const auto* m = o.if_contains("mode");
  if (m == nullptr || !m->is_number()) return std::nullopt;
  boost::system::error_code ec;
  const auto mode = m->to_number<unsigned>(ec);
  if (ec) return std::nullopt;
  for (const git_filemode_t known : {GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE, GIT_FILEMODE_LINK,
                                     GIT_FILEMODE_COMMIT}) {
    if (mode == static_cast<unsigned>(known)) return mode;
  }
  return std::nullopt;
}

std::optional<std::string> path_of(const json::object& o) {
  const auto* p = o.if_contains("path");
  if (p == nullptr || !p->is_string() || p->as_string().empty()) return std::nullopt;
  return std::string(p->as_string());
}

}  // namespace

IndexState index_state_from_json(const json::value& v) {
  IndexState state;
  if (!v.is_object()) return state;
  const auto& o = v.as_object();
  if (const auto* cs = o.if_contains("conflicts"); cs != nullptr && cs->is_array()) {
    for (const auto& cv : cs->as_array()) {
      if (!cv.is_object()) continue;
      const auto path = path_of(cv.as_object());
      const auto* stages = cv.as_object().if_contains("stages");
      if (!path || stages == nullptr || !stages->is_array()) continue;
      ConflictEntry c{*path, {}};
      for (const auto& sv : stages->as_array()) {
        if (!sv.is_object()) continue;
        const auto& so = sv.as_object();
        const auto* stage = so.if_contains("stage");
        const auto* oid = so.if_contains("oid");
        const auto mode = file_mode(so);
        git_oid id;
        if (stage == nullptr || !stage->is_number() || oid == nullptr || !oid->is_string() || !mode ||
            oid->as_string().size() != GIT_OID_HEXSZ || git_oid_fromstr(&id, oid->as_string().c_str()) < 0) {
          continue;
        }
        boost::system::error_code ec;
        const auto n = stage->to_number<unsigned>(ec);
        if (ec || n < 1 || n > 3) continue;
        c.stages[n - 1] = StageEntry{*mode, id};
      }
      state.conflicts.push_back(std::move(c));
    }
  }
  if (const auto* fs = o.if_contains("flagged"); fs != nullptr && fs->is_array()) {
    for (const auto& fv : fs->as_array()) {
      if (!fv.is_object()) continue;
      const auto path = path_of(fv.as_object());
      const auto mode = file_mode(fv.as_object());
      const auto* flags = fv.as_object().if_contains("flags");
      if (!path || !mode || flags == nullptr || !flags->is_array()) continue;
      FlaggedEntry f{*path, *mode};
      for (const auto& flag : flags->as_array()) {
        if (!flag.is_string()) continue;
        f.assume_unchanged |= flag.as_string() == "assume-unchanged";
        f.skip_worktree |= flag.as_string() == "skip-worktree";
        f.intent_to_add |= flag.as_string() == "intent-to-add";
      }
      state.flagged.push_back(std::move(f));
    }
  }
  return state;
}

}  // namespace ws::git
