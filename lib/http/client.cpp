// Client: Transfers on one easy handle, retried by the retry schedule.
#include <algorithm>
#include <thread>

#include "http/curl_handles.hpp"
#include "http/http.hpp"
#include "http/loggable_url.hpp"
#include "http/retry_schedule.hpp"
#include "http/transfer.hpp"

namespace ws::http {

struct Client::Impl {
  Logger log;
  TransportSettings settings = transport_settings_from_environment();
  ShareHandle share = make_share();
  EasyHandle easy = make_easy();
  Stats stats;
  std::mt19937_64 rng{std::random_device{}()};

  void count_attempt(CURL* easy_handle) {
    curl_off_t sent = 0, received = 0;
    curl_easy_getinfo(easy_handle, CURLINFO_SIZE_UPLOAD_T, &sent);
    curl_easy_getinfo(easy_handle, CURLINFO_SIZE_DOWNLOAD_T, &received);
    stats.requests += 1;
    stats.bytes_sent += static_cast<uint64_t>(std::max<curl_off_t>(sent, 0));
    stats.bytes_received += static_cast<uint64_t>(std::max<curl_off_t>(received, 0));
  }

  // Counts and logs a finished attempt; returns the pause before the next
  // one, or nothing when `outcome` is final.
  std::optional<std::chrono::milliseconds> after_attempt(const Transfer& t, CURL* easy_handle,
                                                         const Result<Response>& outcome,
                                                         int attempt, const RetryPolicy& retry) {
    count_attempt(easy_handle);
    log.debug("http.request", t.description() + " -> " +
                                  (outcome ? std::to_string(outcome->status) : outcome.error().message));
    auto delay = next_retry_delay(outcome, attempt, retry, rng);
    if (delay) {
      stats.retries += 1;
      log.warn("http.retry", t.description() + ": " + retry_reason(outcome) + ", retrying in " +
                                 std::to_string(delay->count()) + " ms (attempt " +
                                 std::to_string(attempt + 1) + " of " +
                                 std::to_string(retry.max_attempts) + ")");
    }
    return delay;
  }
};

namespace {

void pause(std::chrono::milliseconds d, const RetryPolicy& retry, const CancelToken* cancel) {
  if (retry.sleeper) {
    retry.sleeper(d);
  } else if (cancel != nullptr) {
    cancel->sleep_for(d);
  } else {
    std::this_thread::sleep_for(d);
  }
}

Error cancelled_before(const Request& req) {
  return Error(Errc::cancelled, req.method + " " + loggable_url(req.url) + ": cancelled");
}

}  // namespace

Client::Client(Logger log) : impl_(std::make_unique<Impl>()) { impl_->log = std::move(log); }
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const Stats& Client::stats() const { return impl_->stats; }

Result<Response> Client::perform(const Request& req, const RetryPolicy& retry) {
  for (int attempt = 1;; ++attempt) {
    if (cancel_requested(req.cancel)) return cancelled_before(req);
    Transfer transfer(req, impl_->settings, impl_->share.get());
    WS_TRY(transfer.start(impl_->easy.get()));
    const CURLcode code = curl_easy_perform(impl_->easy.get());
    auto outcome = transfer.finish(impl_->easy.get(), code);
    const auto delay = impl_->after_attempt(transfer, impl_->easy.get(), outcome, attempt, retry);
    if (!delay) return outcome;
    pause(*delay, retry, req.cancel);
  }
}

}  // namespace ws::http
