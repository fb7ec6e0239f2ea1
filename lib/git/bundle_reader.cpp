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
  for (const auto& pre : header->prerequisites) {
    git_oid id;
    git_oid_fromstr(&id, pre.c_str());
    if (!git_odb_exists(odb.get(), &id)) {
      return Error(Errc::git, "bundle " + path_.string() + " needs commit " + pre +
                                  ", which this repository does not have");
    }
  }

  // Index into a scratch directory first; only a complete, verified pack
  // moves into objects/pack.
  const fs::path pack_dir = fs::path(git_repository_path(repo)) / "objects" / "pack";
  ScratchDir scratch{pack_dir / ("ws-unbundle-" + std::to_string(::getpid()))};
  std::error_code ec;
  fs::remove_all(scratch.path, ec);
  fs::create_directories(scratch.path, ec);
  if (ec) return Error(Errc::io, "creating " + scratch.path.string() + ": " + ec.message());

  IndexProgress progress{&log, path_.filename().string()};
  git_indexer_options opts = GIT_INDEXER_OPTIONS_INIT;
  if (log.wants_progress()) {
    opts.progress_cb = on_index_progress;
    opts.progress_cb_payload = &progress;
  }
  git_indexer* raw_idx = nullptr;
  // The odb lets the indexer complete thin packs from objects we already have.
  if (git_indexer_new(&raw_idx, scratch.path.c_str(), 0, odb.get(), &opts) < 0) {
    return git_failure("indexing bundle " + path_.string());
  }
  IndexerPtr idx(raw_idx);
  git_indexer_progress stats{};
  std::vector<char> chunk(1 << 20);
  uint64_t pack_bytes = 0;
  while (*in) {
    in->read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto n = static_cast<size_t>(in->gcount());
    if (n == 0) break;
    pack_bytes += n;
    if (git_indexer_append(idx.get(), chunk.data(), n, &stats) < 0) {
      return git_failure("bundle " + path_.string() + " has a corrupt pack");
    }
  }
  if (pack_bytes == 0) {
    return Error(Errc::git, "bundle " + path_.string() + " has no pack data (truncated)");
  }
  if (git_indexer_commit(idx.get(), &stats) < 0) {
    return git_failure("bundle " + path_.string() + " has a corrupt or truncated pack");
  }

  // The .idx last: the object database notices a pack by its index.
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(scratch.path, ec)) files.push_back(entry.path());
  std::stable_partition(files.begin(), files.end(),
                        [](const fs::path& f) { return f.extension() != ".idx"; });
  for (const auto& f : files) {
    fs::rename(f, pack_dir / f.filename(), ec);
    if (ec) return Error(Errc::io, "installing the bundle's pack: " + ec.message());
  }
  if (git_odb_refresh(odb.get()) < 0) return git_failure("refreshing the object database");
  for (const auto& ref : header->refs) {
    git_oid id;
    git_oid_fromstr(&id, ref.oid.c_str());
    if (!git_odb_exists(odb.get(), &id)) {
      return Error(Errc::git, "bundle " + path_.string() + " lacks the object of " + ref.name);
    }
  }
  log.debug("bundle.read", "bundle " + path_.string() + ": " + std::to_string(stats.indexed_objects) +
                               " objects");
  return header;
}

}  // namespace ws::git
