// The API token for a long-running process (the sync sidecar): fetched once,
// fetched again before it expires (a minute ahead of its JWT "exp") and at
// least every five minutes, so a revoked or rotated token is picked up.
// When a refresh fails, the previous token is kept while it is still valid
// and the refresh is tried again after kRetryFailedRefresh.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "auth/api_token.hpp"

namespace ws::auth {

class RefreshingTokenSource {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  static constexpr std::chrono::minutes kMaxAge{5};
  static constexpr std::chrono::minutes kExpiryMargin{1};
  static constexpr std::chrono::seconds kRetryFailedRefresh{30};

  // `now` is replaceable for tests; empty = the system clock.
  RefreshingTokenSource(config::Config config, AuthOptions options, Logger log, Clock now = {});

  // The current token, refreshed first when due. Thread-safe; concurrent
  // callers share one refresh.
  Result<ApiToken> token();

 private:
  std::chrono::system_clock::time_point now() const;

  config::Config config_;
  AuthOptions options_;
  Logger log_;
  Clock clock_;
  std::mutex mu_;
  http::Client client_;
  std::optional<ApiToken> current_;
  std::chrono::system_clock::time_point refresh_at_{};
};

}  // namespace ws::auth
