#include <doctest/doctest.h>

#include "spec/storage.hpp"

using ws::spec::resolve_storage;
using ws::spec::StorageInputs;
using ws::spec::StorageSource;

namespace {

std::string error_of(const StorageInputs& in) {
  auto r = resolve_storage(in);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::invalid_input);
  return r.error().message;
}

StorageInputs custom(std::string endpoint, std::string bucket, std::string ak, std::string sk) {
  StorageInputs in;
  in.project = {"custom", std::move(endpoint), std::move(bucket), std::move(ak), std::move(sk)};
  return in;
}

}  // namespace

TEST_CASE("custom mode uses the project's own store") {
  auto r = resolve_storage(custom("https://s3.example", "proj-bucket", "AK", "SK"));
  REQUIRE(r.ok());
  CHECK(r->source == StorageSource::custom);
  CHECK(r->endpoint == "https://s3.example");
  CHECK(r->bucket == "proj-bucket");
  CHECK(r->access_key == "AK");
  CHECK(r->secret_key == "SK");
}

TEST_CASE("custom mode with missing settings names each of them") {
  CHECK(error_of(custom("https://s3.example", "", "AK", "")) ==
        "the project's storage mode is 'custom' but its S3_BUCKET and S3_SECRET_KEY are not set");
  CHECK(error_of(custom("", "b", "AK", "SK")) ==
        "the project's storage mode is 'custom' but its S3_ENDPOINT is not set");
}

TEST_CASE("custom mode accepts keys supplied through secret references") {
  auto in = custom("https://s3.example", "b", "", "");
  in.access_key_from_secret = in.secret_key_from_secret = true;
  auto r = resolve_storage(in);
  REQUIRE(r.ok());
  CHECK(r->source == StorageSource::custom);
  CHECK(r->access_key.empty());
}

TEST_CASE("custom mode refuses an endpoint that is not http(s)") {
  CHECK(error_of(custom("s3.example", "b", "AK", "SK")) ==
        "the project's S3_ENDPOINT must be an http:// or https:// URL, got 's3.example'");
}

TEST_CASE("an unknown storage mode is refused") {
  StorageInputs in;
  in.project.mode = "byo";
  CHECK(error_of(in) == "the project's storage mode must be 'custom' or 'shared', got 'byo'");
}

TEST_CASE("the default cluster store uses the shared MinIO credentials") {
  StorageInputs in;
  in.project.mode = "shared";
  in.project.access_key = "ignored-outside-custom-mode";
  in.shared_minio_access_key = "minio";
  in.shared_minio_secret_key = "minio123";
  auto r = resolve_storage(in);
  REQUIRE(r.ok());
  CHECK(r->source == StorageSource::shared_minio);
  CHECK(r->endpoint == "http://minio.ambient-code.svc:9000");
  CHECK(r->bucket == "ambient-sessions");
  CHECK(r->access_key == "minio");
}

TEST_CASE("without any credentials the default store means no persistence") {
  auto r = resolve_storage(StorageInputs{});
  REQUIRE(r.ok());
  CHECK(r->source == StorageSource::none);
  CHECK_FALSE(r->enabled());
}

TEST_CASE("a non-default cluster store uses the cluster's own credentials") {
  StorageInputs in;
  in.cluster = {"https://s3.cluster", "sessions", "CK", "CS"};
  in.shared_minio_access_key = "minio";
  in.shared_minio_secret_key = "minio123";
  auto r = resolve_storage(in);
  REQUIRE(r.ok());
  CHECK(r->source == StorageSource::cluster);
  CHECK(r->access_key == "CK");
}

TEST_CASE("a non-default cluster store without credentials is an error") {
  StorageInputs in;
  in.cluster.bucket = "other-bucket";
  in.shared_minio_access_key = "minio";
  in.shared_minio_secret_key = "minio123";
  CHECK(error_of(in) ==
        "incomplete S3 settings: the cluster store http://minio.ambient-code.svc:9000 (bucket "
        "other-bucket) is not the shared MinIO and has no access key and secret key");
}

TEST_CASE("an access key without its secret key is an error that shows neither") {
  StorageInputs in;
  in.shared_minio_access_key = "AKIA-LEAK";
  const auto m = error_of(in);
  CHECK(m == "incomplete S3 settings: the shared MinIO's access key is set but its secret key is not");
  CHECK(m.find("AKIA-LEAK") == std::string::npos);
}

TEST_CASE("a secret key without its access key is an error") {
  StorageInputs in;
  in.cluster = {"https://s3.cluster", "sessions", "", "CS"};
  CHECK(error_of(in) ==
        "incomplete S3 settings: the cluster store's secret key is set but its access key is not");
}
