package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import "context"

// cancelHandle will be the library's ws_cancel (being added to the C API):
// until then an operation cannot be stopped midway, and withCancel only
// refuses to start one whose ctx has ended.
type cancelHandle struct{}

func (cancelHandle) setSync(*C.ws_sync_options)           {}
func (cancelHandle) setWorkspace(*C.ws_workspace_options) {}

func withCancel(ctx context.Context, fn func(cancel cancelHandle) error) error {
	if ctx.Err() != nil {
		return cancelled(ctx)
	}
	return fn(cancelHandle{})
}
