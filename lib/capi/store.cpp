#include <cstring>
#include <memory>

#include <boost/json.hpp>

#include "capi/cancel_handle.hpp"
#include "capi/capi.hpp"
#include "libworkspace/store.h"
#include "store/store.hpp"
#include "sync/sync.hpp"

struct ws_store {
  std::unique_ptr<ws::store::Store> impl;
};

namespace {

std::string str_or(const char* s, const char* fallback = "") { return s != nullptr ? s : fallback; }

void fill_summary(const ws::sync::SyncSummary& s, ws_sync_summary* out) {
  if (out == nullptr || out->version == 0) return;
  // Version 1 fields; a later version appends, so older callers stay valid.
  out->files = s.files;
  out->transferred = s.transferred;
  out->unchanged = s.unchanged;
  out->deleted = s.deleted;
  out->skipped = s.skipped.size();
  out->failed = s.failed.size();
  out->bytes = s.bytes;
  out->bytes_transferred = s.bytes_transferred;
  out->listed = s.listed ? 1 : 0;
}

void clear_summary(ws_sync_summary* out) {
  if (out == nullptr || out->version == 0) return;
  const unsigned int v = out->version;
  *out = ws_sync_summary WS_SYNC_SUMMARY_INIT;
  out->version = v;
}

bool check_version(unsigned int got, unsigned int max, const char* what, int* status) {
  if (got == 0 || got > max) {
    *status = ws::capi::fail(ws::Error(ws::Errc::invalid_input,
                                       std::string(what) + ": unsupported version " + std::to_string(got)));
    return false;
  }
  return true;
}

// The common part of ws_sync_options, as either direction needs it.
struct SyncArgs {
  int parallel = 8;
  std::string state_db;
  std::optional<std::vector<std::string>> excludes;
  uint64_t max_file_size = 0;
  int verify_every = 0;
  bool dry_run = false;
  const ws::CancelToken* cancel = nullptr;
};

bool read_sync_options(const ws_sync_options* o, SyncArgs& a, int* status) {
  if (o == nullptr) return true;
  if (!check_version(o->version, WS_SYNC_OPTIONS_VERSION, "ws_sync_options", status)) return false;
  if (o->parallel > 0) a.parallel = static_cast<int>(std::min(o->parallel, 256u));
  a.state_db = str_or(o->state_db);
  if (o->excludes != nullptr) {
    std::vector<std::string> list;
    for (size_t i = 0; i < o->excludes_count; ++i) {
      if (o->excludes[i] == nullptr) {
        *status = ws::capi::fail(ws::Error(ws::Errc::invalid_input, "excludes[" + std::to_string(i) + "] is NULL"));
        return false;
      }
      list.emplace_back(o->excludes[i]);
    }
    a.excludes = std::move(list);
  }
  a.max_file_size = o->max_file_size;
  a.verify_every = static_cast<int>(std::min(o->verify_every, 1000000u));
  a.dry_run = o->dry_run != 0;
  if (o->version >= 2) a.cancel = ws::capi::token_of(o->cancel);
  return true;
}

int finish(ws::Result<ws::sync::SyncSummary> r, ws_sync_summary* summary) {
  if (!r) return ws::capi::fail(r.error());
  fill_summary(*r, summary);
  auto st = r->status();
  if (!st) return ws::capi::fail(st.error());
  return ws::capi::succeed();
}

}  // namespace

