#include "http/retry_schedule.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <ctime>

namespace ws::http {
namespace {

bool retryable(const Result<Response>& outcome, const RetryPolicy& policy) {
  if (!outcome) return outcome.error().code == Errc::network;
  const long s = outcome->status;
  return policy.retry_5xx && (s == 429 || (s >= 500 && s <= 599));
}

std::chrono::milliseconds backoff(int attempt, const RetryPolicy& policy, std::mt19937_64& rng) {
  using std::chrono::milliseconds;
  const auto base = std::max<int64_t>(policy.base_delay.count(), 0);
  const auto cap = std::max<int64_t>(policy.max_delay.count(), base);
  const int shift = std::clamp(attempt - 1, 0, 30);
  const int64_t full = std::min<int64_t>(cap, base << shift);
  // "Equal jitter": half the delay is fixed, half random, so clients that
  // failed together do not retry together yet still back off.
  std::uniform_int_distribution<int64_t> jitter(0, full / 2);
  return milliseconds(full - full / 2 + jitter(rng));
}

}  // namespace

std::optional<std::chrono::milliseconds> retry_after(const Response& response) {
  const auto value = response.header("Retry-After");
  if (!value || value->empty()) return std::nullopt;
  int64_t seconds = 0;
  const char* end = value->data() + value->size();
  auto [ptr, ec] = std::from_chars(value->data(), end, seconds);
  if (ec == std::errc() && ptr == end) {
    return std::chrono::milliseconds(std::max<int64_t>(seconds, 0) * 1000);
  }
  const time_t when = curl_getdate(value->c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(when) - std::chrono::system_clock::now();
  return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(wait),
                  std::chrono::milliseconds(0));
}

std::optional<std::chrono::milliseconds> next_retry_delay(const Result<Response>& outcome,
                                                          int attempt, const RetryPolicy& policy,
                                                          std::mt19937_64& rng) {
  if (attempt >= policy.max_attempts || !retryable(outcome, policy)) return std::nullopt;
  auto delay = backoff(attempt, policy, rng);
  if (outcome) {
    if (auto asked = retry_after(*outcome)) {
      delay = std::max(delay, std::min<std::chrono::milliseconds>(*asked, kMaxRetryAfter));
    }
  }
  return delay;
}

std::string retry_reason(const Result<Response>& outcome) {
  if (!outcome) return outcome.error().message;
  return "HTTP " + std::to_string(outcome->status);
}

}  // namespace ws::http
