// What S3Store puts on the wire, checked by another SigV4 implementation:
// a scripted server records the requests exactly as curl sent them, and
// botocore's S3SigV4Auth (AWS's Python SDK) recomputes each Authorization
// from them. s3rver accepts any SigV4 signature, so this is the check a real
// S3 or MinIO would make. ./run installs python3-botocore (Debian's, for
// /usr/bin/python3): a missing botocore fails the test, as a missing Go does.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "beast_server.hpp"
#include "store/sigv4_signer.hpp"
#include "store/store.hpp"
#include "support.hpp"

namespace {

namespace fs = std::filesystem;

std::string signed_headers_of(const std::string& authorization) {
  const auto start = authorization.find("SignedHeaders=") + 14;
  return authorization.substr(start, authorization.find(',', start) - start);
}

// Runs the oracle over JSON lines. Debian's botocore is installed for the
// system interpreter, which need not be the `python3` first on PATH.
std::vector<std::string> botocore(const std::string& input) {
  const auto script = wstest::source_root() / "tests" / "store" / "botocore_sigv4.py";
  const auto r = wstest::run({"/usr/bin/python3", script.string()}, {}, {}, input);
  REQUIRE_MESSAGE(r.exit_code != 77, "botocore is not installed for /usr/bin/python3: run './run install' "
                                     "(Debian package python3-botocore)");
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::vector<std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) out.emplace_back(boost::json::parse(line).as_string());
  return out;
}

const std::vector<std::string> kOddKeys = {"sp ace/file name.txt", "ünï/cödé-日本.txt", "hash#tag", "plus+sign",
                                           "per%25cent%", "amp&eq=q?x", "tilde~_.-", "semi;colon,comma'quote(1)!*"};

}  // namespace

TEST_CASE("every request S3Store sends carries the signature botocore computes for it") {
  wstest::BeastServer server;
  server.route("*", "/", [](const wstest::HttpRequest& r) {
    if (r.query() == "uploads") {
      return wstest::HttpReply::text(200,
          "<InitiateMultipartUploadResult><UploadId>up/1+2=</UploadId></InitiateMultipartUploadResult>");
    }
    auto reply = wstest::HttpReply::text(200, "");
    reply.headers.push_back({"ETag", "\"e\""});
    return reply;
  });
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "my-bucket";
  cfg.access_key = "AKIDEXAMPLE";
  cfg.secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  cfg.region = "eu-west-3";
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  auto opened = ws::store::open_store(cfg);
  REQUIRE(opened);
  auto& store = **opened;
  wstest::TempDir dir;
  wstest::write_file(dir / "small", "small");
  wstest::write_file(dir / "big", std::string((6ull << 20) + 1, 'b'));
  for (const auto& key : kOddKeys) {
    (void)store.put_bytes(key, "x");
    (void)store.head(key);
    (void)store.get_bytes(key);
  }
  (void)store.check_bucket();
  (void)store.list("sp ace/ü+&=%");
  (void)store.put_file("dir/small file", dir / "small");
  (void)store.put_file("dir/big+file", dir / "big");
  (void)store.remove(kOddKeys);

  const auto requests = server.requests();
  REQUIRE(requests.size() > 30);
  std::string input;
  for (const auto& r : requests) {
    const auto authorization = r.header("authorization");
    REQUIRE(authorization.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0) == 0);
    boost::json::object headers;
    std::istringstream names(signed_headers_of(authorization));
    for (std::string name; std::getline(names, name, ';');) headers[name] = r.header(name);
    input += boost::json::serialize(boost::json::object{{"method", r.method},
                                                        {"url", server.url(r.target)},
                                                        {"headers", headers},
                                                        {"access_key", cfg.access_key},
                                                        {"secret_key", cfg.secret_key},
                                                        {"region", cfg.region}}) +
             "\n";
  }
  const auto expected = botocore(input);
  REQUIRE(expected.size() == requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    CAPTURE(requests[i].method);
    CAPTURE(requests[i].target);
    CHECK(requests[i].header("authorization") == expected[i]);
  }
}

TEST_CASE("object keys are encoded in URLs exactly as botocore encodes them for S3") {
  std::string input;
  for (const auto& key : kOddKeys) input += boost::json::serialize(boost::json::object{{"encode", key}}) + "\n";
  const auto expected = botocore(input);
  REQUIRE(expected.size() == kOddKeys.size());
  for (size_t i = 0; i < kOddKeys.size(); ++i) {
    CAPTURE(kOddKeys[i]);
    CHECK(ws::uri_encode(kOddKeys[i], true) == expected[i]);
  }
}
