#include "workspace/repo_state_set.hpp"

#include <array>
#include <system_error>

#include <boost/json.hpp>

#include "config/layout.hpp"
#include "store/digest.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::array<std::string_view, 4> kSetFiles = {
    config::layout::kRepoBundle, config::layout::kUncommittedPatch, config::layout::kStagedPatch,
    config::layout::kRepoMetadata};

std::string pending_key(std::string_view prefix, std::string_view file) {
  return std::string(prefix) + std::string(kPendingDirName) + "/" + std::string(file);
}
std::string in_place_key(std::string_view prefix, std::string_view file) {
  return std::string(prefix) + std::string(file);
}

// A manifest that does not parse is treated as absent: whoever wrote it, the
// set it describes cannot be trusted, and the other manifest (or the files
// as they are) still can.
Result<std::optional<SetManifest>> fetch_manifest_at(store::Store& store, const std::string& key,
                                                     const Logger& log) {
  auto bytes = store.get_bytes(key);
  if (!bytes) {
    if (bytes.error().code == Errc::not_found) return std::optional<SetManifest>();
    return std::move(bytes).error();
  }
  auto m = manifest_from_json(*bytes);
  if (!m) {
    log.warn("repo_state.bad_manifest", key + ": " + m.error().message + "; treating it as absent");
    return std::optional<SetManifest>();
  }
  return std::optional<SetManifest>(std::move(*m));
}

// A size as JSON may spell it: a non-negative integer that fits 64 bits.
// Boost.JSON keeps -1 as int64 and 1.5, 1e30 or 2^64 as double.
std::optional<uint64_t> byte_count(const json::value& v) {
  if (v.is_uint64()) return v.get_uint64();
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<uint64_t>(v.get_int64());
  return std::nullopt;
}

bool is_md5_hex(std::string_view s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// The MD5 of a stored object: from the listing when it has one, else from a
// HEAD (rclone's Md5chksum on multipart objects).
std::string object_md5(store::Store& store, const store::ObjectInfo& info) {
  if (!info.md5_hex.empty()) return info.md5_hex;
  auto h = store.head(info.key);
  return h ? h->md5_hex : std::string();
}

// For each file of `m`, the key holding exactly that content, or nullopt
// when some file is not stored anywhere.
std::optional<std::map<std::string, std::string>> assemble(
    store::Store& store, std::string_view prefix, const SetManifest& m,
    const std::map<std::string, store::ObjectInfo, std::less<>>& objects) {
  std::map<std::string, std::string> chosen;
  for (const auto& [file, entry] : m) {
    bool found = false;
    for (const auto& key : {pending_key(prefix, file), in_place_key(prefix, file)}) {
      auto it = objects.find(key);
      if (it == objects.end() || it->second.size != entry.size) continue;
      if (object_md5(store, it->second) != entry.md5_hex) continue;
      chosen[file] = key;
      found = true;
      break;
    }
    if (!found) return std::nullopt;
  }
  return chosen;
}

Status download_chosen(store::Store& store, const std::map<std::string, std::string>& chosen,
                       const SetManifest* expected, const fs::path& dest) {
  for (const auto& [file, key] : chosen) {
    auto got = store.get_file(key, dest / file);
    if (!got) return std::move(got).error().context("downloading " + key);
    if (expected != nullptr) {
      auto md5 = store::md5_file_hex(dest / file);
      if (!md5) return std::move(md5).error();
      if (*md5 != expected->at(file).md5_hex) {
        return Error(Errc::conflict, key + " changed while it was downloaded");
      }
    }
  }
  return {};
}

}  // namespace

bool is_set_file(std::string_view name) {
  for (auto f : kSetFiles) {
    if (f == name) return true;
  }
  return false;
}

std::string manifest_to_json(const SetManifest& m) {
  json::object files;
  for (const auto& [name, e] : m) {
    json::object o;
    o["md5"] = e.md5_hex;
    o["size"] = e.size;
    files[name] = std::move(o);
  }
  json::object root;
  root["format"] = "libworkspace-repo-state/1";
  root["files"] = std::move(files);
  return json::serialize(root) + "\n";
}

Result<SetManifest> manifest_from_json(std::string_view text) {
  std::error_code ec;
  const json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  const auto* root = v.if_object();
  const auto* files = root != nullptr && root->contains("files") ? root->at("files").if_object() : nullptr;
  if (ec || files == nullptr) {
    return Error(Errc::protocol, "repo-state manifest is not a {\"files\": {...}} object");
  }
  SetManifest m;
  for (const auto& [name, val] : *files) {
    const auto* o = val.if_object();
    const std::string file(name);
    if (o == nullptr || !is_set_file(file) || !o->contains("md5") || !o->at("md5").is_string() ||
        !o->contains("size")) {
      return Error(Errc::protocol, "repo-state manifest has a malformed entry '" + file + "'");
    }
    const auto size = byte_count(o->at("size"));
    if (!size) {
      return Error(Errc::protocol, "repo-state manifest entry '" + file + "': size " +
                                       json::serialize(o->at("size")) + " is not a byte count (0 to 2^64-1)");
    }
    const std::string md5(o->at("md5").get_string());
    if (!is_md5_hex(md5)) {
      return Error(Errc::protocol, "repo-state manifest entry '" + file + "': md5 is not 32 lower-case hex digits");
    }
    m[file] = SetEntry{md5, *size};
  }
  return m;
}

Result<SetManifest> manifest_of_dir(const fs::path& dir) {
  SetManifest m;
  for (auto f : kSetFiles) {
    const fs::path p = dir / f;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) continue;
    auto md5 = store::md5_file_hex(p);
    if (!md5) return std::move(md5).error();
    m[std::string(f)] = SetEntry{*md5, static_cast<uint64_t>(fs::file_size(p, ec))};
  }
  return m;
}

