// Client: the blocking face (one easy handle) and perform_many (curl multi),
// both running Transfers and retrying them by the same schedule.
#include <algorithm>
#include <deque>
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

namespace {

using Clock = std::chrono::steady_clock;

struct Job {
  size_t index = 0;
  int attempt = 1;
  Clock::time_point not_before{};
};

struct Slot {
  EasyHandle easy;
  std::unique_ptr<Transfer> transfer;
  Job job;
  bool busy = false;
};

}  // namespace

std::vector<Result<Response>> Client::perform_many(const std::vector<Request>& reqs, int parallel,
                                                   const RetryPolicy& retry) {
  std::vector<std::optional<Result<Response>>> outcomes(reqs.size());
  if (reqs.empty()) return {};
  MultiHandle multi = make_multi();
  std::vector<Slot> slots(std::min<size_t>(static_cast<size_t>(std::max(parallel, 1)), reqs.size()));
  for (auto& s : slots) s.easy = make_easy();

  std::deque<Job> fresh;
  for (size_t i = 0; i < reqs.size(); ++i) fresh.push_back({i, 1, {}});
  std::vector<Job> waiting;  // retries whose pause has not yet passed
  size_t done = 0;

  auto next_ready = [&](Clock::time_point now) -> std::optional<Job> {
    auto due = std::min_element(waiting.begin(), waiting.end(),
                                [](const Job& a, const Job& b) { return a.not_before < b.not_before; });
    if (due != waiting.end() && due->not_before <= now) {
      Job j = *due;
      waiting.erase(due);
      return j;
    }
    if (!fresh.empty()) {
      Job j = fresh.front();
      fresh.pop_front();
      return j;
    }
    return std::nullopt;
  };

  while (done < reqs.size()) {
    const auto now = Clock::now();
    for (auto& slot : slots) {
      if (slot.busy) continue;
      auto job = next_ready(now);
      if (!job) break;
      slot.job = *job;
      slot.transfer = std::make_unique<Transfer>(reqs[job->index], impl_->settings, impl_->share.get());
      if (auto started = slot.transfer->start(slot.easy.get()); !started) {
        outcomes[job->index] = std::move(started).error();
        ++done;
        continue;
      }
      curl_multi_add_handle(multi.get(), slot.easy.get());
      slot.busy = true;
    }

    int running = 0;
    curl_multi_perform(multi.get(), &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      auto slot = std::find_if(slots.begin(), slots.end(),
                               [&](const Slot& s) { return s.easy.get() == msg->easy_handle; });
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi.get(), slot->easy.get());
      slot->busy = false;
      auto outcome = slot->transfer->finish(slot->easy.get(), code);
      const auto delay = impl_->after_attempt(*slot->transfer, slot->easy.get(), outcome,
                                              slot->job.attempt, retry);
      slot->transfer.reset();
      if (!delay) {
        outcomes[slot->job.index] = std::move(outcome);
        ++done;
        continue;
      }
      Job again{slot->job.index, slot->job.attempt + 1, Clock::now() + *delay};
      if (retry.sleeper) {
        // Tests inject a sleeper to observe pauses without waiting them out.
        retry.sleeper(*delay);
        again.not_before = Clock::now();
      }
      waiting.push_back(again);
    }
    if (done == reqs.size()) break;

    auto wait = std::chrono::milliseconds(1000);
    const bool idle_slot = std::any_of(slots.begin(), slots.end(), [](const Slot& s) { return !s.busy; });
    if (idle_slot && !fresh.empty()) wait = std::chrono::milliseconds(0);
    for (const auto& j : waiting) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(j.not_before - Clock::now());
      wait = std::clamp(until, std::chrono::milliseconds(0), wait);
    }
    if (running > 0) {
      curl_multi_poll(multi.get(), nullptr, 0, static_cast<int>(wait.count()), nullptr);
    } else if (wait.count() > 0) {
      std::this_thread::sleep_for(wait);
    }
  }

  std::vector<Result<Response>> results;
  results.reserve(reqs.size());
  for (auto& o : outcomes) results.push_back(std::move(*o));
  return results;
}

}  // namespace ws::http
