// Constants and checks every S3Store source file shares (internal).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::store {

// SHA-256 of the empty body every GET, HEAD and DELETE signs.
inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
// Data transfers are bounded by stall detection, not by a total time.
inline constexpr std::chrono::hours kTransferTimeout{12};

// An empty key would address the bucket itself (PUT /bucket/ creates one).
inline Status check_key(std::string_view key) {
  if (key.empty()) return Error(Errc::invalid_input, "key: empty (an object key is required)");
  return {};
}

inline std::string content_type_or_default(const std::string& type) {
  return type.empty() ? "application/octet-stream" : type;
}

}  // namespace ws::store