Result<std::optional<SetManifest>> fetch_manifest(store::Store& store, std::string_view prefix, const Logger& log) {
  return fetch_manifest_at(store, in_place_key(prefix, kSetManifestName), log);
}

Status upload_set(store::Store& store, std::string_view prefix, const fs::path& dir,
                  const SetManifest& manifest, const std::optional<SetManifest>& previous,
                  const Logger& log) {
  std::vector<std::string> changed;
  for (const auto& [file, entry] : manifest) {
    if (!previous || !previous->contains(file) || previous->at(file) != entry) changed.push_back(file);
  }
  const std::string manifest_json = manifest_to_json(manifest);
  auto put = [&](const std::string& key, const std::string& file) -> Status {
    store::PutOptions po;
    po.md5_hex = manifest.at(file).md5_hex;
    if (auto st = store.put_file(key, dir / file, po); !st) return std::move(st).error().context(key);
    return {};
  };
  // With a previous set in place, the changed files go aside first, so the
  // previous set stays whole until the new one is whole somewhere.
  std::vector<std::string> pending_keys;
  if (previous) {
    for (const auto& file : changed) {
      pending_keys.push_back(pending_key(prefix, file));
      WS_TRY(put(pending_keys.back(), file));
    }
  }
  const std::string pending_manifest = pending_key(prefix, kSetManifestName);
  WS_TRY(store.put_bytes(pending_manifest, manifest_json));
  for (const auto& file : changed) WS_TRY(put(in_place_key(prefix, file), file));
  WS_TRY(store.put_bytes(in_place_key(prefix, kSetManifestName), manifest_json));

  // Cleanup: files no longer part of the set (a repo that lost its commits
  // has no bundle), then the pending manifest before its files.
  std::vector<std::string> stale;
  if (previous) {
    for (const auto& [file, entry] : *previous) {
      if (!manifest.contains(file)) stale.push_back(in_place_key(prefix, file));
    }
  }
  for (const auto& batch : {stale, std::vector<std::string>{pending_manifest}, pending_keys}) {
    if (batch.empty()) continue;
    auto removed = store.remove(batch);
    if (!removed || !removed->empty()) {
      log.warn("repo_state.cleanup_failed", "could not delete leftover keys under " +
                                                std::string(prefix) + " (harmless; retried next time)");
    }
  }
  return {};
}

const char* set_source_name(SetSource s) {
  switch (s) {
    case SetSource::pending: return "interrupted save, complete";
    case SetSource::committed: return "complete";
    case SetSource::legacy: return "as written by the scripts";
    case SetSource::damaged: return "damaged, restored with losses";
    case SetSource::none: return "none";
  }
  return "none";
}

Result<SetSource> download_set(store::Store& store, std::string_view prefix,
                               const std::vector<store::ObjectInfo>& objects, const fs::path& dest,
                               const Logger& log) {
  std::map<std::string, store::ObjectInfo, std::less<>> by_key;
  for (const auto& o : objects) by_key[o.key] = o;
  std::error_code ec;
  fs::create_directories(dest, ec);
  if (ec) return Error(Errc::io, "creating " + dest.string() + ": " + ec.message());

  std::optional<SetManifest> pending, committed;
  if (by_key.contains(pending_key(prefix, kSetManifestName))) {
    auto p = fetch_manifest_at(store, pending_key(prefix, kSetManifestName), log);
    if (!p) return std::move(p).error();
    pending = std::move(*p);
  }
  if (by_key.contains(in_place_key(prefix, kSetManifestName))) {
    auto m = fetch_manifest_at(store, in_place_key(prefix, kSetManifestName), log);
    if (!m) return std::move(m).error();
    committed = std::move(*m);
  }
  for (auto [m, source] : {std::pair{&pending, SetSource::pending}, std::pair{&committed, SetSource::committed}}) {
    if (!*m) continue;
    if (auto chosen = assemble(store, prefix, **m, by_key)) {
      WS_TRY(download_chosen(store, *chosen, &**m, dest));
      return source;
    }
  }
  if (pending && !committed) {
    log.warn("repo_state.incomplete", "the first save of " + std::string(prefix) +
                                          " was interrupted before it completed; not restoring it");
    return SetSource::none;
  }
  std::map<std::string, std::string> chosen;
  for (auto f : kSetFiles) {
    if (by_key.contains(in_place_key(prefix, f))) chosen[std::string(f)] = in_place_key(prefix, f);
  }
  if (committed) {
    // Our own manifest, and no stored set matches it: files were deleted or
    // replaced in the store. Not "another tool" — the old scripts write no
    // manifest — so this is a loss, named file by file.
    std::string damage;
    for (const auto& [name, entry] : *committed) {
      const auto it = by_key.find(in_place_key(prefix, name));
      const char* what = it == by_key.end() ? "missing"
                         : it->second.size != entry.size ? "changed size"
                                                         : nullptr;
      if (what != nullptr) damage += (damage.empty() ? "" : ", ") + name + " " + what;
    }
    if (damage.empty()) damage = "contents differ from the manifest";
    log.warn("repo_state.damaged", std::string(prefix) + " does not match its manifest (" + damage +
                                       "); restoring what is there, with losses");
    if (!chosen.empty()) WS_TRY(download_chosen(store, chosen, nullptr, dest));
    return SetSource::damaged;
  }
  if (chosen.empty()) return SetSource::none;
  WS_TRY(download_chosen(store, chosen, nullptr, dest));
  return SetSource::legacy;
}

}  // namespace ws::workspace
