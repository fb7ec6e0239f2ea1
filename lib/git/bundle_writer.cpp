#include "git/bundle_writer.hpp"

#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "git/libgit2.hpp"
#include "git/stdio_file.hpp"
#include "git/pack_reuse.hpp"

namespace ws::git {

namespace {

struct PackSink {
  FILE* file = nullptr;
  const Logger* log = nullptr;
};

int write_pack_chunk(void* data, size_t size, void* payload) {
  auto& sink = *static_cast<PackSink*>(payload);
  if (std::fwrite(data, 1, size, sink.file) != size) return -1;
  return 0;
}

int on_pack_progress(int stage, uint32_t current, uint32_t total, void* payload) {
  const auto& sink = *static_cast<PackSink*>(payload);
  Progress p;
  p.phase = stage == GIT_PACKBUILDER_ADDING_OBJECTS ? "bundle-objects" : "bundle-deltas";
  p.files_done = current;
  p.files_total = total;
  sink.log->progress(p);
  return 0;
}

// Adds the objects reachable from `oid`: tag objects themselves, commits to
// the walk (history), anything else recursively.
Status add_tip(git_repository* repo, git_packbuilder* pb, git_revwalk* walk, const git_oid& tip,
               std::set<std::string>& seen) {
  git_oid id = tip;
  while (true) {
    if (!seen.insert(oid_hex(id)).second) return {};
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY) < 0) {
      return git_failure("reading object " + oid_hex(id));
    }
    ObjectPtr obj(raw);
    switch (git_object_type(obj.get())) {
      case GIT_OBJECT_TAG:
        if (git_packbuilder_insert(pb, &id, nullptr) < 0) return git_failure("packing a tag");
        id = *git_tag_target_id(reinterpret_cast<git_tag*>(obj.get()));
        continue;
      case GIT_OBJECT_COMMIT:
        if (git_revwalk_push(walk, &id) < 0) return git_failure("walking history");
        return {};
      default:
        if (git_packbuilder_insert_recur(pb, &id, nullptr) < 0) return git_failure("packing a tree");
        return {};
    }
  }
}

}  // namespace

Result<BundleHeader> BundleWriter::header() const {
  BundleHeader header;
  git_oid head;
  // HEAD first, as `git bundle create --all` lists it.
  if (git_reference_name_to_id(&head, repo_, "HEAD") == 0) {
    header.refs.push_back({oid_hex(head), "HEAD"});
  }
  git_reference_iterator* raw_it = nullptr;
  if (git_reference_iterator_new(&raw_it, repo_) < 0) return git_failure("listing refs");
  ReferenceIteratorPtr it(raw_it);
  git_reference* raw_ref = nullptr;
  int rc;
  while ((rc = git_reference_next(&raw_ref, it.get())) == 0) {
    ReferencePtr ref(raw_ref);
    const std::string name = git_reference_name(ref.get());
    // Only what `git bundle create --all` carries: refs under refs/ that
    // resolve to an object (stash and notes included).
    if (name.rfind("refs/", 0) != 0) continue;
    git_reference* raw_resolved = nullptr;
    if (git_reference_resolve(&raw_resolved, ref.get()) < 0) continue;  // dangling symref
    ReferencePtr resolved(raw_resolved);
    header.refs.push_back({oid_hex(*git_reference_target(resolved.get())), name});
  }
  if (rc != GIT_ITEROVER) return git_failure("listing refs");
  header.refs.insert(header.refs.end(), extra_.begin(), extra_.end());
  return header;
}

Status BundleWriter::write(const std::filesystem::path& path, const Logger& log) const {
  auto header = this->header();
  if (!header) return std::move(header).error();
  if (header->refs.empty()) {
    return Error(Errc::invalid_input, "repository has no refs: nothing to bundle");
  }

  FilePtr file(std::fopen(path.c_str(), "wb"));
  if (!file) return Error(Errc::io, "cannot write " + path.string());
  const std::string text = serialize_bundle_header(*header);
  if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size()) {
    return Error(Errc::io, "writing " + path.string());
  }
  std::vector<git_oid> tips;
  for (const auto& ref : header->refs) {
    git_oid id;
    git_oid_fromstr(&id, ref.oid.c_str());
    tips.push_back(id);
  }
  auto reuse = find_reusable_packs(repo_, tips);
  if (!reuse) return std::move(reuse).error();
  if (*reuse) {
    WS_TRY(write_reused_pack(repo_, **reuse, file.get(), log));
  } else {
    WS_TRY(write_packed_history(*header, file.get(), log));
  }
  if (std::fflush(file.get()) != 0 || std::ferror(file.get()) != 0) {
    return Error(Errc::io, "writing " + path.string());
  }
  log.debug("bundle.written", "bundle " + path.string() + ": " + std::to_string(header->refs.size()) + " refs");
  return {};
}

Status BundleWriter::write_packed_history(const BundleHeader& header, FILE* file, const Logger& log) const {
  git_packbuilder* raw_pb = nullptr;
  if (git_packbuilder_new(&raw_pb, repo_) < 0) return git_failure("creating a pack");
  PackbuilderPtr pb(raw_pb);
  git_packbuilder_set_threads(pb.get(), 0);  // one per online CPU
  git_revwalk* raw_walk = nullptr;
  if (git_revwalk_new(&raw_walk, repo_) < 0) return git_failure("walking history");
  RevwalkPtr walk(raw_walk);
  std::set<std::string> seen;
  for (const auto& ref : header.refs) {
    git_oid id;
    git_oid_fromstr(&id, ref.oid.c_str());
    WS_TRY(add_tip(repo_, pb.get(), walk.get(), id, seen));
  }
  if (git_packbuilder_insert_walk(pb.get(), walk.get()) < 0) return git_failure("packing history");
  PackSink sink{file, &log};
  if (log.wants_progress()) git_packbuilder_set_callbacks(pb.get(), on_pack_progress, &sink);
  if (git_packbuilder_foreach(pb.get(), write_pack_chunk, &sink) < 0) {
    return git_failure("writing the bundle's pack");
  }
  return {};
}

}  // namespace ws::git
