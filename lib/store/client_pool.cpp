#include "store/client_pool.hpp"

namespace ws::store {

ClientPool::Lease ClientPool::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto client = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(client));
    }
  }
  return Lease(*this, std::make_unique<http::Client>(log_));
}

void ClientPool::give_back(std::unique_ptr<http::Client> client) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(client));
}

}  // namespace ws::store
