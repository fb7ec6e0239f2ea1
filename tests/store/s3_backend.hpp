// The S3 backend for the store contract: one s3rver for the whole test
// program (started on first use), a fresh key prefix per test.
#pragma once

#include <atomic>
#include <string>

#include "s3rver.hpp"
#include "store/store.hpp"

struct S3Backend {
  static constexpr bool kRefusesUnsafeKeys = false;

  static wstest::S3rver& server() {
    static wstest::S3rver s3({"test-bucket", "other-bucket"});
    return s3;
  }

  std::string prefix;
  S3Backend() {
    static std::atomic<int> counter{0};
    prefix = std::string("t").append(std::to_string(counter++)).append("/");
  }

  ws::store::StoreConfig config() const {
    ws::store::StoreConfig cfg;
    cfg.endpoint = server().endpoint();
    cfg.bucket = "test-bucket";
    cfg.access_key = wstest::S3rver::kAccessKey;
    cfg.secret_key = wstest::S3rver::kSecretKey;
    return cfg;
  }
  std::string key(std::string_view k) const { return prefix + std::string(k); }
};
