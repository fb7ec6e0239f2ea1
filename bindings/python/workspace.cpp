// Python face of the workspace layer: hydrate, one sync cycle, and the
// sidecar loop. The configuration is a dict of the session's variables
// (None: the process environment), as load_config() takes it. Every call
// releases the GIL while it works; log/progress callables get it back.
#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <string>

#include "bindings.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"
#include "workspace/workspace.hpp"

using namespace pybind11::literals;

namespace wspy {
namespace {

using Env = std::optional<std::map<std::string, std::string>>;

ws::config::Config config_from(const Env& env) {
  const auto source = env ? ws::config::EnvSource({env->begin(), env->end()}) : ws::config::EnvSource::from_process();
  return unwrap(ws::config::load_config(source));
}

ws::workspace::EngineOptions engine_options(const std::optional<std::string>& cache_dir, int parallel) {
  ws::workspace::EngineOptions o;
  if (cache_dir) o.cache_dir = *cache_dir;
  if (parallel > 0) o.parallel = parallel;
  return o;
}

py::dict to_dict(const ws::workspace::HydrateReport& r) {
  return py::dict("files_downloaded"_a = r.files_downloaded, "bytes_downloaded"_a = r.bytes_downloaded,
                  "repos_cloned"_a = r.repos_cloned, "repos_failed"_a = r.repos_failed,
                  "repos_restored"_a = r.repos_restored, "restore_failed"_a = r.restore_failed,
                  "unsafe_keys"_a = r.unsafe_keys, "workflow_ready"_a = r.workflow_ready,
                  "persistence"_a = r.persistence);
}

py::dict to_dict(const ws::workspace::CycleReport& r) {
  return py::dict("files_uploaded"_a = r.files_uploaded, "files_unchanged"_a = r.files_unchanged,
                  "files_deleted"_a = r.files_deleted, "files_skipped"_a = r.files_skipped,
                  "bytes_total"_a = r.bytes_total, "bytes_uploaded"_a = r.bytes_uploaded,
                  "repos_backed_up"_a = r.repos_backed_up, "repos_unchanged"_a = r.repos_unchanged,
                  "repos_failed"_a = r.repos_failed, "duration_ms"_a = r.duration.count());
}

// The sidecar loop, run on a thread of the caller's choosing; stop() from
// any other thread ends it after a final save.
class Sidecar {
 public:
  Sidecar(const Env& env, py::object log, py::object progress, std::optional<std::string> cache_dir,
          int parallel)
      : cfg_(config_from(env)), opts_(engine_options(cache_dir, parallel)),
        log_(make_logger(std::move(log), std::move(progress))) {}

  void run() {
    call_without_gil([&] { return ws::workspace::run_sidecar(cfg_, opts_, stop_, log_); });
  }
  void stop() { stop_.request_stop(); }

 private:
  ws::config::Config cfg_;
  ws::workspace::EngineOptions opts_;
  ws::Logger log_;
  ws::workspace::StopToken stop_;
};

}  // namespace

void register_workspace(py::module_& m) {
  m.def(
      "hydrate",
      [](const Env& config, py::object log, py::object progress, std::optional<std::string> cache_dir,
         int parallel) {
        const auto cfg = config_from(config);
        const auto opts = engine_options(cache_dir, parallel);
        const auto logger = make_logger(std::move(log), std::move(progress));
        return to_dict(call_without_gil([&] { return ws::workspace::hydrate(cfg, opts, logger); }));
      },
      "config"_a = py::none(), "log"_a = py::none(), "progress"_a = py::none(),
      "cache_dir"_a = py::none(), "parallel"_a = 0,
      "Prepares the workspace (behaviour §3): layout, state from S3, clones, workflow,\n"
      "repo-state restore. `config` is a dict of the session's variables (None: the\n"
      "process environment); `log(level, event, message)` and `progress(dict)` are\n"
      "optional callables. Returns a dict report; raises NetworkError, AuthError,\n"
      "NotFoundError or StoreError when the store is unusable.");

  m.def(
      "sync_once",
      [](const Env& config, bool state_only, bool repos_only, py::object log, py::object progress,
         std::optional<std::string> cache_dir, int parallel) {
        const auto scope = unwrap(ws::workspace::sync_scope(state_only, repos_only));
        const auto cfg = config_from(config);
        const auto opts = engine_options(cache_dir, parallel);
        const auto logger = make_logger(std::move(log), std::move(progress));
        return to_dict(call_without_gil([&] { return ws::workspace::sync_once(cfg, opts, scope, logger); }));
      },
      "config"_a = py::none(), "state_only"_a = false, "repos_only"_a = false, "log"_a = py::none(),
      "progress"_a = py::none(), "cache_dir"_a = py::none(), "parallel"_a = 0,
      "Runs one sync cycle (behaviour §5): SQLite checkpoint, repo backup, mirror of the\n"
      "state trees, metadata.json. Returns a dict report; raises on failure.");

  py::class_<Sidecar>(m, "Sidecar",
                      "The sync sidecar loop. run() blocks (GIL released) until stop() is\n"
                      "called from another thread, then saves once more and returns.")
      .def(py::init<const Env&, py::object, py::object, std::optional<std::string>, int>(),
           "config"_a = py::none(), "log"_a = py::none(), "progress"_a = py::none(),
           "cache_dir"_a = py::none(), "parallel"_a = 0)
      .def("run", &Sidecar::run)
      .def("stop", &Sidecar::stop);
}

}  // namespace wspy
