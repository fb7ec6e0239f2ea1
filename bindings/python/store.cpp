// Python face of the store and sync layers: libworkspace.Store with list(),
// mirror_up() and copy_down(). The GIL is released for every call that
// touches the network or the disk; log and progress callables are called
// with the GIL held, from worker threads, one at a time.
#include <pybind11/stl.h>

#include <optional>

#include "bindings.hpp"
#include "store/store.hpp"
#include "sync/sync.hpp"

using namespace pybind11::literals;

namespace wspy {
namespace {

// A Python callback that raises must not unwind through the library's
// worker threads: its exception is printed (as Python does for errors in
// callbacks it cannot propagate) and the sync goes on.
ws::Logger shielded(ws::Logger inner) {
  auto report = [] {
    py::gil_scoped_acquire gil;
    PyErr_WriteUnraisable(nullptr);
  };
  return ws::Logger(
      [inner, report](const ws::LogEvent& e) {
        try {
          inner.log(e.level, e.event, e.message);
        } catch (py::error_already_set& err) {
          py::gil_scoped_acquire gil;
          err.restore();
          PyErr_WriteUnraisable(nullptr);
        } catch (...) {
          report();
        }
      },
      inner.wants_progress() ? ws::Logger::ProgressFn([inner](const ws::Progress& p) {
        try {
          inner.progress(p);
        } catch (py::error_already_set& err) {
          py::gil_scoped_acquire gil;
          err.restore();
          PyErr_WriteUnraisable(nullptr);
        } catch (...) {
        }
      })
                             : ws::Logger::ProgressFn());
}

py::list issues(const std::vector<ws::sync::FileIssue>& list) {
  py::list out;
  for (const auto& i : list) {
    out.append(py::dict("path"_a = i.path, "code"_a = static_cast<int>(i.code),
                        "reason"_a = std::string(ws::errc_name(i.code)), "message"_a = i.message));
  }
  return out;
}

py::dict summary_dict(const ws::sync::SyncSummary& s) {
  return py::dict("files"_a = s.files, "transferred"_a = s.transferred, "unchanged"_a = s.unchanged,
                  "deleted"_a = s.deleted, "bytes"_a = s.bytes, "bytes_transferred"_a = s.bytes_transferred,
                  "listed"_a = s.listed, "skipped"_a = issues(s.skipped), "failed"_a = issues(s.failed),
                  "ok"_a = s.ok());
}

class PyStore {
 public:
  PyStore(const std::string& endpoint, const std::string& bucket, const std::string& access_key,
          const std::string& secret_key, const std::string& region, bool virtual_hosted, py::object log) {
    ws::store::StoreConfig cfg;
    cfg.endpoint = endpoint;
    cfg.bucket = bucket;
    cfg.access_key = access_key;
    cfg.secret_key = secret_key;
    if (!region.empty()) cfg.region = region;
    cfg.virtual_hosted = virtual_hosted;
    store_ = unwrap(ws::store::open_store(cfg, shielded(make_logger(std::move(log), py::none()))));
  }

  std::string describe() const { return store_->describe(); }

  void check_bucket() {
    call_without_gil([&] { return store_->check_bucket(); });
  }

  py::list list(const std::string& prefix) {
    py::list out;
    for (const auto& o : call_without_gil([&] { return store_->list(prefix); })) {
      out.append(py::dict("key"_a = o.key, "size"_a = o.size, "etag"_a = o.etag, "md5"_a = o.md5_hex));
    }
    return out;
  }

  py::dict mirror_up(const std::string& local_root, const std::string& key_prefix,
                     std::optional<std::vector<std::string>> excludes, uint64_t max_file_size, int parallel,
                     std::optional<std::string> state_db, int verify_every, bool dry_run, py::object log,
                     py::object progress) {
    ws::sync::MirrorOptions o;
    if (excludes) o.excludes = *excludes;
    o.max_file_size = max_file_size;
    o.parallel = parallel;
    if (state_db) o.state_db = *state_db;
    o.verify_every = verify_every;
    o.dry_run = dry_run;
    const ws::Logger logger = shielded(make_logger(std::move(log), std::move(progress)));
    std::optional<ws::Result<ws::sync::SyncSummary>> r;
    {
      py::gil_scoped_release nogil;
      r.emplace(ws::sync::mirror_up(*store_, local_root, key_prefix, o, logger));
    }
    return summary_dict(unwrap(std::move(*r)));
  }

