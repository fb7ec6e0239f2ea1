#include <atomic>
#include <memory>

#include "capi/cancel_handle.hpp"
#include "capi/capi.hpp"
#include "capi/spec_handles.hpp"
#include "libworkspace/workspace.h"
#include "workspace/workspace.hpp"

struct ws_sidecar {
  ws::config::Config config;
  ws::workspace::EngineOptions options;
  ws::Logger log;
  ws::workspace::StopToken stop;
  std::atomic<bool> started{false};
};

namespace {

using ws::capi::fail;
using ws::capi::guard;
using ws::capi::null_arg;
using ws::capi::succeed;

int engine_options(const ws_workspace_options* in, ws::workspace::EngineOptions& out, unsigned* flags) {
  *flags = 0;
  if (in == nullptr) return succeed();
  if (in->version == 0 || in->version > WS_WORKSPACE_OPTIONS_VERSION) {
    return fail(ws::Error(ws::Errc::invalid_input, "ws_workspace_options: unknown version " +
                                                       std::to_string(in->version)));
  }
  if (in->cache_dir != nullptr) out.cache_dir = in->cache_dir;
  if (in->parallel < 0) return fail(ws::Error(ws::Errc::invalid_input, "ws_workspace_options: parallel < 0"));
  if (in->parallel > 0) out.parallel = in->parallel;
  *flags = in->flags;
  if (in->version >= 2) out.cancel = ws::capi::token_of(in->cancel);
  return succeed();
}

void fill(ws_hydrate_report* out, const ws::workspace::HydrateReport& r) {
  if (out == nullptr || out->version < 1) return;
  out->files_downloaded = r.files_downloaded;
  out->bytes_downloaded = r.bytes_downloaded;
  out->repos_cloned = r.repos_cloned;
  out->repos_failed = r.repos_failed;
  out->repos_restored = r.repos_restored;
  out->restore_failed = r.restore_failed;
  out->unsafe_keys = r.unsafe_keys;
  out->workflow_ready = r.workflow_ready ? 1 : 0;
  out->persistence = r.persistence ? 1 : 0;
}

void fill(ws_sync_report* out, const ws::workspace::CycleReport& r) {
  if (out == nullptr || out->version < 1) return;
  out->files_uploaded = r.files_uploaded;
  out->files_unchanged = r.files_unchanged;
  out->files_deleted = r.files_deleted;
  out->files_skipped = r.files_skipped;
  out->bytes_total = r.bytes_total;
  out->bytes_uploaded = r.bytes_uploaded;
  out->repos_backed_up = r.repos_backed_up;
  out->repos_unchanged = r.repos_unchanged;
  out->repos_failed = r.repos_failed;
  out->duration_ms = static_cast<uint64_t>(r.duration.count());
}

}  // namespace

extern "C" {

int ws_hydrate(const ws_config* cfg, const ws_callbacks* callbacks) {
  return ws_hydrate_ext(cfg, nullptr, callbacks, nullptr);
}

int ws_hydrate_ext(const ws_config* cfg, const ws_workspace_options* options,
                   const ws_callbacks* callbacks, ws_hydrate_report* report) {
  return guard([&] {
    int status = 0;
    if (null_arg(cfg, "cfg", &status)) return status;
    ws::workspace::EngineOptions opts;
    unsigned flags = 0;
    if (int rc = engine_options(options, opts, &flags); rc != 0) return rc;
    auto r = ws::workspace::hydrate(cfg->config, opts, ws::capi::make_logger(callbacks));
    if (!r) return fail(r.error());
    fill(report, *r);
    return succeed();
  });
}

int ws_sync_once(const ws_config* cfg, const ws_workspace_options* options,
                 const ws_callbacks* callbacks, ws_sync_report* report) {
  return guard([&] {
    int status = 0;
    if (null_arg(cfg, "cfg", &status)) return status;
    ws::workspace::EngineOptions opts;
    unsigned flags = 0;
    if (int rc = engine_options(options, opts, &flags); rc != 0) return rc;
    const bool state_only = (flags & WS_SYNC_STATE_ONLY) != 0;
    const bool repos_only = (flags & WS_SYNC_REPOS_ONLY) != 0;
    if (state_only && repos_only) {
      return fail(ws::Error(ws::Errc::invalid_input,
                            "WS_SYNC_STATE_ONLY and WS_SYNC_REPOS_ONLY exclude each other"));
    }
    auto engine = ws::workspace::SyncEngine::open(cfg->config, opts, ws::capi::make_logger(callbacks));
    if (!engine) return fail(engine.error());
    auto r = (*engine)->run_cycle(!state_only, ws::workspace::CycleOptions{!repos_only, !state_only, opts.cancel});
    if (!r) return fail(r.error());
    fill(report, *r);
    return succeed();
  });
}

int ws_sidecar_new(ws_sidecar** out, const ws_config* cfg, const ws_workspace_options* options,
                   const ws_callbacks* callbacks) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(cfg, "cfg", &status)) return status;
    auto s = std::make_unique<ws_sidecar>();
    unsigned flags = 0;
    if (int rc = engine_options(options, s->options, &flags); rc != 0) return rc;
    s->config = cfg->config;
    s->log = ws::capi::make_logger(callbacks);
    *out = s.release();
    return succeed();
  });
}

int ws_sidecar_run(ws_sidecar* sidecar) {
  return guard([&] {
    int status = 0;
    if (null_arg(sidecar, "sidecar", &status)) return status;
    if (sidecar->started.exchange(true)) {
      return fail(ws::Error(ws::Errc::invalid_input, "ws_sidecar_run: this sidecar already ran"));
    }
    auto st = ws::workspace::run_sidecar(sidecar->config, sidecar->options, sidecar->stop, sidecar->log);
    if (!st) return fail(st.error());
    return succeed();
  });
}

void ws_sidecar_stop(ws_sidecar* sidecar) {
  if (sidecar != nullptr) sidecar->stop.request_stop();
}

void ws_sidecar_free(ws_sidecar* sidecar) { delete sidecar; }

}  // extern "C"
