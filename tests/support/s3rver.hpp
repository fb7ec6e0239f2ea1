// An s3rver (the S3 stand-in, TESTING.md) for one test: on 127.0.0.1, on a
// port it picks itself, a fresh data directory, buckets created before it
// listens.
// stop() and start() restart it on the same port and data, for fault tests.
//
//   wstest::S3rver s3({"bucket-a"});
//   cfg.endpoint = s3.endpoint();  cfg.access_key = wstest::S3rver::kAccessKey; ...
//   wstest::run({"rclone", "lsjson", "s3:bucket-a"}, {}, s3.rclone_env());
#pragma once

#include <string>
#include <vector>

#include "support.hpp"

namespace wstest {

class S3rver {
 public:
  static constexpr const char* kAccessKey = "S3RVER";
  static constexpr const char* kSecretKey = "S3RVER";
  static constexpr const char* kRegion = "us-east-1";

  // `extra_args` go to s3rver as they are (e.g. {"--service-endpoint", "localhost"}
  // for virtual-hosted requests to http://<bucket>.s3.localhost:<port>).
  explicit S3rver(std::vector<std::string> buckets = {"test-bucket"}, std::vector<std::string> extra_args = {});
  ~S3rver() = default;
  S3rver(const S3rver&) = delete;
  S3rver& operator=(const S3rver&) = delete;

  int port() const { return port_; }
  std::string endpoint() const;  // http://127.0.0.1:<port>
  const fs::path& data_dir() const { return data_dir_; }
  // Its stdout/stderr (one line per request): attach it to a failing test.
  std::string log() const;

  void stop();
  // Starts (again) on the same port and data; throws when it does not come up.
  void start();
  bool running() { return child_.running(); }

  // The environment for `rclone` with a remote named "s3" on this server
  // (path-style, these credentials) and AWS_CA_BUNDLE unset (TESTING.md).
  EnvChanges rclone_env() const;

 private:
  std::vector<std::string> buckets_;
  std::vector<std::string> extra_args_;
  TempDir dir_;
  fs::path data_dir_;
  int port_ = 0;
  Child child_;
};

}  // namespace wstest
