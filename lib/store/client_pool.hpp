// http::Client is one-per-thread; a Store is shared by threads. The pool
// hands each caller a Client of its own for the length of one operation and
// takes it back afterwards, so connections are reused without sharing a
// Client between threads and without any global state.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "http/http.hpp"

namespace ws::store {

class ClientPool {
 public:
  explicit ClientPool(Logger log) : log_(std::move(log)) {}

  class Lease {
   public:
    Lease(ClientPool& pool, std::unique_ptr<http::Client> client) : pool_(&pool), client_(std::move(client)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (client_) pool_->give_back(std::move(client_));
    }
    http::Client& operator*() const { return *client_; }
    http::Client* operator->() const { return client_.get(); }

   private:
    ClientPool* pool_;
    std::unique_ptr<http::Client> client_;
  };

  Lease acquire();

 private:
  void give_back(std::unique_ptr<http::Client> client);

  Logger log_;
  std::mutex mu_;
  std::vector<std::unique_ptr<http::Client>> idle_;
};

}  // namespace ws::store
