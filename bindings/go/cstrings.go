package libworkspace

/*
#include <stdlib.h>
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"strings"
	"unsafe"
)

// cstrings owns the C copies of a call's string arguments: C must never
// keep or receive Go memory holding pointers, so each string and each
// array of strings is copied into C memory and freed after the call.
type cstrings struct{ ptrs []unsafe.Pointer }

// str copies s; a string holding NUL is refused by the caller beforehand.
func (c *cstrings) str(s string) *C.char {
	p := C.CString(s)
	c.ptrs = append(c.ptrs, unsafe.Pointer(p))
	return p
}

// opt is str, or NULL for "" (the C API's "take the default").
func (c *cstrings) opt(s string) *C.char {
	if s == "" {
		return nil
	}
	return c.str(s)
}

// array copies ss into a C array of C strings (NULL when ss is nil).
func (c *cstrings) array(ss []string) **C.char {
	if ss == nil {
		return nil
	}
	n := len(ss) + 1 // never malloc(0), and a NULL end does no harm
	arr := (**C.char)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	c.ptrs = append(c.ptrs, unsafe.Pointer(arr))
	items := unsafe.Slice(arr, n)
	for i, s := range ss {
		items[i] = c.str(s)
	}
	return arr
}

func (c *cstrings) free() {
	for _, p := range c.ptrs {
		C.free(p)
	}
	c.ptrs = nil
}

// checkStrings refuses arguments C would silently cut at a NUL byte.
func checkStrings(named ...string) error {
	for i := 0; i+1 < len(named); i += 2 {
		if strings.IndexByte(named[i+1], 0) >= 0 {
			return invalid("%s must not contain a NUL byte", named[i])
		}
	}
	return nil
}

// takeString copies a string the library allocated and frees it.
func takeString(s *C.char) string {
	defer C.ws_string_free(s)
	return C.GoString(s)
}
