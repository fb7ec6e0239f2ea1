// The ws_*_init functions: what the WS_*_INIT macros do, at run time, for
// callers that cannot use a macro (cgo, FFI). Every such struct is zero
// but for its version, and a struct of an older version is only as long
// as that version's fields: it is cleared to its own end, never past.
#include <cstddef>
#include <cstring>

#include "capi/capi.hpp"
#include "libworkspace/libworkspace.h"

namespace {

template <class T>
int init_struct(T* s, unsigned int version, unsigned int current, const char* type,
                size_t version_1_size = sizeof(T)) {
  return ws::capi::guard([&] {
    int status = 0;
    if (ws::capi::null_arg(s, type, &status)) return status;
    if (auto st = ws::capi::check_version(version, current, type); !st) return ws::capi::fail(st.error());
    std::memset(static_cast<void*>(s), 0, version == 1 ? version_1_size : sizeof(T));
    s->version = version;
    return ws::capi::succeed();
  });
}

}  // namespace

extern "C" {

int ws_callbacks_init(ws_callbacks* callbacks, unsigned int version) {
  return init_struct(callbacks, version, WS_CALLBACKS_VERSION, "ws_callbacks");
}

int ws_store_options_init(ws_store_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_STORE_OPTIONS_VERSION, "ws_store_options");
}

int ws_sync_options_init(ws_sync_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_SYNC_OPTIONS_VERSION, "ws_sync_options", offsetof(ws_sync_options, cancel));
}

int ws_workspace_options_init(ws_workspace_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_WORKSPACE_OPTIONS_VERSION, "ws_workspace_options",
                     offsetof(ws_workspace_options, cancel));
}

int ws_clone_options_init(ws_clone_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_CLONE_OPTIONS_VERSION, "ws_clone_options");
}

int ws_workflow_options_init(ws_workflow_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_WORKFLOW_OPTIONS_VERSION, "ws_workflow_options");
}

int ws_backup_options_init(ws_backup_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_BACKUP_OPTIONS_VERSION, "ws_backup_options");
}

int ws_restore_options_init(ws_restore_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_RESTORE_OPTIONS_VERSION, "ws_restore_options");
}

int ws_auth_options_init(ws_auth_options* opts, unsigned int version) {
  return init_struct(opts, version, WS_AUTH_OPTIONS_VERSION, "ws_auth_options");
}

}  // extern "C"
