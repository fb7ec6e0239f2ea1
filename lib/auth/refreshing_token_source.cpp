#include "auth/refreshing_token_source.hpp"

#include <algorithm>

namespace ws::auth {

RefreshingTokenSource::RefreshingTokenSource(config::Config config, AuthOptions options, Logger log,
                                             Clock now)
    : config_(std::move(config)),
      options_(std::move(options)),
      log_(log),
      clock_(std::move(now)),
      client_(std::move(log)) {}

std::chrono::system_clock::time_point RefreshingTokenSource::now() const {
  return clock_ ? clock_() : std::chrono::system_clock::now();
}

Result<ApiToken> RefreshingTokenSource::token() {
  std::lock_guard lock(mu_);
  const auto t = now();
  if (current_ && t < refresh_at_) return *current_;

  auto fresh = resolve_api_token(config_, options_, client_, log_);
  if (!fresh) {
    const bool still_valid = current_ && (!current_->expires_at || t < *current_->expires_at);
    if (!still_valid) return std::move(fresh).error().context("refreshing the API token");
    log_.warn("token.refresh_failed",
              "refreshing the API token failed, keeping the current one: " + fresh.error().message);
    refresh_at_ = t + kRetryFailedRefresh;
    return *current_;
  }
  current_ = std::move(*fresh);
  refresh_at_ = t + kMaxAge;
  if (current_->expires_at) refresh_at_ = std::min(refresh_at_, *current_->expires_at - kExpiryMargin);
  return *current_;
}

}  // namespace ws::auth
