// When to try a request again: after a transport error (Errc::network), a
// 5xx or a 429, while attempts remain; after exponential backoff with jitter,
// or after what the server's Retry-After asks for when that is longer.
#pragma once

#include <chrono>
#include <optional>
#include <random>

#include "http/http.hpp"

namespace ws::http {

// A server may ask for at most this long a pause; beyond it the request
// fails with the server's answer rather than hang a hydrate or a sync cycle.
inline constexpr std::chrono::seconds kMaxRetryAfter{60};

// The pause before attempt `attempt + 1`, or nothing when `outcome` of
// attempt `attempt` (1-based) is final.
std::optional<std::chrono::milliseconds> next_retry_delay(const Result<Response>& outcome,
                                                          int attempt, const RetryPolicy& policy,
                                                          std::mt19937_64& rng);

// Retry-After as seconds ("120") or an HTTP date; nothing when absent or unreadable.
std::optional<std::chrono::milliseconds> retry_after(const Response& response);

// Why the attempt is retried, for the log line: "503", "network error".
std::string retry_reason(const Result<Response>& outcome);

}  // namespace ws::http
