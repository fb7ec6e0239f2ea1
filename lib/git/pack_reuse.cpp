#include "git/pack_reuse.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <unordered_set>

#include "git/libgit2.hpp"
#include "git/stdio_file.hpp"

namespace ws::git {

namespace fs = std::filesystem;

namespace {

constexpr size_t kPackHeader = 12;  // "PACK", version, object count
constexpr size_t kPackTrailer = 20; // SHA-1 of everything before

using EvpCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype([](EVP_MD_CTX* c) { EVP_MD_CTX_free(c); })>;

struct OidHash {
  size_t operator()(const git_oid& id) const noexcept {
    size_t h;
    std::memcpy(&h, id.id, sizeof h);
    return h;
  }
};
struct OidEq {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept { return git_oid_equal(&a, &b) != 0; }
};
using OidSet = std::unordered_set<git_oid, OidHash, OidEq>;

struct Collect {
  OidSet* set;
  bool duplicate = false;
};

int collect_oid(const git_oid* id, void* payload) {
  auto& c = *static_cast<Collect*>(payload);
  if (!c.set->insert(*id).second) c.duplicate = true;
  return 0;
}

// Objects of one backend (a pack, or the loose objects).
Status for_each_object(git_odb_backend* backend, Collect& collect, const std::string& what) {
  git_odb* raw = nullptr;
  if (git_odb_new(&raw) < 0) return git_failure("opening " + what);
  OdbPtr odb(raw);
  if (git_odb_add_backend(odb.get(), backend, 1) < 0) return git_failure("opening " + what);
  if (git_odb_foreach(odb.get(), collect_oid, &collect) < 0) return git_failure("listing " + what);
  return {};
}

// Feeds bytes to the output and the trailer's SHA-1.
class PackOutput {
 public:
  explicit PackOutput(FILE* out) : out_(out), ctx_(EVP_MD_CTX_new()) {
    ok_ = ctx_ && EVP_DigestInit_ex(ctx_.get(), EVP_sha1(), nullptr) == 1;
  }
  bool write(const void* data, size_t n) {
    ok_ = ok_ && std::fwrite(data, 1, n, out_) == n && EVP_DigestUpdate(ctx_.get(), data, n) == 1;
    return ok_;
  }
  bool finish() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    ok_ = ok_ && EVP_DigestFinal_ex(ctx_.get(), digest.data(), &len) == 1 &&
          std::fwrite(digest.data(), 1, len, out_) == len;
    return ok_;
  }

 private:
  FILE* out_;
  EvpCtxPtr ctx_;
  bool ok_ = false;
};

// Copies a pack's entries: everything between its header and its trailer.
Status copy_entries(const fs::path& pack, PackOutput& out) {
  std::error_code ec;
  const auto size = fs::file_size(pack, ec);
  if (ec || size < kPackHeader + kPackTrailer) return Error(Errc::git, "unreadable pack " + pack.string());
  FilePtr in(std::fopen(pack.c_str(), "rb"));
  if (!in || std::fseek(in.get(), static_cast<long>(kPackHeader), SEEK_SET) != 0) {
    return Error(Errc::io, "cannot read " + pack.string());
  }
  std::vector<char> buf(1 << 20);
  uint64_t left = size - kPackHeader - kPackTrailer;
  while (left > 0) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
    if (std::fread(buf.data(), 1, want, in.get()) != want) return Error(Errc::io, "reading " + pack.string());
    if (!out.write(buf.data(), want)) return Error(Errc::io, "writing the bundle's pack");
    left -= want;
  }
  return {};
}

// The packbuilder's stream minus its own header and trailer.
struct EntriesOnly {
  PackOutput* out;
  uint64_t seen = 0;
  std::string tail;  // held back: it may be the trailer
};

int forward_entries(void* data, size_t size, void* payload) {
  auto& e = *static_cast<EntriesOnly*>(payload);
  const char* p = static_cast<const char*>(data);
  if (e.seen < kPackHeader) {
    const size_t skip = static_cast<size_t>(std::min<uint64_t>(size, kPackHeader - e.seen));
    e.seen += skip;
    p += skip;
    size -= skip;
  }
  e.tail.append(p, size);
  if (e.tail.size() > kPackTrailer) {
    const size_t n = e.tail.size() - kPackTrailer;
    if (!e.out->write(e.tail.data(), n)) return -1;
    e.tail.erase(0, n);
  }
  return 0;
}

