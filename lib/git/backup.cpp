#include "git/backup.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/redact.hpp"
#include "common/utc_time.hpp"
#include "git/bundle_writer.hpp"
#include "git/fingerprint.hpp"
#include "git/libgit2.hpp"
#include "git/open_repo.hpp"
#include "git/patch_writer.hpp"
#include "git/repo_head.hpp"
#include "git/repo_metadata.hpp"
#include "git/stash.hpp"
#include "config/layout.hpp"

namespace ws::git {

namespace fs = std::filesystem;
namespace layout = config::layout;

namespace {

std::string read_small_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A temporary name of its own for each write, so two backups into one
// directory (two processes, or two threads) never rename each other's file.
fs::path temp_name(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return fs::path(path).concat(".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// Temporary files of backups whose process is gone (a killed sidecar):
// nobody renames them any more. Those of live processes are left alone.
void remove_orphaned_temp_files(const fs::path& outdir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(outdir, ec)) {
    const std::string name = entry.path().filename().string();
    const auto at = name.find(".tmp-");
    if (at == std::string::npos) continue;
    const std::string pid_text = name.substr(at + 5, name.find('-', at + 5) - (at + 5));
    if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
    const long pid = std::strtol(pid_text.c_str(), nullptr, 10);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code rm;
      fs::remove(entry.path(), rm);
    }
  }
}

// Writes `path` under a temporary name via `fill` and renames it into place,
// so readers (the uploader) never see a half-written file.
template <class Fill>
Status replace_file(const fs::path& path, Fill&& fill) {
  const fs::path tmp = temp_name(path);
  if (auto st = fill(tmp); !st) {
    std::error_code ec;
    fs::remove(tmp, ec);
    return st;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Error(Errc::io, "renaming " + tmp.string() + ": " + ec.message());
  return {};
}

Status write_text(const fs::path& path, const std::string& text) {
  return replace_file(path, [&](const fs::path& tmp) -> Status {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return Error(Errc::io, "cannot write " + tmp.string());
    return {};
  });
}

Result<RepositoryPtr> open_backup_source(const BackupOptions& options) {
  auto repo = open_work_tree(options.repo, options.trusted_parent);
  if (!repo) return std::move(repo).error();
  if (git_repository_is_bare(repo->get())) {
    return Error(Errc::invalid_input,
                 options.repo.string() + " is a bare repository (no work tree to back up)");
  }
  return repo;
}

std::string origin_url(git_repository* repo) {
  git_remote* raw = nullptr;
  if (git_remote_lookup(&raw, repo, "origin") < 0) return {};
  RemotePtr remote(raw);
  const char* url = git_remote_url(remote.get());
  return url != nullptr ? redact_url(url) : std::string();
}

Result<std::vector<std::string>> local_branches(git_repository* repo) {
  std::vector<std::string> out;
  git_branch_iterator* raw = nullptr;
  if (git_branch_iterator_new(&raw, repo, GIT_BRANCH_LOCAL) < 0) return git_failure("listing branches");
  Handle<git_branch_iterator, git_branch_iterator_free> it(raw);
  git_reference* raw_ref = nullptr;
  git_branch_t type;
  int rc;
  while ((rc = git_branch_next(&raw_ref, &type, it.get())) == 0) {
    ReferencePtr ref(raw_ref);
    out.emplace_back(git_reference_shorthand(ref.get()));
  }
  if (rc != GIT_ITEROVER) return git_failure("listing branches");
  return out;
}

// The backup's files are all still there (someone may have emptied outdir).
bool outputs_present(const fs::path& outdir, bool expect_bundle) {
  std::error_code ec;
  return fs::exists(outdir / layout::kRepoMetadata, ec) &&
         fs::exists(outdir / layout::kUncommittedPatch, ec) &&
         fs::exists(outdir / layout::kStagedPatch, ec) &&
         (!expect_bundle || fs::exists(outdir / layout::kRepoBundle, ec));
}

}  // namespace

Result<BackupResult> backup_repo(const BackupOptions& options, const Logger& log) {
  Libgit2 libgit2;
  auto opened = open_backup_source(options);
  if (!opened) return std::move(opened).error();
  git_repository* repo = opened->get();

  auto head = read_repo_head(repo);
  if (!head) return std::move(head).error();
  BackupResult result;
  result.current_branch = head->abbrev;
  result.head_sha = head->sha;
  result.has_bundle = !head->sha.empty();

  const fs::path state_file = options.state_file.empty()
                                  ? fs::path(options.outdir.string() + ".fingerprint")
                                  : options.state_file;
  auto fingerprint = repo_fingerprint(repo);
  if (!fingerprint) return std::move(fingerprint).error();
  std::error_code ec;
  if (!options.force && fs::exists(state_file, ec) && read_small_file(state_file) == *fingerprint &&
      outputs_present(options.outdir, result.has_bundle)) {
    result.unchanged = true;
    log.debug("backup.unchanged", "repository " + options.repo.string() + " unchanged since the last backup");
    return result;
  }

  fs::create_directories(options.outdir, ec);
  if (ec) return Error(Errc::io, "creating " + options.outdir.string() + ": " + ec.message());
  remove_orphaned_temp_files(options.outdir);

  const fs::path bundle_path = options.outdir / layout::kRepoBundle;
  BundleWriter bundle(repo);
  auto header = bundle.header();
  if (!header) return std::move(header).error();
  if (header->refs.empty()) {
    result.has_bundle = false;
    fs::remove(bundle_path, ec);
  } else {
    result.has_bundle = true;
    WS_TRY(replace_file(bundle_path, [&](const fs::path& tmp) { return bundle.write(tmp, log); }));
  }

  if (const size_t stashes = stash_entry_count(repo); stashes > 1) {
    log.warn("backup.stash_entries_dropped",
             options.repo.string() + " has " + std::to_string(stashes) +
                 " stash entries; only the newest (stash@{0}) is carried by the backup");
  }

  PatchWriter patches(repo);
  WS_TRY(replace_file(options.outdir / layout::kUncommittedPatch,
                      [&](const fs::path& tmp) { return patches.write_worktree_patch(tmp); }));
  WS_TRY(replace_file(options.outdir / layout::kStagedPatch,
                      [&](const fs::path& tmp) { return patches.write_index_patch(tmp); }));

  RepoMetadata meta;
  meta.remote_url = origin_url(repo);
  meta.current_branch = head->abbrev;
  meta.head_sha = head->sha;
  auto branches = local_branches(repo);
  if (!branches) return std::move(branches).error();
  meta.local_branches = std::move(*branches);
  meta.backed_up_at = utc_timestamp(std::chrono::system_clock::now());
  WS_TRY(write_text(options.outdir / layout::kRepoMetadata, to_json(meta)));

  if (!state_file.parent_path().empty()) fs::create_directories(state_file.parent_path(), ec);
  WS_TRY(write_text(state_file, *fingerprint));
  log.info("backup.done", "backed up " + options.repo.string() + " (" + head->abbrev +
                              (head->sha.empty() ? ", no commits" : " at " + head->sha.substr(0, 12)) +
                              ") to " + options.outdir.string());
  return result;
}

}  // namespace ws::git
