// The store a tree sync talks to: the caller's store, or its cancellable
// view when a cancel must also abort the transfers under way.
#pragma once

#include <memory>

#include "common/cancel.hpp"
#include "store/store.hpp"

namespace ws::sync {

class CancelView {
 public:
  CancelView(store::Store& store, const CancelToken* cancel, bool let_transfers_end)
      : store_(store), view_(cancel != nullptr && !let_transfers_end ? store.cancellable(*cancel) : nullptr) {}

  store::Store& store() const { return view_ ? *view_ : store_; }

 private:
  store::Store& store_;
  std::unique_ptr<store::Store> view_;
};

}  // namespace ws::sync
