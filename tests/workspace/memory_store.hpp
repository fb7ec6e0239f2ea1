// An in-memory Store for unit tests that need a store answering what no
// real backend would store (keys with "..", NUL). Peer tests use s3rver
// (stopped for an outage, or behind tests/support/fault_proxy.hpp) instead.
// While `down`, every call fails as an unreachable store's would.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "store/digest.hpp"
#include "store/store.hpp"
#include "support.hpp"

namespace wsws {

class MemoryStore final : public ws::store::Store {
 public:
  std::map<std::string, std::string> objects;
  bool down = false;
  // Every call, as a request count a real store would see.
  std::atomic<int> requests{0};

  std::string describe() const override { return "memory store"; }
  std::string identity() const override { return "memory"; }
  ws::Status check_bucket() override {
    ++requests;
    return guard();
  }
  ws::Result<std::vector<ws::store::ObjectInfo>> list(std::string_view prefix) override {
    ++requests;
    WS_TRY(guard());
    std::lock_guard lock(mu_);
    std::vector<ws::store::ObjectInfo> out;
    for (const auto& [k, v] : objects) {
      if (k.rfind(prefix, 0) == 0) out.push_back(info(k, v));
    }
    return out;
  }
  ws::Result<ws::store::ObjectInfo> head(std::string_view key) override {
    ++requests;
    WS_TRY(guard());
    std::lock_guard lock(mu_);
    auto it = objects.find(std::string(key));
    if (it == objects.end()) return ws::Error(ws::Errc::not_found, std::string(key));
    return info(it->first, it->second);
  }
  ws::Result<ws::store::ObjectInfo> get_file(std::string_view key, const std::filesystem::path& dest) override {
    auto h = head(key);
    if (!h) return h;
    wstest::write_file(dest, objects.at(std::string(key)));
    return h;
  }
  ws::Result<std::string> get_bytes(std::string_view key) override {
    ++requests;
    WS_TRY(guard());
    std::lock_guard lock(mu_);
    auto it = objects.find(std::string(key));
    if (it == objects.end()) return ws::Error(ws::Errc::not_found, std::string(key));
    return it->second;
  }
  ws::Status put_file(std::string_view key, const std::filesystem::path& src, const ws::store::PutOptions&) override {
    ++requests;
    WS_TRY(guard());
    std::lock_guard lock(mu_);
    objects[std::string(key)] = wstest::read_file(src);
    return {};
  }
  ws::Status put_bytes(std::string_view key, std::string_view data, const ws::store::PutOptions&) override {
    ++requests;
    WS_TRY(guard());
    std::lock_guard lock(mu_);
    objects[std::string(key)] = std::string(data);
    return {};
  }
  ws::Result<std::vector<ws::store::DeleteFailure>> remove(const std::vector<std::string>& keys) override {
    ++requests;
    WS_TRY(guard());
    std::lock_guard lock(mu_);
    for (const auto& k : keys) objects.erase(k);
    return std::vector<ws::store::DeleteFailure>{};
  }

 private:
  ws::Status guard() const {
    if (down) return ws::Error(ws::Errc::network, "memory store is down");
    return {};
  }
  static ws::store::ObjectInfo info(const std::string& k, const std::string& v) {
    ws::store::ObjectInfo i;
    i.key = k;
    i.size = v.size();
    i.md5_hex = ws::store::md5_hex(v);
    i.etag = i.md5_hex;
    return i;
  }
  std::mutex mu_;
};

}  // namespace wsws
