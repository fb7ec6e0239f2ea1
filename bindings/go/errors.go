package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"fmt"
	"runtime"
)

// Status is a libworkspace status code (ws_status): 0 or negative.
type Status int

// The library's status codes.
const (
	StatusOK          Status = C.WS_OK
	StatusInvalid     Status = C.WS_EINVALID
	StatusNotFound    Status = C.WS_ENOTFOUND
	StatusAuth        Status = C.WS_EAUTH
	StatusNetwork     Status = C.WS_ENETWORK
	StatusProtocol    Status = C.WS_EPROTOCOL
	StatusIO          Status = C.WS_EIO
	StatusConflict    Status = C.WS_ECONFLICT
	StatusCancelled   Status = C.WS_ECANCELLED
	StatusUnsafe      Status = C.WS_EUNSAFE
	StatusUnsupported Status = C.WS_EUNSUPPORTED
	StatusStore       Status = C.WS_ESTORE
	StatusGit         Status = C.WS_EGIT
	StatusInternal    Status = C.WS_EINTERNAL
)

// String is the library's short name of the status ("invalid input").
func (s Status) String() string { return C.GoString(C.ws_status_name(C.int(s))) }

// Error is a failed libworkspace call: Code says what kind of failure,
// Message (never holding a secret) what went wrong, naming the input.
type Error struct {
	Code    Status
	Message string

	sentinel bool
	cause    error // the context's error when the call was cancelled
}

func (e *Error) Error() string {
	if e.sentinel {
		return "libworkspace: " + e.Code.String()
	}
	return fmt.Sprintf("libworkspace: %s (%s)", e.Message, e.Code)
}

// Is makes errors.Is(err, ErrNotFound) true for every *Error of that status.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Code == e.Code
}

// Unwrap gives the context's error of a cancelled call, so that
// errors.Is(err, context.Canceled) holds.
func (e *Error) Unwrap() error { return e.cause }

func sentinel(code Status) *Error { return &Error{Code: code, sentinel: true} }

// Sentinels, one per status, for errors.Is.
var (
	ErrInvalid     = sentinel(StatusInvalid)
	ErrNotFound    = sentinel(StatusNotFound)
	ErrAuth        = sentinel(StatusAuth)
	ErrNetwork     = sentinel(StatusNetwork)
	ErrProtocol    = sentinel(StatusProtocol)
	ErrIO          = sentinel(StatusIO)
	ErrConflict    = sentinel(StatusConflict)
	ErrCancelled   = sentinel(StatusCancelled)
	ErrUnsafe      = sentinel(StatusUnsafe)
	ErrUnsupported = sentinel(StatusUnsupported)
	ErrStore       = sentinel(StatusStore)
	ErrGit         = sentinel(StatusGit)
	ErrInternal    = sentinel(StatusInternal)
)

// call runs one C call and reads its ws_error_last() on the same locked OS
// thread: the message is per thread, so a goroutine moved to another
// thread between the two would read someone else's.
func call(fn func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := fn()
	if rc == C.WS_OK {
		return nil
	}
	return &Error{Code: Status(rc), Message: C.GoString(C.ws_error_last())}
}

// invalid is an error of this face for bad arguments caught before C.
func invalid(format string, args ...any) error {
	return &Error{Code: StatusInvalid, Message: fmt.Sprintf(format, args...)}
}

// cancelled is the error of a call whose context ended before it began.
func cancelled(ctx context.Context) error {
	return &Error{Code: StatusCancelled, Message: "cancelled: " + ctx.Err().Error(), cause: ctx.Err()}
}
