#include <doctest/doctest.h>

#include "config/storage.hpp"

using ws::config::resolve_storage;
using ws::config::ResolvedStorage;
using ws::config::StorageInputs;
using ws::config::StorageSource;

namespace {

StorageInputs custom(std::string endpoint, std::string bucket, std::string ak, std::string sk) {
  StorageInputs in;
  in.project = {"custom", std::move(endpoint), std::move(bucket), std::move(ak), std::move(sk)};
  return in;
}

// Resolution that gives no persistence, with its reason.
ResolvedStorage unavailable(const StorageInputs& in, std::string_view reason) {
  auto r = resolve_storage(in);
  CHECK_FALSE(r.enabled());
  CHECK(r.source == StorageSource::none);
  CHECK(r.reason == reason);
  CHECK(r.access_key.empty());
  CHECK(r.secret_key.empty());
  return r;
}

void with_shared_minio(StorageInputs& in) {
  in.shared_minio_access_key = "minio";
  in.shared_minio_secret_key = "minio123";
}

}  // namespace

TEST_CASE("custom mode uses the project's own store") {
  auto r = resolve_storage(custom("https://s3.example", "proj-bucket", "AK", "SK"));
  CHECK(r.source == StorageSource::custom);
  CHECK(r.endpoint == "https://s3.example");
  CHECK(r.bucket == "proj-bucket");
  CHECK(r.access_key == "AK");
  CHECK(r.secret_key == "SK");
  CHECK(r.warnings.empty());
}

TEST_CASE("custom mode without a bucket takes the cluster's, with a warning") {
  auto in = custom("https://s3.example", "", "AK", "SK");
  in.cluster.bucket = "cluster-bucket";
  auto r = resolve_storage(in);
  CHECK(r.source == StorageSource::custom);
  CHECK(r.endpoint == "https://s3.example");
  CHECK(r.bucket == "cluster-bucket");
  CHECK(r.access_key == "AK");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].event == "storage.custom_defaulted");
  CHECK(r.warnings[0].message ==
        "the project's storage mode is 'custom' but S3_BUCKET is not set: taken from the cluster's store");
}

TEST_CASE("custom mode with only a bucket keeps the default endpoint and the shared MinIO's keys") {
  auto in = custom("", "proj-bucket", "", "");
  with_shared_minio(in);
  auto r = resolve_storage(in);
  CHECK(r.source == StorageSource::custom);
  CHECK(r.endpoint == "http://minio.ambient-code.svc:9000");
  CHECK(r.bucket == "proj-bucket");
  CHECK(r.access_key == "minio");
  CHECK(r.secret_key == "minio123");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].message == "the project's storage mode is 'custom' but S3_ENDPOINT, "
                                 "S3_ACCESS_KEY, S3_SECRET_KEY are not set: taken from the cluster's store");
}

TEST_CASE("custom mode with its own endpoint never receives the cluster's keys") {
  auto in = custom("https://evil.example", "b", "", "");
  with_shared_minio(in);
  in.cluster = {"", "", "CK", "CS"};
  const auto r = unavailable(in, "IncompleteSettings");
  CHECK(r.message == "the project's storage mode is 'custom' with its own S3_ENDPOINT but neither "
                     "S3_ACCESS_KEY nor S3_SECRET_KEY");
}

TEST_CASE("custom mode with half a key pair has no persistence and names the missing half") {
  const auto r = unavailable(custom("https://s3.example", "b", "AKIA-LEAK", ""), "IncompleteSettings");
  CHECK(r.message == "the project's access key is set but its secret key is not");
  CHECK(r.message.find("AKIA-LEAK") == std::string::npos);
}

TEST_CASE("custom mode with nothing set and no cluster keys is not configured") {
  const auto r = unavailable(custom("", "", "", ""), "NotConfigured");
  CHECK(r.message == "the project's storage mode is 'custom' but it sets no keys and the shared "
                     "MinIO's keys are not set either");
}

TEST_CASE("custom mode accepts keys supplied through secret references") {
  auto in = custom("https://s3.example", "b", "", "");
  in.access_key_from_secret = in.secret_key_from_secret = true;
  auto r = resolve_storage(in);
  CHECK(r.source == StorageSource::custom);
  CHECK(r.access_key.empty());
}

TEST_CASE("custom mode with an endpoint that is not http(s) has no persistence") {
  const auto r = unavailable(custom("s3.example", "b", "AK", "SK"), "InvalidEndpoint");
  CHECK(r.message == "the project's S3_ENDPOINT 's3.example' is not an http:// or https:// URL "
                     "without credentials");
}

TEST_CASE("an unknown storage mode counts as shared, with a warning") {
  StorageInputs in;
  in.project = {"byo", "https://s3.example", "b", "AK", "SK"};
  with_shared_minio(in);
  auto r = resolve_storage(in);
  CHECK(r.source == StorageSource::shared_minio);
  CHECK(r.access_key == "minio");
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0].event == "storage.unknown_mode");
  CHECK(r.warnings[0].message ==
        "the project's storage mode 'byo' is unknown: using the cluster's store, as for 'shared'");
}

TEST_CASE("the default cluster store uses the shared MinIO credentials") {
  StorageInputs in;
  in.project.mode = "shared";
  in.project.access_key = "ignored-outside-custom-mode";
  with_shared_minio(in);
  auto r = resolve_storage(in);
  CHECK(r.source == StorageSource::shared_minio);
  CHECK(r.endpoint == "http://minio.ambient-code.svc:9000");
  CHECK(r.bucket == "ambient-sessions");
  CHECK(r.access_key == "minio");
}

TEST_CASE("without any credentials the default store means no persistence, not configured") {
  const auto r = unavailable(StorageInputs{}, "NotConfigured");
  CHECK(r.message == "no S3 keys: the shared MinIO's are not set");
}

TEST_CASE("a non-default cluster store uses the cluster's own credentials") {
  StorageInputs in;
  in.cluster = {"https://s3.cluster", "sessions", "CK", "CS"};
  with_shared_minio(in);
  auto r = resolve_storage(in);
  CHECK(r.source == StorageSource::cluster);
  CHECK(r.access_key == "CK");
}

TEST_CASE("a non-default cluster store without credentials has no persistence") {
  StorageInputs in;
  in.cluster.bucket = "other-bucket";
  with_shared_minio(in);
  const auto r = unavailable(in, "IncompleteSettings");
  CHECK(r.message == "the cluster store http://minio.ambient-code.svc:9000 (bucket other-bucket) is "
                     "not the shared MinIO and has no access key and secret key");
}

TEST_CASE("an access key without its secret key has no persistence and shows neither") {
  StorageInputs in;
  in.shared_minio_access_key = "AKIA-LEAK";
  const auto r = unavailable(in, "IncompleteSettings");
  CHECK(r.message == "the shared MinIO's access key is set but its secret key is not");
  CHECK(r.message.find("AKIA-LEAK") == std::string::npos);
}

TEST_CASE("a secret key without its access key has no persistence") {
  StorageInputs in;
  in.cluster = {"https://s3.cluster", "sessions", "", "CS"};
  const auto r = unavailable(in, "IncompleteSettings");
  CHECK(r.message == "the cluster store's secret key is set but its access key is not");
}