// The members of `candidates` that `tips` reach. A walk over commits, tags
// and trees (each visited once) that stops as soon as every candidate is
// found; blobs are matched by name, never read.
Result<std::vector<git_oid>> reachable_subset(git_repository* repo, const OidSet& candidates,
                                              const std::vector<git_oid>& tips) {
  std::vector<git_oid> found;
  if (candidates.empty()) return found;
  OidSet visited;
  std::vector<git_oid> stack(tips.begin(), tips.end());
  while (!stack.empty() && found.size() < candidates.size()) {
    const git_oid id = stack.back();
    stack.pop_back();
    if (!visited.insert(id).second) continue;
    if (candidates.count(id) != 0) found.push_back(id);
    git_object* raw = nullptr;
    if (git_object_lookup(&raw, repo, &id, GIT_OBJECT_ANY) < 0) return git_failure("reading object " + oid_hex(id));
    ObjectPtr obj(raw);
    switch (git_object_type(obj.get())) {
      case GIT_OBJECT_COMMIT: {
        const auto* commit = reinterpret_cast<const git_commit*>(obj.get());
        // The tree last, so it is looked at first: new loose objects hang
        // off the newest commits, and the walk stops once it found them all.
        for (unsigned p = 0; p < git_commit_parentcount(commit); ++p) stack.push_back(*git_commit_parent_id(commit, p));
        stack.push_back(*git_commit_tree_id(commit));
        break;
      }
      case GIT_OBJECT_TAG:
        stack.push_back(*git_tag_target_id(reinterpret_cast<const git_tag*>(obj.get())));
        break;
      case GIT_OBJECT_TREE: {
        const auto* tree = reinterpret_cast<const git_tree*>(obj.get());
        for (size_t e = 0; e < git_tree_entrycount(tree); ++e) {
          const git_tree_entry* entry = git_tree_entry_byindex(tree, e);
          const git_oid* eid = git_tree_entry_id(entry);
          switch (git_tree_entry_type(entry)) {
            case GIT_OBJECT_TREE: stack.push_back(*eid); break;
            case GIT_OBJECT_BLOB:
              if (visited.insert(*eid).second && candidates.count(*eid) != 0) found.push_back(*eid);
              break;
            default: break;  // a submodule's commit lives in its own repository
          }
        }
        break;
      }
      default: break;
    }
  }
  return found;
}

}  // namespace

Result<std::optional<ReusablePacks>> find_reusable_packs(git_repository* repo,
                                                         const std::vector<git_oid>& tips) {
  const fs::path objects = fs::path(git_repository_path(repo)) / "objects";
  std::error_code ec;
  if (git_repository_is_shallow(repo) == 1 || fs::exists(objects / "info" / "alternates", ec)) {
    return std::optional<ReusablePacks>();
  }
  ReusablePacks reuse;
  OidSet packed;
  for (const auto& entry : fs::directory_iterator(objects / "pack", ec)) {
    const fs::path p = entry.path();
    if (p.extension() != ".pack" || !fs::exists(fs::path(p).replace_extension(".idx"), ec)) continue;
    git_odb_backend* backend = nullptr;
    if (git_odb_backend_one_pack(&backend, fs::path(p).replace_extension(".idx").c_str()) < 0) {
      return git_failure("opening " + p.string());
    }
    const size_t before = packed.size();
    Collect collect{&packed, false};
    WS_TRY(for_each_object(backend, collect, p.string()));
    if (collect.duplicate) return std::optional<ReusablePacks>();
    reuse.packs.push_back(p);
    reuse.packed_objects += packed.size() - before;
  }
  if (reuse.packs.empty()) return std::optional<ReusablePacks>();

  git_odb_backend* loose_backend = nullptr;
  if (git_odb_backend_loose(&loose_backend, objects.c_str(), -1, 0, 0, 0) < 0) {
    return git_failure("opening the loose objects");
  }
  OidSet loose;
  Collect collect{&loose, false};
  WS_TRY(for_each_object(loose_backend, collect, "the loose objects"));
  // Blobs the index names go in without a walk: what they hold is in the
  // backup anyway (staged.patch), and a commit may reach them too.
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo) < 0) return git_failure("reading the index");
  IndexPtr index(raw_index);
  OidSet staged;
  for (size_t i = 0; i < git_index_entrycount(index.get()); ++i) staged.insert(git_index_get_byindex(index.get(), i)->id);
  OidSet to_walk;
  for (const auto& id : loose) {
    if (packed.count(id) != 0) continue;
    if (staged.count(id) != 0) reuse.loose.push_back(id);
    else to_walk.insert(id);
  }
  auto reachable = reachable_subset(repo, to_walk, tips);
  if (!reachable) return std::move(reachable).error();
  reuse.loose.insert(reuse.loose.end(), reachable->begin(), reachable->end());
  return std::optional<ReusablePacks>(std::move(reuse));
}

Status write_reused_pack(git_repository* repo, const ReusablePacks& reuse, FILE* file,
                         const Logger& log) {
  git_packbuilder* raw_pb = nullptr;
  if (git_packbuilder_new(&raw_pb, repo) < 0) return git_failure("creating a pack");
  PackbuilderPtr pb(raw_pb);
  git_packbuilder_set_threads(pb.get(), 0);
  for (const auto& id : reuse.loose) {
    if (git_packbuilder_insert(pb.get(), &id, nullptr) < 0) return git_failure("packing a loose object");
  }
  const uint64_t total = reuse.packed_objects + git_packbuilder_object_count(pb.get());
  if (total > UINT32_MAX) return Error(Errc::unsupported, "too many objects for one pack");

  PackOutput out(file);
  unsigned char header[kPackHeader] = {'P', 'A', 'C', 'K', 0, 0, 0, 2};
  for (int i = 0; i < 4; ++i) header[8 + i] = static_cast<unsigned char>(total >> (24 - 8 * i));
  if (!out.write(header, sizeof header)) return Error(Errc::io, "writing the bundle's pack");
  for (const auto& pack : reuse.packs) WS_TRY(copy_entries(pack, out));
  if (!reuse.loose.empty()) {
    EntriesOnly entries{&out, 0, {}};
    if (git_packbuilder_foreach(pb.get(), forward_entries, &entries) < 0) {
      return git_failure("packing the loose objects");
    }
  }
  if (!out.finish()) return Error(Errc::io, "writing the bundle's pack");
  log.debug("bundle.reused", "reused " + std::to_string(reuse.packs.size()) + " pack(s) with " +
                                 std::to_string(reuse.packed_objects) + " objects, packed " +
                                 std::to_string(reuse.loose.size()) + " loose objects");
  return {};
}

}  // namespace ws::git