extern "C" {

int ws_store_open(ws_store** out, const ws_store_options* opts, const ws_callbacks* callbacks) {
  return ws::capi::guard([&] {
    int status = 0;
    if (ws::capi::null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (ws::capi::null_arg(opts, "opts", &status)) return status;
    if (!check_version(opts->version, WS_STORE_OPTIONS_VERSION, "ws_store_options", &status)) return status;
    ws::store::StoreConfig cfg;
    cfg.endpoint = str_or(opts->endpoint);
    cfg.bucket = str_or(opts->bucket);
    cfg.access_key = str_or(opts->access_key);
    cfg.secret_key = str_or(opts->secret_key);
    if (opts->region != nullptr && *opts->region != '\0') cfg.region = opts->region;
    cfg.virtual_hosted = opts->virtual_hosted != 0;
    auto store = ws::store::open_store(cfg, ws::capi::make_logger(callbacks));
    if (!store) return ws::capi::fail(store.error());
    *out = new ws_store{std::move(*store)};
    return ws::capi::succeed();
  });
}

void ws_store_free(ws_store* store) { delete store; }

int ws_store_check_bucket(ws_store* store) {
  return ws::capi::guard([&] {
    int status = 0;
    if (ws::capi::null_arg(store, "store", &status)) return status;
    auto st = store->impl->check_bucket();
    if (!st) return ws::capi::fail(st.error());
    return ws::capi::succeed();
  });
}

int ws_store_list_json(ws_store* store, const char* prefix, char** out_json) {
  return ws::capi::guard([&] {
    int status = 0;
    if (ws::capi::null_arg(out_json, "out_json", &status)) return status;
    *out_json = nullptr;
    if (ws::capi::null_arg(store, "store", &status)) return status;
    auto list = store->impl->list(str_or(prefix));
    if (!list) return ws::capi::fail(list.error());
    boost::json::array arr;
    arr.reserve(list->size());
    for (const auto& o : *list) {
      arr.push_back(boost::json::object{
          {"key", o.key}, {"size", o.size}, {"etag", o.etag}, {"md5", o.md5_hex}});
    }
    *out_json = ws::capi::dup_string(boost::json::serialize(arr));
    return ws::capi::succeed();
  });
}

int ws_sync_mirror_up(ws_store* store, const char* local_root, const char* key_prefix,
                      const ws_sync_options* opts, const ws_callbacks* callbacks, ws_sync_summary* summary) {
  return ws::capi::guard([&] {
    clear_summary(summary);
    int status = 0;
    if (ws::capi::null_arg(store, "store", &status) || ws::capi::null_arg(local_root, "local_root", &status) ||
        ws::capi::null_arg(key_prefix, "key_prefix", &status)) {
      return status;
    }
    SyncArgs a;
    if (!read_sync_options(opts, a, &status)) return status;
    ws::sync::MirrorOptions o;
    o.parallel = a.parallel;
    o.state_db = a.state_db;
    if (a.excludes) o.excludes = *a.excludes;
    if (a.max_file_size > 0) o.max_file_size = a.max_file_size;
    if (a.verify_every > 0) o.verify_every = a.verify_every;
    o.dry_run = a.dry_run;
    o.cancel = a.cancel;
    const ws::Logger log = ws::capi::make_logger(callbacks);
    return finish(ws::sync::mirror_up(*store->impl, local_root, key_prefix, o, log), summary);
  });
}

int ws_sync_copy_down(ws_store* store, const char* key_prefix, const char* local_root,
                      const ws_sync_options* opts, const ws_callbacks* callbacks, ws_sync_summary* summary) {
  return ws::capi::guard([&] {
    clear_summary(summary);
    int status = 0;
    if (ws::capi::null_arg(store, "store", &status) || ws::capi::null_arg(local_root, "local_root", &status) ||
        ws::capi::null_arg(key_prefix, "key_prefix", &status)) {
      return status;
    }
    SyncArgs a;
    if (!read_sync_options(opts, a, &status)) return status;
    ws::sync::CopyOptions o;
    o.parallel = a.parallel;
    o.state_db = a.state_db;
    if (a.excludes) o.excludes = *a.excludes;
    o.dry_run = a.dry_run;
    o.cancel = a.cancel;
    const ws::Logger log = ws::capi::make_logger(callbacks);
    return finish(ws::sync::copy_down(*store->impl, key_prefix, local_root, o, log), summary);
  });
}

}  // extern "C"
