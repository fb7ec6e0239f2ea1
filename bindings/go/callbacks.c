#include "callbacks.h"
#include "_cgo_export.h"

static void wsgo_log(void *userdata, ws_log_level level, const char *event, const char *message) {
	wsgoLog((uintptr_t)userdata, (int)level, (char *)event, (char *)message);
}

static void wsgo_progress(void *userdata, const ws_progress *progress) {
	wsgoProgress((uintptr_t)userdata, (char *)progress->phase, (char *)progress->item,
	             progress->files_done, progress->files_total, progress->bytes_done,
	             progress->bytes_total);
}

ws_callbacks wsgo_callbacks(uintptr_t handle, int log, int progress) {
	ws_callbacks cb = WS_CALLBACKS_INIT;
	cb.log = log ? wsgo_log : NULL;
	cb.progress = progress ? wsgo_progress : NULL;
	cb.userdata = (void *)handle;
	return cb;
}
