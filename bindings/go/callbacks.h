/* C side of the callback trampolines (callbacks.go): the library calls these
 * C functions, which pass the userdata, a runtime/cgo.Handle value, on to
 * the exported Go functions. No Go pointer is ever stored in C. */
#ifndef LIBWORKSPACE_GO_CALLBACKS_H
#define LIBWORKSPACE_GO_CALLBACKS_H

#include <stdint.h>
#include <libworkspace/libworkspace.h>

/* Callbacks whose userdata is `handle`; log and progress only when asked. */
ws_callbacks wsgo_callbacks(uintptr_t handle, int log, int progress);

#endif