  py::dict copy_down(const std::string& key_prefix, const std::string& local_root,
                     std::optional<std::vector<std::string>> excludes, int parallel,
                     std::optional<std::string> state_db, bool dry_run, py::object log, py::object progress) {
    ws::sync::CopyOptions o;
    if (excludes) o.excludes = *excludes;
    o.parallel = parallel;
    if (state_db) o.state_db = *state_db;
    o.dry_run = dry_run;
    const ws::Logger logger = shielded(make_logger(std::move(log), std::move(progress)));
    std::optional<ws::Result<ws::sync::SyncSummary>> r;
    {
      py::gil_scoped_release nogil;
      r.emplace(ws::sync::copy_down(*store_, key_prefix, local_root, o, logger));
    }
    return summary_dict(unwrap(std::move(*r)));
  }

 private:
  std::unique_ptr<ws::store::Store> store_;
};

}  // namespace

void register_store(py::module_& m) {
  m.def("default_excludes", [] { return ws::sync::default_excludes(); },
        "the default exclude list (docs/behaviour.md §5) (rclone filter patterns) that mirror_up applies by default.");

  py::class_<PyStore>(m, "Store",
                      "An object store bucket: S3 (endpoint http(s)://host[:port], SigV4) or a local\n"
                      "directory (endpoint file:///abs/dir; objects are files <dir>/<bucket>/<key>).\n"
                      "Safe to use from several threads.")
      .def(py::init<const std::string&, const std::string&, const std::string&, const std::string&,
                    const std::string&, bool, py::object>(),
           "endpoint"_a, "bucket"_a, "access_key"_a = "", "secret_key"_a = "", "region"_a = "us-east-1",
           "virtual_hosted"_a = false, "log"_a = py::none(),
           "Opens a store (nothing is contacted yet). `log(level, event, message)` receives\n"
           "the store's own events. Raises InvalidInputError naming a bad field.")
      .def("__repr__", [](const PyStore& s) { return "<libworkspace.Store " + s.describe() + ">"; })
      .def("describe", &PyStore::describe, "A secret-free description of the store.")
      .def("check_bucket", &PyStore::check_bucket,
           "Raises AuthError (credentials refused), NotFoundError (no bucket) or\n"
           "NetworkError (unreachable) unless the bucket can be used.")
      .def("list", &PyStore::list, "prefix"_a = "",
           "Every object under `prefix`, recursively, sorted by key:\n"
           "[{'key', 'size', 'etag', 'md5'}] (md5 is '' when unknown).")
      .def("mirror_up", &PyStore::mirror_up, "local_root"_a, "key_prefix"_a, py::kw_only(),
           "excludes"_a = py::none(), "max_file_size"_a = uint64_t(1) << 30, "parallel"_a = 8,
           "state_db"_a = py::none(), "verify_every"_a = 10, "dry_run"_a = false, "log"_a = py::none(),
           "progress"_a = py::none(),
           "Makes `key_prefix` a mirror of the directory `local_root` (rclone sync --checksum):\n"
           "uploads new and changed files, then deletes keys whose files are gone, only when\n"
           "every upload succeeded. `excludes` defaults to default_excludes(). `state_db` is an\n"
           "SQLite file (outside the tree) that makes unchanged cycles nearly free.\n"
           "Returns a summary dict: files, transferred, unchanged, deleted, bytes,\n"
           "bytes_transferred, listed, ok, skipped and failed (lists of {path, code, reason,\n"
           "message}). Per-file failures are reported there, not raised; a missing\n"
           "local_root (NotFoundError) or a failed listing raises.")
      .def("copy_down", &PyStore::copy_down, "key_prefix"_a, "local_root"_a, py::kw_only(),
           "excludes"_a = py::none(), "parallel"_a = 8, "state_db"_a = py::none(), "dry_run"_a = false,
           "log"_a = py::none(), "progress"_a = py::none(),
           "Downloads every object under `key_prefix` into `local_root` (rclone copy),\n"
           "restoring mtimes; identical files are left alone. Keys that would leave\n"
           "local_root are refused (in summary['failed'] with reason 'unsafe path') while\n"
           "the rest downloads. Returns the summary dict of mirror_up.");
}

}  // namespace wspy
