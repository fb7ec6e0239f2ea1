#include <cstdlib>
#include <memory>
#include <mutex>

#include "capi/capi.hpp"

namespace ws::capi {
namespace {

// The last error is per thread (as libgit2's git_error_last): the only
// mutable state shared across calls, and it is not shared across threads.
thread_local std::string t_last_error;

static_assert(WS_OK == static_cast<int>(Errc::ok));
static_assert(WS_EINVALID == static_cast<int>(Errc::invalid_input));
static_assert(WS_ENOTFOUND == static_cast<int>(Errc::not_found));
static_assert(WS_EAUTH == static_cast<int>(Errc::auth));
static_assert(WS_ENETWORK == static_cast<int>(Errc::network));
static_assert(WS_EPROTOCOL == static_cast<int>(Errc::protocol));
static_assert(WS_EIO == static_cast<int>(Errc::io));
static_assert(WS_ECONFLICT == static_cast<int>(Errc::conflict));
static_assert(WS_ECANCELLED == static_cast<int>(Errc::cancelled));
static_assert(WS_EUNSAFE == static_cast<int>(Errc::unsafe_path));
static_assert(WS_EUNSUPPORTED == static_cast<int>(Errc::unsupported));
static_assert(WS_ESTORE == static_cast<int>(Errc::store));
static_assert(WS_EGIT == static_cast<int>(Errc::git));
static_assert(WS_EINTERNAL == static_cast<int>(Errc::internal));

}  // namespace

int fail(const Error& err) {
  t_last_error = err.message;
  return static_cast<int>(err.code);
}

const char* last_error() { return t_last_error.c_str(); }

int succeed() {
  t_last_error.clear();
  return WS_OK;
}

char* dup_string(std::string_view s) {
  auto* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

bool null_arg(const void* p, const char* name, int* status) {
  if (p != nullptr) return false;
  *status = fail(Error(Errc::invalid_input, std::string("argument '") + name + "' must not be NULL"));
  return true;
}

bool rejected(const Status& st, int* status) {
  if (st) return false;
  *status = fail(st.error());
  return true;
}

Status check_version(unsigned int got, unsigned int current, const char* type) {
  if (got != 0 && got <= current) return {};
  return Error(Errc::invalid_input, std::string(type) + ": version " + std::to_string(got) +
                                        " is not supported (this libworkspace takes 1 to " +
                                        std::to_string(current) + ")");
}

Result<Logger> make_logger(const ws_callbacks* cb) {
  if (cb == nullptr) return Logger();
  WS_TRY(check_version(cb->version, WS_CALLBACKS_VERSION, "ws_callbacks"));
  auto mu = std::make_shared<std::mutex>();
  Logger::LogFn log;
  Logger::ProgressFn progress;
  if (cb->log != nullptr) {
    log = [mu, fn = cb->log, ud = cb->userdata](const LogEvent& e) {
      const std::string event(e.event), message(e.message);
      std::lock_guard lock(*mu);
      fn(ud, static_cast<ws_log_level>(e.level), event.c_str(), message.c_str());
    };
  }
  if (cb->progress != nullptr) {
    progress = [mu, fn = cb->progress, ud = cb->userdata](const Progress& p) {
      const std::string phase(p.phase), item(p.item);
      const ws_progress cp{phase.c_str(), item.c_str(), p.files_done, p.files_total,
                           p.bytes_done, p.bytes_total};
      std::lock_guard lock(*mu);
      fn(ud, &cp);
    };
  }
  return Logger(std::move(log), std::move(progress));
}

}  // namespace ws::capi

extern "C" {

const char* ws_version(void) { return WS_VERSION; }

const char* ws_status_name(int status) {
  return ws::errc_name(static_cast<ws::Errc>(status));
}

const char* ws_error_last(void) { return ws::capi::last_error(); }

void ws_string_free(char* s) { std::free(s); }

}  // extern "C"
