#include "git/bundle_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <system_error>
#include <vector>

#include "git/libgit2.hpp"

namespace ws::git {

namespace fs = std::filesystem;

namespace {

struct IndexProgress {
  const Logger* log = nullptr;
  std::string item;
};

int on_index_progress(const git_indexer_progress* stats, void* payload) {
  const auto& p = *static_cast<IndexProgress*>(payload);
  Progress out;
  out.phase = "unbundle";
  out.item = p.item;
  out.files_done = stats->indexed_objects;
  out.files_total = stats->total_objects;
  out.bytes_done = stats->received_bytes;
  p.log->progress(out);
  return 0;
}

// A directory removed with its content on scope exit.
struct ScratchDir {
  fs::path path;
  ~ScratchDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

Result<std::ifstream> open(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    return Error(fs::exists(path, ec) ? Errc::io : Errc::not_found,
                 "cannot read bundle " + path.string());
  }
  return in;
}

Status check_prerequisites(git_odb* odb, const BundleHeader& header, const fs::path& bundle) {
  for (const auto& pre : header.prerequisites) {
    git_oid id;
    git_oid_fromstr(&id, pre.c_str());
    if (!git_odb_exists(odb, &id)) {
      return Error(Errc::git, "bundle " + bundle.string() + " needs commit " + pre +
                                  ", which this repository does not have");
    }
  }
  return {};
}

// Feeds the rest of `in` (the pack) to an indexer writing into `dir`; the
// odb lets it complete thin packs from objects the repository already has.
Result<git_indexer_progress> index_pack(std::istream& in, git_odb* odb, const fs::path& dir,
                                        const fs::path& bundle, const Logger& log) {
  IndexProgress progress{&log, bundle.filename().string()};
  git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
  if (log.wants_progress()) {
    opts.progress_cb = on_index_progress;
    opts.progress_cb_payload = &progress;
  }
  git_indexer* raw_idx = nullptr;
  if (git_indexer_new(&raw_idx, dir.c_str(), 0, odb, &opts) < 0) {
    return git_failure("indexing bundle " + bundle.string());
  }
  IndexerPtr idx(raw_idx);
  git_indexer_progress stats{};
  std::vector<char> chunk(1 << 20);
  uint64_t pack_bytes = 0;
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    pack_bytes += n;
    if (git_indexer_append(idx.get(), chunk.data(), n, &stats) < 0) {
      return git_failure("bundle " + bundle.string() + " has a corrupt pack");
    }
  }
  if (pack_bytes == 0) {
    return Error(Errc::git, "bundle " + bundle.string() + " has no pack data (truncated)");
  }
  if (git_indexer_commit(idx.get(), &stats) < 0) {
    return git_failure("bundle " + bundle.string() + " has a corrupt or truncated pack");
  }
  return stats;
}

// Moves the indexed pack from `scratch` into `pack_dir`, the .idx last: the
// object database notices a pack by its index.
Status install_pack(const fs::path& scratch, const fs::path& pack_dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(scratch, ec)) files.push_back(entry.path());
  std::stable_partition(files.begin(), files.end(),
                        [](const fs::path& f) { return f.extension() != ".idx"; });
  for (const auto& f : files) {
    fs::rename(f, pack_dir / f.filename(), ec);
    if (ec) return Error(Errc::io, "installing the bundle's pack: " + ec.message());
  }
  return {};
}

Status check_ref_objects(git_odb* odb, const BundleHeader& header, const fs::path& bundle) {
  for (const auto& ref : header.refs) {
    git_oid id;
    git_oid_fromstr(&id, ref.oid.c_str());
    if (!git_odb_exists(odb, &id)) {
      return Error(Errc::git, "bundle " + bundle.string() + " lacks the object of " + ref.name);
    }
  }
  return {};
}

}  // namespace

Result<BundleHeader> BundleReader::unbundle(git_repository* repo, const Logger& log) const {
  auto in = open(path_);
  if (!in) return std::move(in).error();
  auto header = read_bundle_header(*in);
  if (!header) return std::move(header).error().context("bundle " + path_.string());
  if (header->refs.empty()) {
    return Error(Errc::invalid_input, "bundle " + path_.string() + " lists no refs");
  }

  git_odb* raw_odb = nullptr;
  if (git_repository_odb(&raw_odb, repo) < 0) return git_failure("opening the object database");
  OdbPtr odb(raw_odb);
  WS_TRY(check_prerequisites(odb.get(), *header, path_));

  // Index into a scratch directory first; only a complete, verified pack
  // moves into objects/pack.
  const fs::path pack_dir = fs::path(git_repository_path(repo)) / "objects" / "pack";
  ScratchDir scratch{pack_dir / ("ws-unbundle-" + std::to_string(::getpid()))};
  std::error_code ec;
  fs::remove_all(scratch.path, ec);
  fs::create_directories(scratch.path, ec);
  if (ec) return Error(Errc::io, "creating " + scratch.path.string() + ": " + ec.message());
  auto stats = index_pack(*in, odb.get(), scratch.path, path_, log);
  if (!stats) return std::move(stats).error();
  WS_TRY(install_pack(scratch.path, pack_dir));

  if (git_odb_refresh(odb.get()) < 0) return git_failure("refreshing the object database");
  WS_TRY(check_ref_objects(odb.get(), *header, path_));
  log.debug("bundle.read", "bundle " + path_.string() + ": " + std::to_string(stats->indexed_objects) +
                               " objects");
  return header;
}

}  // namespace ws::git
