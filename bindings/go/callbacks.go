package libworkspace

/*
#include <stdint.h>
#include "callbacks.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// LogLevel is a log event's severity.
type LogLevel int

// Log levels (ws_log_level).
const (
	LogDebug LogLevel = C.WS_LOG_DEBUG
	LogInfo  LogLevel = C.WS_LOG_INFO
	LogWarn  LogLevel = C.WS_LOG_WARN
	LogError LogLevel = C.WS_LOG_ERROR
)

func (l LogLevel) String() string {
	switch l {
	case LogDebug:
		return "debug"
	case LogInfo:
		return "info"
	case LogWarn:
		return "warn"
	case LogError:
		return "error"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// Progress is a long-running call's progress report.
type Progress struct {
	Phase      string // "upload", "download", "clone", ...
	Item       string // current file or repo, may be ""
	FilesDone  uint64
	FilesTotal uint64
	BytesDone  uint64
	BytesTotal uint64
}

// Callbacks receive a call's log events (event is a stable id such as
// "clone.failed") and progress. Either may be nil. They may run on the
// library's own threads, one at a time, and must not call back into a
// handle whose call is running.
type Callbacks struct {
	Log      func(level LogLevel, event, message string)
	Progress func(Progress)
}

// ErrCallbackPanic matches (errors.Is) the error of a call whose callback
// panicked; errors.As gives the *CallbackPanicError.
var ErrCallbackPanic = fmt.Errorf("libworkspace: a callback panicked")

// CallbackPanicError reports a callback's recovered panic. The call went on
// without that callback; Err is the call's own error, if it also failed.
type CallbackPanicError struct {
	Callback string // "log" or "progress"
	Value    any    // what the callback panicked with
	Stack    []byte
	Err      error
}

func (e *CallbackPanicError) Error() string {
	msg := fmt.Sprintf("libworkspace: the %s callback panicked: %v", e.Callback, e.Value)
	if e.Err != nil {
		msg += "; and " + e.Err.Error()
	}
	return msg
}

func (e *CallbackPanicError) Is(target error) bool { return target == ErrCallbackPanic }
func (e *CallbackPanicError) Unwrap() error        { return e.Err }

// liveHandles counts the registered callback handles (a leak shows here).
var liveHandles atomic.Int64

// callbackSet is what a C callback's userdata names, through a cgo.Handle:
// the Go functions and the first panic one of them raised.
type callbackSet struct {
	cb     Callbacks
	handle cgo.Handle

	mu       sync.Mutex
	panicked *CallbackPanicError
}

// newCallbackSet registers cb; nil when there is nothing to call. Its
// C struct is valid until release.
func newCallbackSet(cb *Callbacks) *callbackSet {
	if cb == nil || (cb.Log == nil && cb.Progress == nil) {
		return nil
	}
	s := &callbackSet{cb: *cb}
	s.handle = cgo.NewHandle(s)
	liveHandles.Add(1)
	return s
}

// c is the ws_callbacks to pass the library; NULL-equivalent for nil.
func (s *callbackSet) c() *C.ws_callbacks {
	if s == nil {
		return nil
	}
	cb := C.wsgo_callbacks(C.uintptr_t(s.handle), cbool(s.cb.Log != nil), cbool(s.cb.Progress != nil))
	return &cb
}

// release unregisters the set; the library must no longer call it.
func (s *callbackSet) release() {
	if s == nil {
		return
	}
	s.handle.Delete()
	liveHandles.Add(-1)
}

// result folds a recorded panic into the call's error.
func (s *callbackSet) result(err error) error {
	if s == nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.panicked == nil {
		return err
	}
	p := *s.panicked
	p.Err = err
	s.panicked = nil
	return &p
}

// run calls fn unless a callback of the set already panicked, and turns a
// panic into a recorded error: it must never unwind into C.
func (s *callbackSet) run(name string, fn func()) {
	s.mu.Lock()
	dead := s.panicked != nil
	s.mu.Unlock()
	if dead {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			s.mu.Lock()
			if s.panicked == nil {
				s.panicked = &CallbackPanicError{Callback: name, Value: r, Stack: debug.Stack()}
			}
			s.mu.Unlock()
		}
	}()
	fn()
}

func cbool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

//export wsgoLog
func wsgoLog(handle C.uintptr_t, level C.int, event, message *C.char) {
	s := cgo.Handle(handle).Value().(*callbackSet)
	ev, msg := C.GoString(event), C.GoString(message)
	s.run("log", func() { s.cb.Log(LogLevel(level), ev, msg) })
}

//export wsgoProgress
func wsgoProgress(handle C.uintptr_t, phase, item *C.char, filesDone, filesTotal, bytesDone, bytesTotal C.uint64_t) {
	s := cgo.Handle(handle).Value().(*callbackSet)
	p := Progress{
		Phase: C.GoString(phase), Item: C.GoString(item),
		FilesDone: uint64(filesDone), FilesTotal: uint64(filesTotal),
		BytesDone: uint64(bytesDone), BytesTotal: uint64(bytesTotal),
	}
	s.run("progress", func() { s.cb.Progress(p) })
}
