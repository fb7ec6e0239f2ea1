package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"errors"
)

// withCancel runs fn with a fresh library cancel handle that the end of ctx
// requests: the operation starts nothing new, aborts its transfers within
// about a second and returns WS_ECANCELLED, whose *Error then wraps
// ctx.Err() so that errors.Is(err, context.Canceled) holds. A ctx that has
// already ended does not start fn. A requested handle stays requested,
// hence one per call.
func withCancel(ctx context.Context, fn func(cancel *C.ws_cancel) error) error {
	if ctx.Err() != nil {
		return cancelled(ctx)
	}
	var handle *C.ws_cancel
	if err := call(func() C.int { return C.ws_cancel_new(&handle) }); err != nil {
		return err
	}
	defer C.ws_cancel_free(handle)
	if ctx.Done() != nil {
		done, watcher := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(watcher)
			select {
			case <-ctx.Done():
				C.ws_cancel_request(handle)
			case <-done:
			}
		}()
		defer func() { close(done); <-watcher }() // no request after the free
	}
	err := fn(handle)
	var e *Error
	if errors.As(err, &e) && e.Code == StatusCancelled && ctx.Err() != nil {
		e.cause = ctx.Err()
	}
	return err
}
