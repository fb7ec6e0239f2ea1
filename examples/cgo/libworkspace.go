// Package main shows the Go control plane's use of libworkspace through
// cgo: thin wrappers turning the C API's status codes and ws_error_last()
// into Go errors, and its JSON results into Go values.
package main

/*
#include <stdlib.h>
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Error is a failed libworkspace call: Code is a ws_status (negative),
// Message the library's ws_error_last() text.
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("libworkspace: %s (%s)", e.Message, C.GoString(C.ws_status_name(C.int(e.Code))))
}

// Status codes a caller switches on.
const (
	StatusInvalid  = int(C.WS_EINVALID)
	StatusNotFound = int(C.WS_ENOTFOUND)
)

// lastError reads ws_error_last(), which is per OS thread: every function
// that calls it pins its goroutine to its thread (runtime.LockOSThread)
// from the call to this read, or the Go scheduler could move it in between
// and the message read would be another call's.
func lastError(status C.int) error {
	if status == C.WS_OK {
		return nil
	}
	return &Error{Code: int(status), Message: C.GoString(C.ws_error_last())}
}

// takeString copies a string the library allocated and frees it.
func takeString(s *C.char) string {
	defer C.ws_string_free(s)
	return C.GoString(s)
}

// NormalizeRepos validates a REPOS_JSON array and returns its canonical form.
func NormalizeRepos(reposJSON string, withNames bool) (string, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	in := C.CString(reposJSON)
	defer C.free(unsafe.Pointer(in))
	flags := C.uint(C.WS_REPOS_DEFAULT)
	if withNames {
		flags = C.uint(C.WS_REPOS_WITH_NAMES)
	}
	var out *C.char
	if err := lastError(C.ws_repos_normalize(in, flags, &out)); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// PodPlanJSON returns the pod plan for a session and the CP's settings.
func PodPlanJSON(sessionJSON, settingsJSON string) (string, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	session := C.CString(sessionJSON)
	defer C.free(unsafe.Pointer(session))
	settings := C.CString(settingsJSON)
	defer C.free(unsafe.Pointer(settings))
	var out *C.char
	if err := lastError(C.ws_pod_plan(session, settings, &out)); err != nil {
		return "", err
	}
	return takeString(out), nil
}

// Config is a session pod's resolved configuration (ws_config).
type Config struct {
	handle *C.ws_config
}

// LoadConfig resolves a configuration from explicit variables; the process
// environment is not read.
func LoadConfig(vars map[string]string) (*Config, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	keys := make([]*C.char, 0, len(vars))
	values := make([]*C.char, 0, len(vars))
	for k, v := range vars {
		keys = append(keys, C.CString(k))
		values = append(values, C.CString(v))
	}
	defer func() {
		for i := range keys {
			C.free(unsafe.Pointer(keys[i]))
			C.free(unsafe.Pointer(values[i]))
		}
	}()
	// The C arrays must not hold Go pointers: copy them to C memory.
	n := C.size_t(len(keys))
	size := C.size_t(unsafe.Sizeof((*C.char)(nil))) * (n + 1)
	ckeys := (**C.char)(C.malloc(size))
	cvalues := (**C.char)(C.malloc(size))
	defer C.free(unsafe.Pointer(ckeys))
	defer C.free(unsafe.Pointer(cvalues))
	keySlice := unsafe.Slice(ckeys, len(keys)+1)
	valueSlice := unsafe.Slice(cvalues, len(keys)+1)
	copy(keySlice, keys)
	copy(valueSlice, values)
	var handle *C.ws_config
	if err := lastError(C.ws_config_from_pairs(&handle, ckeys, cvalues, n)); err != nil {
		return nil, err
	}
	return &Config{handle: handle}, nil
}

// Get returns the resolved value of an environment variable of the table.
func (c *Config) Get(name string) (string, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	var out *C.char
	if err := lastError(C.ws_config_get(c.handle, cname, &out)); err != nil {
		return "", err
	}
	return C.GoString(out), nil
}

// PersistenceEnabled says whether all four S3 settings are present.
func (c *Config) PersistenceEnabled() bool {
	return C.ws_config_persistence_enabled(c.handle) == 1
}

// Close frees the configuration.
func (c *Config) Close() {
	C.ws_config_free(c.handle)
	c.handle = nil
}
