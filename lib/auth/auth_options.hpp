// Knobs of the auth layer that are not session inputs (those live in
// config::Config): attempt counts and timeouts behaviour §4 fixes, the plain-http
// escape hatch, and a sleeper so tests need not wait out real pauses.
#pragma once

#include <chrono>
#include <functional>

namespace ws::auth {

struct AuthOptions {
  // CP token endpoint: attempts, the pause before attempt n+1 is n × pause
  // (1 s then 2 s), and each attempt's timeout.
  int token_attempts = 3;
  std::chrono::milliseconds token_retry_pause{1000};
  std::chrono::milliseconds token_timeout{10'000};
  // Backend credentials API: each request's timeout and attempts.
  std::chrono::milliseconds credentials_timeout{10'000};
  int credentials_attempts = 3;
  // Bearer tokens travel over plain http only to cluster-internal hosts
  // (*.svc, *.svc.cluster.local, localhost, loopback) unless this is set.
  bool allow_plain_http = false;
  // Waits between attempts; empty = really sleep.
  std::function<void(std::chrono::milliseconds)> sleeper;
};

}  // namespace ws::auth
