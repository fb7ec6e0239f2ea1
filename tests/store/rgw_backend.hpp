// The RGW backend for the store contract: the test program's one Ceph RGW
// (started on first use), a fresh key prefix per test.
#pragma once

#include <atomic>
#include <string>

#include "rgw.hpp"
#include "store/store.hpp"

struct RgwBackend {
  static constexpr bool kRefusesUnsafeKeys = false;

  static wstest::Rgw& server() { return wstest::Rgw::shared(); }

  std::string prefix;
  RgwBackend() {
    static std::atomic<int> counter{0};
    prefix = std::string("t").append(std::to_string(counter++)).append("/");
  }

  ws::store::StoreConfig config() const {
    ws::store::StoreConfig cfg;
    cfg.endpoint = server().endpoint();
    cfg.bucket = "test-bucket";
    cfg.access_key = wstest::Rgw::kAccessKey;
    cfg.secret_key = wstest::Rgw::kSecretKey;
    return cfg;
  }
  std::string key(std::string_view k) const { return prefix + std::string(k); }
};
