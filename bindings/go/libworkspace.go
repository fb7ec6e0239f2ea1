// Package libworkspace is the Go face of libworkspace, the library that
// prepares and persists the /workspace of agent-session pods: the pod plan
// the control plane turns into Kubernetes containers, the session's
// configuration and credentials, hydrate, sync cycles and the sidecar loop,
// the object store and its tree sync, repo backup and restore.
//
// It links libworkspace.so through cgo and `pkg-config libworkspace`, and
// uses the standard library only.
//
// Conventions, as git2go's:
//   - every blocking call takes a context.Context first; cancelling it
//     cancels the running operation where the library can stop one
//     (hydrate, sync, the tree sync) and the call returns an error for which
//     errors.Is(err, context.Canceled) holds;
//   - failures are *Error values carrying the library's status and message;
//     compare with errors.Is against ErrInvalid, ErrNotFound, ...;
//   - handles (Config, Credentials, Store, Sidecar) own C resources: call
//     Close; a finalizer frees a forgotten one;
//   - log and progress callbacks may run on the library's own threads, one
//     at a time; a callback that panics is recovered and reported in the
//     call's error (ErrCallbackPanic), and the process goes on.
//
// Every function may be called from any goroutine; a handle may be shared
// between goroutines except where its comment says otherwise.
package libworkspace

/*
#cgo pkg-config: libworkspace
#include <libworkspace/libworkspace.h>
*/
import "C"

// Version is the linked library's version ("0.1.0").
func Version() string { return C.GoString(C.ws_version()) }
