#include "capi/cancel_handle.hpp"
#include "capi/capi.hpp"

extern "C" {

int ws_cancel_new(ws_cancel** out) {
  return ws::capi::guard([&] {
    int status = 0;
    if (ws::capi::null_arg(out, "out", &status)) return status;
    *out = new ws_cancel;
    return ws::capi::succeed();
  });
}

void ws_cancel_request(ws_cancel* cancel) {
  if (cancel != nullptr) cancel->token.request();
}

int ws_cancel_requested(const ws_cancel* cancel) { return ws::cancel_requested(ws::capi::token_of(cancel)) ? 1 : 0; }

void ws_cancel_free(ws_cancel* cancel) { delete cancel; }

}  // extern "C"
