// Progress of a batch of transfers, reported through Logger::progress from
// worker threads one call at a time.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "common/log.hpp"

namespace ws::sync {

class TransferProgress {
 public:
  TransferProgress(const Logger& log, std::string_view phase, uint64_t files_total, uint64_t bytes_total)
      : log_(log), phase_(phase), files_total_(files_total), bytes_total_(bytes_total) {}

  void start() { report(""); }

  void file_done(std::string_view item, uint64_t bytes) {
    std::lock_guard lock(mu_);
    ++files_done_;
    bytes_done_ += bytes;
    report(item);
  }

 private:
  void report(std::string_view item) {
    if (!log_.wants_progress()) return;
    log_.progress(Progress{phase_, item, files_done_, files_total_, bytes_done_, bytes_total_});
  }

  const Logger& log_;
  std::string phase_;
  std::mutex mu_;
  uint64_t files_done_ = 0, files_total_;
  uint64_t bytes_done_ = 0, bytes_total_;
};

}  // namespace ws::sync
