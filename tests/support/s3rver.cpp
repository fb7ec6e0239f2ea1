#include "s3rver.hpp"

#include <stdexcept>
#include <thread>

namespace wstest {

S3rver::S3rver(std::vector<std::string> buckets, std::vector<std::string> extra_args)
    : buckets_(std::move(buckets)), extra_args_(std::move(extra_args)), dir_("s3rver"), data_dir_(dir_ / "data") {
  fs::create_directories(data_dir_);
  start();
}

std::string S3rver::endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string S3rver::log() const { return read_file(dir_ / "s3rver.log"); }

void S3rver::stop() { child_.stop(); }

void S3rver::start() {
  const char* peers = std::getenv("WS_PEERS_DIR");
  const fs::path bin = fs::path(peers ? peers : (source_root() / "tests" / "peers").string()) /
                       "node_modules" / ".bin" / "s3rver";
  if (!fs::exists(bin)) {
    throw std::runtime_error("s3rver is not installed at " + bin.string() +
                             ": run './run install' (npm ci in tests/peers)");
  }
  // The first start lets s3rver pick a free port (-p 0) and reads it back:
  // probing for a free port first races with every other process. A
  // restart takes the same port again, so clients keep their endpoint.
  std::vector<std::string> argv = {bin.string(), "-d", data_dir_.string(), "-a", "127.0.0.1",
                                   "-p", std::to_string(port_)};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  for (const auto& b : buckets_) {
    argv.push_back("--configure-bucket");
    argv.push_back(b);
  }
  const fs::path log_file = dir_ / "s3rver.log";
  const size_t log_before = fs::exists(log_file) ? fs::file_size(log_file) : 0;
  // s3rver's continuation tokens use DES, which Node's OpenSSL 3 only has in
  // its legacy provider: without it every paginated listing fails (HTTP 500).
  child_ = Child(argv, dir_.path(), {{"NODE_OPTIONS", "--openssl-legacy-provider"}}, log_file);
  // Buckets are configured before s3rver listens and prints this line.
  const std::string ready = "S3rver listening on 127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline && child_.running()) {
    const std::string fresh = fs::exists(log_file) ? read_file(log_file).substr(log_before) : "";
    if (const auto at = fresh.find(ready); at != std::string::npos && fresh.find('\n', at) != std::string::npos) {
      port_ = std::stoi(fresh.substr(at + ready.size()));
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("s3rver did not start on port " + std::to_string(port_) + ": " + log());
}

EnvChanges S3rver::rclone_env() const {
  return {
      {"AWS_CA_BUNDLE", std::nullopt},
      {"RCLONE_CONFIG_S3_TYPE", "s3"},
      {"RCLONE_CONFIG_S3_PROVIDER", "Other"},
      {"RCLONE_CONFIG_S3_ENDPOINT", endpoint()},
      {"RCLONE_CONFIG_S3_ACCESS_KEY_ID", kAccessKey},
      {"RCLONE_CONFIG_S3_SECRET_ACCESS_KEY", kSecretKey},
      {"RCLONE_CONFIG_S3_REGION", kRegion},
      {"RCLONE_CONFIG_S3_FORCE_PATH_STYLE", "true"},
      {"RCLONE_CONFIG", "/dev/null"},
  };
}

}  // namespace wstest
