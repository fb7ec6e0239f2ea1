/*
 * libworkspace — common definitions of the C API.
 *
 * Stability: every function and type declared in the headers of include/libworkspace
 * outside a WS_EXPERIMENTAL block is stable within a major version: it keeps
 * its signature and meaning, new functions and new trailing fields in
 * versioned option structs may be added. Declarations inside
 * `#ifdef WS_EXPERIMENTAL` may change in any release.
 *
 * Conventions (as libgit2's):
 *  - every fallible function returns an int: 0 (WS_OK) or a negative
 *    ws_status; ws_error_last() then explains, on the calling thread;
 *  - objects are opaque handles, created by ws_<noun>_new/_from_* and freed by
 *    ws_<noun>_free (which accepts NULL);
 *  - strings the library returns through `char **out` are owned by the caller
 *    and freed with ws_string_free(); `const char *` results are borrowed and
 *    stay valid as the comment says;
 *  - option structs carry `version` as first field and have an _INIT macro;
 *  - no call keeps a pointer to caller memory after it returns, except the
 *    callback userdata, for as long as the handle that holds it.
 * Thread safety: distinct handles may be used from distinct threads at once;
 * one handle must not be used by two threads at once unless its header says
 * so. The library has no global mutable state.
 */
#ifndef LIBWORKSPACE_COMMON_H
#define LIBWORKSPACE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define WS_EXTERN(type) __declspec(dllexport) type
#else
#  define WS_EXTERN(type) __attribute__((visibility("default"))) type
#endif

#define WS_VERSION_MAJOR 0
#define WS_VERSION_MINOR 1
#define WS_VERSION_PATCH 0
#define WS_VERSION "0.1.0"

/* Status codes: 0 or negative. Switch on them; the message is for humans. */
typedef enum ws_status {
	WS_OK = 0,
	WS_EINVALID = -1,      /* bad input: JSON, URL, field, option, path */
	WS_ENOTFOUND = -2,     /* repo, bucket, key, file, branch */
	WS_EAUTH = -3,         /* credentials missing or refused */
	WS_ENETWORK = -4,      /* connect, DNS, TLS, timeout, reset */
	WS_EPROTOCOL = -5,     /* a peer answered something malformed */
	WS_EIO = -6,           /* local filesystem */
	WS_ECONFLICT = -7,     /* target exists, not empty, or changed underneath */
	WS_ECANCELLED = -8,    /* stopped by the caller or a signal */
	WS_EUNSAFE = -9,       /* a key or path would escape its target directory */
	WS_EUNSUPPORTED = -10, /* a format or feature this build does not handle */
	WS_ESTORE = -11,       /* the object store refused */
	WS_EGIT = -12,         /* git failure */
	WS_EINTERNAL = -13     /* a bug in libworkspace */
} ws_status;

/* "0.1.0"; static storage, never freed. */
WS_EXTERN(const char *) ws_version(void);

/* A short name of a status ("invalid input"); static storage. */
WS_EXTERN(const char *) ws_status_name(int status);

/*
 * The message of the last failed call on this thread, or "" when the last
 * call succeeded. Borrowed: valid until the next ws_ call on this thread.
 * Never contains a secret. Never NULL.
 */
WS_EXTERN(const char *) ws_error_last(void);

/* Frees a string returned through a `char **out` parameter. NULL is fine. */
WS_EXTERN(void) ws_string_free(char *s);

typedef enum ws_log_level {
	WS_LOG_DEBUG = 0,
	WS_LOG_INFO = 1,
	WS_LOG_WARN = 2,
	WS_LOG_ERROR = 3
} ws_log_level;

/*
 * A log event. `event` is a short stable identifier ("clone.failed"),
 * `message` a human sentence; both borrowed for the duration of the call.
 */
typedef void (*ws_log_cb)(void *userdata, ws_log_level level, const char *event,
                          const char *message);

typedef struct ws_progress {
	const char *phase;     /* "upload", "download", "clone", ... (borrowed) */
	const char *item;      /* current file or repo, may be "" (borrowed) */
	uint64_t files_done;
	uint64_t files_total;
	uint64_t bytes_done;
	uint64_t bytes_total;
} ws_progress;

typedef void (*ws_progress_cb)(void *userdata, const ws_progress *progress);

/*
 * Callbacks for long-running calls. Callbacks may be invoked from worker
 * threads of the library, one at a time (calls are serialised).
 */
typedef struct ws_callbacks {
	unsigned int version;   /* WS_CALLBACKS_VERSION */
	ws_log_cb log;          /* may be NULL */
	ws_progress_cb progress;/* may be NULL */
	void *userdata;
} ws_callbacks;

#define WS_CALLBACKS_VERSION 1
#define WS_CALLBACKS_INIT { WS_CALLBACKS_VERSION, NULL, NULL, NULL }

/*
 * A cancel handle: stops the long calls that take one (ws_hydrate_ext,
 * ws_sync_once, ws_sync_mirror_up, ws_sync_copy_down, through the `cancel`
 * field of their options). Once requested, such a call starts no further
 * file, repo or clone, aborts the transfers under way within about a
 * second (also while the peer sends nothing), and returns WS_ECANCELLED.
 * Each object and file it was writing stays old or new, never partial,
 * and a sync that was cancelled deletes nothing. A later call with a fresh
 * handle (or none) continues from there. A requested handle stays
 * requested: use a new one for the next call.
 * One handle may serve several calls at once, on any threads; it must
 * outlive every call that uses it.
 */
typedef struct ws_cancel ws_cancel;

/* On success *out is a new, not yet requested handle owned by the caller
 * (ws_cancel_free). */
WS_EXTERN(int) ws_cancel_new(ws_cancel **out);

/* Requests the cancel. Thread-safe, idempotent and async-signal-safe (it
 * only sets an atomic flag), so a signal handler may call it. NULL is
 * ignored. */
WS_EXTERN(void) ws_cancel_request(ws_cancel *cancel);

/* 1 once ws_cancel_request was called on `cancel`, else 0 (also for NULL). */
WS_EXTERN(int) ws_cancel_requested(const ws_cancel *cancel);

/* Frees the handle; no call may still be using it. NULL is fine. */
WS_EXTERN(void) ws_cancel_free(ws_cancel *cancel);

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_COMMON_H */
