// A Ceph RADOS Gateway (the S3 stand-in that checks signatures, TESTING.md)
// for one test program: a single-node cluster of one monitor, one memstore
// OSD and radosgw/beast, all on 127.0.0.1, everything under a fresh temp dir.
// A start costs about 3 s, so a test program shares one (Rgw::shared(),
// started on first use) and gives each case its own key prefix or bucket.
//
//   auto& rgw = wstest::Rgw::shared();
//   cfg.endpoint = rgw.endpoint();  cfg.access_key = wstest::Rgw::kAccessKey; ...
//   rgw.create_bucket("b2");
//
// Missing Debian packages (radosgw ceph-mon ceph-osd ceph-common) make the
// constructor throw: CI installs them, so a test must fail, not skip.
#pragma once

#include <string>
#include <vector>

#include "support.hpp"

namespace wstest {

class Rgw {
 public:
  static constexpr const char* kAccessKey = "RGWTESTACCESSKEY";
  static constexpr const char* kSecretKey = "rgw-test-secret-key";
  static constexpr const char* kRegion = "us-east-1";

  explicit Rgw(std::vector<std::string> buckets = {"test-bucket"});
  ~Rgw();
  Rgw(const Rgw&) = delete;
  Rgw& operator=(const Rgw&) = delete;

  // The test program's gateway, started by the first call, with the buckets
  // "test-bucket" and "other-bucket"; stopped when the program exits. Call
  // it first from the main thread: the daemons die with the starting thread.
  static Rgw& shared();

  int port() const { return port_; }
  std::string endpoint() const;  // http://127.0.0.1:<port>
  // The tails of the daemons' logs: attach them to a failing test.
  std::string log() const;

  // Creates a bucket (signed PUT by curl, not by the library under test).
  void create_bucket(const std::string& name);

  // The environment for `rclone` with a remote named "s3" on this gateway
  // (path-style, these credentials) and AWS_CA_BUNDLE unset (TESTING.md).
  EnvChanges rclone_env() const;

 private:
  // One attempt on fresh ports; throws with the reason.
  void start_once();
  void launch(Child& child, const std::string& name, std::vector<std::string> argv);
  void stop();
  CommandResult ceph(const std::vector<std::string>& args, const std::string& input = {}) const;
  EnvChanges env() const;

  TempDir dir_;
  int port_ = 0;
  Child mon_, osd_, gateway_;
};

}  // namespace wstest
