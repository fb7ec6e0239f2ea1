// What a ws_cancel is inside: the library's own cancel token.
#pragma once

#include "common/cancel.hpp"
#include "libworkspace/common.h"

struct ws_cancel {
  ws::CancelToken token;
};

namespace ws::capi {

// The token behind a handle; null for a NULL handle (not cancellable).
inline const CancelToken* token_of(const ws_cancel* cancel) { return cancel != nullptr ? &cancel->token : nullptr; }

}  // namespace ws::capi
