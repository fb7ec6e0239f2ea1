// `store ls|sync|copy`: the object store and the tree sync from a shell, as
// `rclone lsf|sync|copy` would be used in the scripts.
#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli.hpp"
#include "common/byte_size.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"
#include "store/store.hpp"
#include "sync/filter_flags.hpp"
#include "sync/sync.hpp"

namespace cli {
namespace {

namespace fs = std::filesystem;

struct Remote {
  ws::store::StoreConfig config;
  std::string prefix;
  fs::path local_dir;  // file:///DIR: the directory; empty for s3://
};

constexpr const char* kRemoteHelp =
    "REMOTE is s3://BUCKET/PREFIX (endpoint and keys from S3_ENDPOINT, AWS_ACCESS_KEY_ID,\n"
    "AWS_SECRET_ACCESS_KEY, AWS_REGION) or file:///DIR, a local directory whose files are\n"
    "the objects (paths are relative to DIR; store sync creates DIR when missing).";

ws::Result<Remote> parse_remote(const std::string& url) {
  Remote r;
  std::string rest;
  if (url.rfind("s3://", 0) == 0) {
    auto cfg = ws::config::load_config(ws::config::EnvSource::from_process());
    if (!cfg) return std::move(cfg).error();
    r.config.endpoint = cfg->s3.endpoint;
    r.config.access_key = cfg->s3.access_key;
    r.config.secret_key = cfg->s3.secret_key;
    if (!cfg->s3.region.empty()) r.config.region = cfg->s3.region;
    rest = url.substr(5);
    const auto slash = rest.find('/');
    r.config.bucket = rest.substr(0, slash);
    r.prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  } else if (url.rfind("file:///", 0) == 0) {
    // file:///DIR: the objects are the files below DIR, as with rclone's
    // local paths; the store sees DIR's parent as the endpoint and DIR as
    // the bucket.
    const fs::path dir = fs::path(url.substr(7)).lexically_normal();
    const fs::path trimmed = dir.has_filename() ? dir : dir.parent_path();
    if (trimmed == trimmed.root_path()) {
      return ws::Error(ws::Errc::invalid_input, "remote '" + url + "': file:///DIR needs a directory below /");
    }
    r.config.endpoint = "file://" + trimmed.parent_path().string();
    r.config.bucket = trimmed.filename().string();
    r.local_dir = trimmed;
  } else {
    return ws::Error(ws::Errc::invalid_input,
                     "remote '" + url + "' is neither s3://BUCKET/PREFIX nor file:///PATH");
  }
  if (r.config.bucket.empty()) {
    return ws::Error(ws::Errc::invalid_input, "remote '" + url + "' names no bucket");
  }
  return r;
}

ws::Result<std::unique_ptr<ws::store::Store>> open_remote(const Remote& r, const ws::Logger& log) {
  return ws::store::open_store(r.config, log);
}

ws::Result<int> int_option(const Args& a, const char* name, int fallback) {
  auto v = a.value(name);
  if (!v) return fallback;
  try {
    size_t used = 0;
    const int n = std::stoi(*v, &used);
    if (used == v->size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  return ws::Error(ws::Errc::invalid_input, std::string(name) + ": '" + *v + "' is not a positive number");
}

int print_summary(const ws::sync::SyncSummary& s, const char* verb, bool dry_run) {
  std::cout << (dry_run ? "would have " : "") << verb << " " << s.transferred << " files ("
            << s.bytes_transferred << " bytes), " << s.unchanged << " unchanged";
  if (s.deleted > 0) std::cout << ", " << s.deleted << " deleted";
  std::cout << ", " << s.skipped.size() << " skipped, " << s.failed.size() << " failed\n";
  for (const auto& f : s.skipped) std::cout << "skipped " << f.path << ": " << f.message << "\n";
  for (const auto& f : s.failed) std::cerr << "failed " << f.path << ": " << f.message << "\n";
  return s.ok() ? kExitOk : kExitFailure;
}

int run_ls(const Args& a) {
  if (a.positional.size() != 1) return report(ws::Error(ws::Errc::invalid_input, "usage: store ls REMOTE"));
  auto remote = parse_remote(a.positional[0]);
  if (!remote) return report(remote.error());
  auto log = terminal_logger(a.flag("--verbose"));
  auto store = open_remote(*remote, log);
  if (!store) return report(store.error());
  std::string prefix = remote->prefix;
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  auto list = (*store)->list(prefix);
  if (!list) return report(list.error());
  // Paths relative to the remote, as rclone ls and lsjson print them.
  const bool json = a.flag("--json");
  boost::json::array out;
  for (const auto& o : *list) {
    const std::string path = o.key.substr(prefix.size());
    if (json) {
      boost::json::object entry{{"Path", path}, {"Size", o.size}};
      if (!o.md5_hex.empty()) entry["Hashes"] = boost::json::object{{"md5", o.md5_hex}};
      out.push_back(std::move(entry));
    } else {
      std::printf("%12llu  %-32s  %s\n", static_cast<unsigned long long>(o.size),
                  o.md5_hex.empty() ? o.etag.c_str() : o.md5_hex.c_str(), path.c_str());
    }
  }
  if (json) std::cout << boost::json::serialize(out) << "\n";
  return kExitOk;
}

// rclone's filter flags, each repeatable, in rclone's order.
ws::Result<std::vector<std::string>> filter_rules(const Args& a) {
  return ws::sync::rclone_filter_rules({a.all("--include"), a.all("--include-from"), a.all("--exclude"),
                                        a.all("--exclude-from"), a.all("--filter"), a.all("--filter-from")});
}

int run_sync(const Args& a) {
  if (a.positional.size() != 2) {
    return report(ws::Error(ws::Errc::invalid_input, "usage: store sync LOCAL REMOTE"));
  }
  auto remote = parse_remote(a.positional[1]);
  if (!remote) return report(remote.error());
  ws::sync::MirrorOptions o;
  auto parallel = int_option(a, "--parallel", o.parallel);
  if (!parallel) return report(parallel.error());
  o.parallel = *parallel;
  if (a.flag("--no-default-excludes")) o.excludes.clear();
  auto rules = filter_rules(a);
  if (!rules) return report(rules.error());
  o.filter_rules = std::move(*rules);
  if (auto m = a.value("--max-size")) {
    auto size = ws::parse_byte_size(*m);
    if (!size) return report(ws::Error(ws::Errc::invalid_input, "--max-size: " + size.error().message));
    o.max_file_size = *size;
  }
  if (auto db = a.value("--state-db")) o.state_db = *db;
  o.dry_run = a.flag("--dry-run");
  std::error_code ec;
  if (!remote->local_dir.empty() && !o.dry_run && !fs::is_directory(remote->local_dir, ec)) {
    // As rclone sync does for a local destination.
    fs::create_directories(remote->local_dir, ec);
    if (ec) return report(ws::Error(ws::Errc::io, "creating " + remote->local_dir.string() + ": " + ec.message()));
  }
  auto log = terminal_logger(a.flag("--verbose"));
  auto store = open_remote(*remote, log);
  if (!store) return report(store.error());
  auto r = ws::sync::mirror_up(**store, a.positional[0], remote->prefix, o, log);
  if (!r) return report(r.error());
  return print_summary(*r, "uploaded", o.dry_run);
}

int run_copy(const Args& a) {
  if (a.positional.size() != 2) {
    return report(ws::Error(ws::Errc::invalid_input, "usage: store copy REMOTE LOCAL"));
  }
  auto remote = parse_remote(a.positional[0]);
  if (!remote) return report(remote.error());
  ws::sync::CopyOptions o;
  auto parallel = int_option(a, "--parallel", o.parallel);
  if (!parallel) return report(parallel.error());
  o.parallel = *parallel;
  auto rules = filter_rules(a);
  if (!rules) return report(rules.error());
  o.filter_rules = std::move(*rules);
  if (auto db = a.value("--state-db")) o.state_db = *db;
  o.dry_run = a.flag("--dry-run");
  auto log = terminal_logger(a.flag("--verbose"));
  auto store = open_remote(*remote, log);
  if (!store) return report(store.error());
  auto r = ws::sync::copy_down(**store, remote->prefix, a.positional[1], o, log);
  if (!r) return report(r.error());
  return print_summary(*r, "downloaded", o.dry_run);
}

}  // namespace

void add_store_commands(std::vector<Command>& out) {
  const Option verbose{"--verbose", "", "log debug events too"};
  const Option parallel{"--parallel", "N", "concurrent transfers (default 8)"};
  const Option state_db{"--state-db", "FILE",
                        "SQLite file remembering hashes and uploads, so unchanged files cost nothing"};
  const Option dry_run{"--dry-run", "", "report what would be transferred, transfer nothing"};
  // rclone's filter flags and meaning: the first matching rule decides;
  // includes come first, then excludes, then --filter rules, and any
  // --include excludes everything it does not name.
  const Option include{"--include", "GLOB", "sync only what matches (and what other includes name)", true};
  const Option include_from{"--include-from", "FILE", "--include for each line of FILE", true};
  const Option exclude{"--exclude", "GLOB", "skip what matches (rclone pattern, any depth unless it starts with /)", true};
  const Option exclude_from{"--exclude-from", "FILE", "--exclude for each line of FILE ('#' comments)", true};
  const Option filter{"--filter", "RULE", "'+ GLOB' includes, '- GLOB' excludes, in order", true};
  const Option filter_from{"--filter-from", "FILE", "--filter for each line of FILE", true};
  out.push_back({"store ls", "REMOTE", "list the objects under a remote prefix (size, MD5, path below REMOTE)",
                 std::string(kRemoteHelp) +
                     "\n\nexamples:\n"
                     "  S3_ENDPOINT=http://127.0.0.1:4568 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... \\\n"
                     "    ambient-workspace store ls s3://ambient-sessions/ns/session/\n"
                     "  ambient-workspace store ls file:///tmp/objects/ns",
                 {{"--json", "", "print a JSON array of {Path, Size, Hashes.md5}, as rclone lsjson --hash"}, verbose},
                 run_ls});
  out.push_back({"store sync", "LOCAL REMOTE",
                 "make REMOTE a mirror of the directory LOCAL (rclone sync --checksum)",
                 "Uploads new and changed files (compared by size and MD5), then deletes remote\n"
                 "files whose local file is gone (only when every upload succeeded). The default\n"
                 "exclude list applies at any depth (repos/**, node_modules/**, *.pyc, ...);\n"
                 "symlinks are followed, broken ones skipped. Exit 1 when any file failed.\n\n"
                 "Filters (each flag repeatable) have rclone's meaning: the first rule that matches\n"
                 "a path decides, in rclone's order: includes, excludes, then --filter rules; any\n"
                 "--include skips everything no include names. The default excludes come first.\n\n" +
                     std::string(kRemoteHelp) +
                     "\n\nexamples:\n"
                     "  ambient-workspace store sync /workspace/artifacts s3://ambient-sessions/ns/s1/artifacts\n"
                     "  ambient-workspace store sync ./state file:///tmp/objects/state --state-db /tmp/sync.db",
                 {parallel, state_db, include, include_from, exclude, exclude_from, filter, filter_from,
                  {"--no-default-excludes", "", "do not apply the default exclude list (docs/behaviour.md §5)"},
                  {"--max-size", "SIZE", "skip files larger than this: bytes or 500K, 20M, 1.5G (default 1G, MAX_SYNC_SIZE)"},
                  dry_run, verbose},
                 run_sync});
  out.push_back({"store copy", "REMOTE LOCAL",
                 "download every object under REMOTE into the directory LOCAL (rclone copy)",
                 "Files already identical (size and MD5) are left alone; others are replaced\n"
                 "atomically with the object's mtime restored. A key that would leave LOCAL\n"
                 "('..', absolute, empty segments, NUL) is refused and reported while the rest\n"
                 "downloads. Exit 1 when any object failed.\n\n" +
                     std::string(kRemoteHelp) +
                     "\n\nexamples:\n"
                     "  ambient-workspace store copy s3://ambient-sessions/ns/s1/artifacts /workspace/artifacts\n"
                     "  ambient-workspace store copy file:///tmp/objects/state ./restored",
                 {parallel, state_db, include, include_from, exclude, exclude_from, filter, filter_from, dry_run,
                  verbose},
                 run_copy});
}

}  // namespace cli
