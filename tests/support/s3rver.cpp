#include "s3rver.hpp"

#include <stdexcept>

namespace wstest {

S3rver::S3rver(std::vector<std::string> buckets, std::vector<std::string> extra_args)
    : buckets_(std::move(buckets)), extra_args_(std::move(extra_args)), dir_("s3rver"), data_dir_(dir_ / "data"), port_(free_port()) {
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
  std::vector<std::string> argv = {bin.string(), "-d", data_dir_.string(), "-a", "127.0.0.1",
                                   "-p", std::to_string(port_)};
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  for (const auto& b : buckets_) {
    argv.push_back("--configure-bucket");
    argv.push_back(b);
  }
  // s3rver's continuation tokens use DES, which Node's OpenSSL 3 only has in
  // its legacy provider: without it every paginated listing fails (HTTP 500).
  child_ = Child(argv, dir_.path(), {{"NODE_OPTIONS", "--openssl-legacy-provider"}}, dir_ / "s3rver.log");
  // Buckets are configured before s3rver listens, so an open port means ready.
  if (!wait_for_port(port_, std::chrono::seconds(30))) {
    throw std::runtime_error("s3rver did not start on port " + std::to_string(port_) + ": " + log());
  }
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
