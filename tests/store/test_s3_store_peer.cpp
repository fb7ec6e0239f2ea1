// The store contract and the S3-only behaviours against s3rver, with rclone
// (what the scripts use) as the independent reader and writer of the same
// objects (behaviour §2: compatibility both ways).
#include <boost/json.hpp>

#include <mutex>

#include "beast_server.hpp"
#include "s3_backend.hpp"
#include "store/digest.hpp"
#include "store_contract.hpp"

namespace {

namespace fs = std::filesystem;
using ws::Errc;

std::string md5_of_file(const fs::path& p) { return *ws::store::md5_file_hex(p); }

wstest::CommandResult rclone(std::vector<std::string> args) {
  args.insert(args.begin(), "rclone");
  return wstest::run(args, {}, S3Backend::server().rclone_env());
}

// One entry of `rclone lsjson --hash -M` for `key` under test-bucket.
boost::json::object rclone_entry(const std::string& key) {
  const auto slash = key.rfind('/');
  auto r = rclone({"lsjson", "--hash", "-M", "--files-only", "s3:test-bucket/" + key.substr(0, slash)});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  const auto listing = boost::json::parse(r.out);
  for (const auto& v : listing.as_array()) {
    const auto& o = v.as_object();
    if (o.at("Name").as_string() == key.substr(slash + 1)) return o;
  }
  FAIL("rclone does not list " << key << ": " << r.out);
  return {};
}

}  // namespace

TYPE_TO_STRING(S3Backend);
WS_STORE_CONTRACT(S3Backend);

TEST_CASE("an empty key is refused before it could address the bucket itself") {
  S3Backend b;
  auto store = store_contract::open(b.config());
  CHECK(store->put_bytes("", "x").error().code == Errc::invalid_input);
  CHECK(store->head("").error().code == Errc::invalid_input);
  CHECK(store->get_bytes("").error().code == Errc::invalid_input);
  auto failures = store->remove({""});
  REQUIRE(failures);
  CHECK(failures->size() == 1);
  CHECK(store->check_bucket().ok());
}

TEST_CASE("no log line and no error message carries the credentials or a signature") {
  S3Backend b;
  std::mutex mu;
  std::vector<std::string> lines;
  ws::Logger log([&](const ws::LogEvent& e) {
    std::lock_guard lock(mu);
    lines.push_back(std::string(e.event) + " " + std::string(e.message));
  });
  auto cfg = b.config();
  cfg.access_key = "S3RVER";
  cfg.secret_key = "a-secret-that-must-not-leak";  // s3rver does not check it
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  auto opened = ws::store::open_store(cfg, log);
  REQUIRE(opened);
  auto& store = **opened;
  wstest::TempDir dir;
  wstest::write_file(dir / "big", store_contract::pattern(6ull << 20));
  std::vector<std::string> errors;
  auto note = [&](const auto& r) {
    if (!r.ok()) errors.push_back(r.error().message);
  };
  note(store.put_file(b.key("big"), dir / "big"));
  note(store.get_file(b.key("big"), dir / "back"));
  note(store.head(b.key("missing")));
  note(store.list(b.key("")));
  cfg.access_key = "UNKNOWN-ACCESS-KEY";
  auto wrong = ws::store::open_store(cfg, log);
  REQUIRE(wrong);
  note((*wrong)->check_bucket());
  note((*wrong)->put_bytes(b.key("x"), "x"));
  CHECK(errors.size() == 3);
  for (const auto& text : lines) {
    CAPTURE(text);
    CHECK(text.find("a-secret-that-must-not-leak") == std::string::npos);
    CHECK(text.find("Signature=") == std::string::npos);
  }
  for (const auto& text : errors) {
    CAPTURE(text);
    CHECK(text.find("a-secret-that-must-not-leak") == std::string::npos);
    CHECK(text.find("Signature=") == std::string::npos);
    CHECK(text.find("UNKNOWN-ACCESS-KEY") == std::string::npos);
  }
}

TEST_CASE("listing crosses pages with the continuation token") {
  S3Backend b;
  auto cfg = b.config();
  cfg.list_max_keys = 3;
  auto store = store_contract::open(cfg);
  for (int i = 0; i < 10; ++i) REQUIRE(store->put_bytes(b.key("p/" + std::to_string(i)), "x").ok());
  auto all = store->list(b.key("p/"));
  WS_REQUIRE_OK(all);
  REQUIRE(all->size() == 10);
  for (int i = 0; i < 10; ++i) CHECK((*all)[static_cast<size_t>(i)].key == b.key("p/" + std::to_string(i)));
}

TEST_CASE("a file above the threshold goes up in parallel parts with rclone's Md5chksum") {
  S3Backend b;
  auto cfg = b.config();
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  cfg.part_parallelism = 3;
  auto store = store_contract::open(cfg);
  wstest::TempDir dir;
  const auto data = store_contract::pattern((12ull << 20) + 12345, 7);
  wstest::write_file(dir / "big.bin", data);
  ws::store::PutOptions opts;
  opts.mtime = 1650000000.75;
  REQUIRE(store->put_file(b.key("big.bin"), dir / "big.bin", opts).ok());
  auto info = store->head(b.key("big.bin"));
  REQUIRE(info);
  CHECK(info->size == data.size());
  CHECK(S3Backend::server().log().find(b.key("big.bin") + "?partNumber=3&") != std::string::npos);
  CHECK(info->md5_hex == ws::store::md5_hex(data));
  auto got = store->get_file(b.key("big.bin"), dir / "back.bin");
  REQUIRE(got);
  CHECK(md5_of_file(dir / "back.bin") == ws::store::md5_hex(data));
  CHECK(store_contract::file_mtime(dir / "back.bin") == doctest::Approx(1650000000.75));
  auto listed = store->list(b.key("big.bin"));
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  // Real S3's multipart ETag ("<md5 of part md5s>-3") is no MD5 and leaves
  // md5_hex empty; s3rver's is the content MD5. Either way, never a wrong one.
  const auto& listed_md5 = listed->front().md5_hex;
  CHECK((listed_md5.empty() || listed_md5 == ws::store::md5_hex(data)));
}

TEST_CASE("remove deletes more than one DeleteObjects batch of 1000") {
  S3Backend b;
  auto store = store_contract::open(b.config());
  std::vector<std::string> keys;
  for (int i = 0; i < 1003; ++i) keys.push_back(b.key("many/" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (size_t t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < keys.size(); i += 8) failed += !store->put_bytes(keys[i], "x").ok();
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(failed == 0);
  REQUIRE(store->list(b.key("many/"))->size() == 1003);
  auto failures = store->remove(keys);
  REQUIRE(failures);
  CHECK(failures->empty());
  CHECK(store->list(b.key("many/"))->empty());
}

TEST_CASE("check_bucket: an unknown access key is an auth error without the secret in it") {
  S3Backend b;
  auto cfg = b.config();
  cfg.access_key = "NOT-A-KEY";
  cfg.secret_key = "very-secret-value";
  auto st = store_contract::open(cfg)->check_bucket();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == Errc::auth);
  CHECK(st.error().message.find("InvalidAccessKeyId") != std::string::npos);
  CHECK(st.error().message.find("very-secret-value") == std::string::npos);
}

TEST_CASE("check_bucket: a wrong secret (SignatureDoesNotMatch) is an auth error") {
  // s3rver 3.7.1 accepts any SigV4 signature, so a scripted S3 answers as AWS does.
  wstest::BeastServer server;
  server.route("*", "/", [](const wstest::HttpRequest&) {
    return wstest::HttpReply::text(403,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SignatureDoesNotMatch</Code>"
        "<Message>The request signature we calculated does not match the signature you provided.</Message>"
        "</Error>");
  });
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "wrong-secret";
  auto st = store_contract::open(cfg)->check_bucket();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == Errc::auth);
  CHECK(st.error().message.find("SignatureDoesNotMatch") != std::string::npos);
  CHECK(st.error().message.find("wrong-secret") == std::string::npos);
  const auto reqs = server.requests();
  REQUIRE_FALSE(reqs.empty());
  CHECK(reqs.front().header("authorization").rfind("AWS4-HMAC-SHA256 Credential=AK/", 0) == 0);
}

TEST_CASE("check_bucket: a closed port is a network error") {
  const wstest::RefusingPort refusing;
  ws::store::StoreConfig cfg;
  cfg.endpoint = refusing.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "SK";
  auto st = store_contract::open(cfg)->check_bucket();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == Errc::network);
  CHECK(st.error().message.find("bucket 'b'") != std::string::npos);
}

TEST_CASE("keys S3 refuses to delete come back one by one with the S3 code and message") {
  wstest::BeastServer server;
  server.route("POST", "/b", [](const wstest::HttpRequest& r) {
    const bool has_md5 = !r.header("content-md5").empty();
    return wstest::HttpReply::text(has_md5 ? 200 : 400,
        "<DeleteResult><Deleted><Key>fine</Key></Deleted><Error><Key>locked</Key><Code>AccessDenied</Code>"
        "<Message>Access Denied</Message></Error></DeleteResult>");
  });
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "SK";
  auto failures = store_contract::open(cfg)->remove({"fine", "locked"});
  WS_REQUIRE_OK(failures);
  REQUIRE(failures->size() == 1);
  CHECK((*failures)[0].key == "locked");
  CHECK((*failures)[0].message == "AccessDenied: Access Denied");
  REQUIRE(server.requests().size() == 1);
  CHECK(server.requests()[0].query() == "delete");
  CHECK(server.requests()[0].body.find("<Key>locked</Key>") != std::string::npos);
}

TEST_CASE("a failed part aborts the multipart upload") {
  wstest::BeastServer server;
  server.route("POST", "/b/big", [](const wstest::HttpRequest& r) {
    if (r.query() == "uploads") {
      return wstest::HttpReply::text(200,
          "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>big</Key><UploadId>up-1</UploadId>"
          "</InitiateMultipartUploadResult>");
    }
    return wstest::HttpReply::text(500, "unexpected");
  });
  server.route("PUT", "/b/big", [](const wstest::HttpRequest& r) {
    if (r.query().find("partNumber=2") != std::string::npos) {
      return wstest::HttpReply::text(400, "<Error><Code>BadDigest</Code><Message>no</Message></Error>");
    }
    auto ok = wstest::HttpReply::text(200, "");
    ok.headers.push_back({"ETag", "\"abc\""});
    return ok;
  });
  server.route("DELETE", "/b/big", [](const wstest::HttpRequest&) { return wstest::HttpReply::text(204, ""); });
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "SK";
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  cfg.part_parallelism = 1;
  wstest::TempDir dir;
  wstest::write_file(dir / "big", store_contract::pattern(11ull << 20));
  auto st = store_contract::open(cfg)->put_file("big", dir / "big");
  REQUIRE_FALSE(st);
  CHECK(st.error().code == Errc::store);
  CHECK(st.error().message.find("BadDigest") != std::string::npos);
  CHECK(st.error().message.find("part 2/3") != std::string::npos);
  bool aborted = false;
  for (const auto& r : server.requests()) aborted |= r.method == "DELETE" && r.query() == "uploadId=up-1";
  CHECK(aborted);
  CHECK(server.request_count("/b/big") <= 4);  // init, part 1, part 2, abort: part 3 never sent
}

TEST_CASE("a download whose bytes do not match the object's MD5 never replaces the destination") {
  wstest::BeastServer server;
  server.route("GET", "/b/obj", [](const wstest::HttpRequest&) {
    auto reply = wstest::HttpReply::text(200, "corrupted!");
    reply.headers.push_back({"ETag", "\"" + ws::store::md5_hex("the original") + "\""});
    reply.headers.push_back({"X-Amz-Meta-Mtime", "1500000000"});
    return reply;
  });
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "SK";
  wstest::TempDir dir;
  wstest::write_file(dir / "obj", "previous");
  auto got = store_contract::open(cfg)->get_file("obj", dir / "obj");
  REQUIRE_FALSE(got);
  CHECK(got.error().code == Errc::protocol);
  CHECK(wstest::read_file(dir / "obj") == "previous");
  CHECK(std::distance(fs::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("a download cut mid-body is retried from scratch and lands whole") {
  const auto body = store_contract::pattern(200000, 5);
  auto full = [&](const wstest::HttpRequest&) {
    auto reply = wstest::HttpReply::text(200, body);
    reply.headers.push_back({"ETag", "\"" + ws::store::md5_hex(body) + "\""});
    return reply;
  };
  wstest::BeastServer server;
  server.route("GET", "/b/obj", wstest::fail_first(1, wstest::HttpReply::reset_after(50000, body), full));
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "SK";
  wstest::TempDir dir;
  auto got = store_contract::open(cfg)->get_file("obj", dir / "obj");
  WS_REQUIRE_OK(got);
  CHECK(wstest::read_file(dir / "obj") == body);
  CHECK(server.request_count("/b/obj") == 2);
}

TEST_CASE("a restarted server is reachable again; while down, operations fail as network errors") {
  wstest::S3rver s3({"bucket"});
  ws::store::StoreConfig cfg;
  cfg.endpoint = s3.endpoint();
  cfg.bucket = "bucket";
  cfg.access_key = wstest::S3rver::kAccessKey;
  cfg.secret_key = wstest::S3rver::kSecretKey;
  auto store = store_contract::open(cfg);
  REQUIRE(store->put_bytes("k", "v").ok());
  s3.stop();
  auto down = store->get_bytes("k");
  REQUIRE_FALSE(down);
  CHECK(down.error().code == Errc::network);
  s3.start();
  auto back = store->get_bytes("k");
  REQUIRE(back);
  CHECK(*back == "v");
}

TEST_CASE("rclone reads our single-part PUT with the same md5 and mtime") {
  S3Backend b;
  auto store = store_contract::open(b.config());
  wstest::TempDir dir;
  const auto data = store_contract::pattern(100000, 11);
  wstest::write_file(dir / "f.bin", data);
  ws::store::PutOptions opts;
  opts.mtime = 1600000000.5;
  REQUIRE(store->put_file(b.key("rc/single file.bin"), dir / "f.bin", opts).ok());
  const auto e = rclone_entry(b.key("rc/single file.bin"));
  CHECK(e.at("Size").to_number<uint64_t>() == data.size());
  CHECK(e.at("Hashes").as_object().at("md5").as_string() == ws::store::md5_hex(data));
  CHECK(std::string(e.at("ModTime").as_string()).rfind("2020-09-13T12:26:40.5", 0) == 0);
}

TEST_CASE("rclone reads our multipart PUT with the whole file's md5 and mtime") {
  S3Backend b;
  auto cfg = b.config();
  cfg.multipart_threshold = 5ull << 20;
  cfg.part_size = 5ull << 20;
  auto store = store_contract::open(cfg);
  wstest::TempDir dir;
  const auto data = store_contract::pattern(11ull << 20, 13);
  wstest::write_file(dir / "big.bin", data);
  ws::store::PutOptions opts;
  opts.mtime = 1600000000.25;
  REQUIRE(store->put_file(b.key("rc/multi#part+%.bin"), dir / "big.bin", opts).ok());
  const auto e = rclone_entry(b.key("rc/multi#part+%.bin"));
  CHECK(e.at("Size").to_number<uint64_t>() == data.size());
  CHECK(e.at("Hashes").as_object().at("md5").as_string() == ws::store::md5_hex(data));
  CHECK(std::string(e.at("ModTime").as_string()).rfind("2020-09-13T12:26:40.25", 0) == 0);
  auto sums = rclone({"md5sum", "s3:test-bucket/" + b.key("rc/")});
  REQUIRE(sums.exit_code == 0);
  CHECK(sums.out.find(ws::store::md5_hex(data) + "  multi#part+%.bin") != std::string::npos);
}

TEST_CASE("an object rclone uploaded in parts comes back identical through get_file") {
  S3Backend b;
  wstest::TempDir dir;
  const auto data = store_contract::pattern(11ull << 20, 17);
  fs::create_directories(dir / "up");
  wstest::write_file(dir / "up" / "from rclone.bin", data);
  const timespec times[2] = {{1400000000, 250000000}, {1400000000, 250000000}};
  REQUIRE(::utimensat(AT_FDCWD, (dir / "up" / "from rclone.bin").c_str(), times, 0) == 0);
  auto up = rclone({"copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", (dir / "up").string(),
                    "s3:test-bucket/" + b.key("fromrc")});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  auto store = store_contract::open(b.config());
  auto head = store->head(b.key("fromrc/from rclone.bin"));
  REQUIRE(head);
  CHECK(head->md5_hex == ws::store::md5_hex(data));
  auto got = store->get_file(b.key("fromrc/from rclone.bin"), dir / "down.bin");
  REQUIRE(got);
  CHECK(got->md5_hex == ws::store::md5_hex(data));
  CHECK(md5_of_file(dir / "down.bin") == ws::store::md5_hex(data));
  CHECK(store_contract::file_mtime(dir / "down.bin") == doctest::Approx(1400000000.25));
}

TEST_CASE("an object rclone uploaded in one PUT comes back with its mtime") {
  S3Backend b;
  wstest::TempDir dir;
  fs::create_directories(dir / "up");
  wstest::write_file(dir / "up" / "small.txt", "small and single");
  const timespec times[2] = {{1300000000, 0}, {1300000000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, (dir / "up" / "small.txt").c_str(), times, 0) == 0);
  auto up = rclone({"copy", (dir / "up").string(), "s3:test-bucket/" + b.key("fromrc")});
  REQUIRE_MESSAGE(up.exit_code == 0, up.err);
  auto store = store_contract::open(b.config());
  auto listed = store->list(b.key("fromrc/"));
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().md5_hex == ws::store::md5_hex("small and single"));
  auto got = store->get_file(b.key("fromrc/small.txt"), dir / "small.txt");
  REQUIRE(got);
  CHECK(wstest::read_file(dir / "small.txt") == "small and single");
  CHECK(store_contract::file_mtime(dir / "small.txt") == doctest::Approx(1300000000.0));
}

TEST_CASE("virtual-hosted addressing puts the bucket in the host name") {
  wstest::S3rver s3({"vbucket"}, {"--service-endpoint", "localhost"});
  ws::store::StoreConfig cfg;
  cfg.endpoint = "http://s3.localhost:" + std::to_string(s3.port());  // curl resolves *.localhost locally
  cfg.bucket = "vbucket";
  cfg.virtual_hosted = true;
  cfg.access_key = wstest::S3rver::kAccessKey;
  cfg.secret_key = wstest::S3rver::kSecretKey;
  auto store = store_contract::open(cfg);
  const auto ok = store->check_bucket();
  WS_REQUIRE_OK(ok);
  REQUIRE(store->put_bytes("dir/v h.txt", "virtual").ok());
  CHECK(*store->get_bytes("dir/v h.txt") == "virtual");
  CHECK(store->list("dir/")->size() == 1);
  CHECK(store->remove({"dir/v h.txt"})->empty());
  CHECK(fs::exists(s3.data_dir() / "vbucket"));
  cfg.bucket = "missing";
  CHECK(store_contract::open(cfg)->check_bucket().error().code == Errc::not_found);
}

namespace {

ws::store::StoreConfig beast_config(const wstest::BeastServer& server) {
  ws::store::StoreConfig cfg;
  cfg.endpoint = server.url();
  cfg.bucket = "b";
  cfg.access_key = "AK";
  cfg.secret_key = "SK";
  return cfg;
}

std::string truncated_page(const std::string& key, const std::string& next_token) {
  return "<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>" + next_token +
         "</NextContinuationToken><Contents><Key>" + key + "</Key><Size>1</Size></Contents></ListBucketResult>";
}

}  // namespace

TEST_CASE("a listing nested too deep is a protocol error, not a stack overflow") {
  wstest::BeastServer server;
  server.route("GET", "/b", [](const wstest::HttpRequest&) {
    std::string deep = "<ListBucketResult>";
    for (int i = 0; i < 500000; ++i) deep += "<a>";
    return wstest::HttpReply::text(200, deep);
  });
  auto listed = store_contract::open(beast_config(server))->list("ns/");
  REQUIRE_FALSE(listed);
  CHECK(listed.error().code == Errc::protocol);
  CHECK(listed.error().message.find("nested deeper") != std::string::npos);
  CHECK(listed.error().message.find("listing 'ns/'") != std::string::npos);
}

TEST_CASE("a listing that stays truncated with fresh tokens stops at the page limit") {
  wstest::BeastServer server;
  std::atomic<int> served{0};
  server.route("GET", "/b", [&](const wstest::HttpRequest&) {
    const auto n = std::to_string(served++);
    return wstest::HttpReply::text(200, truncated_page("ns/k" + n, "token-" + n));
  });
  auto cfg = beast_config(server);
  cfg.list_max_pages = 25;
  auto listed = store_contract::open(cfg)->list("ns/");
  REQUIRE_FALSE(listed);
  CHECK(listed.error().code == Errc::protocol);
  CHECK(listed.error().message.find("truncated after 25 pages") != std::string::npos);
  CHECK(served == 25);
  CHECK(ws::store::StoreConfig{}.list_max_pages >= 10000);
}

TEST_CASE("a listing whose continuation tokens come round again is an error") {
  wstest::BeastServer server;
  server.route("GET", "/b", [](const wstest::HttpRequest& r) {
    // t1 -> t2 -> t3 -> t1 -> ...: never the token just sent, yet endless.
    const auto q = r.query();
    const auto at = q.find("continuation-token=t");
    const int n = at == std::string::npos ? 0 : q[at + 20] - '0';
    return wstest::HttpReply::text(200, truncated_page("ns/k" + std::to_string(n), "t" + std::to_string(n % 3 + 1)));
  });
  auto listed = store_contract::open(beast_config(server))->list("ns/");
  REQUIRE_FALSE(listed);
  CHECK(listed.error().code == Errc::protocol);
  CHECK(listed.error().message.find("repeated an earlier continuation token after 4 pages") != std::string::npos);
  CHECK(server.request_count("/b") == 4);
}

TEST_CASE("a listed key outside the requested prefix is refused, never mapped by offset") {
  wstest::BeastServer server;
  server.route("GET", "/b", [](const wstest::HttpRequest&) {
    return wstest::HttpReply::text(200,
        "<ListBucketResult><IsTruncated>false</IsTruncated>"
        "<Contents><Key>ns/s/file-uploads/ok.txt</Key><Size>1</Size></Contents>"
        "<Contents><Key>ns/s/artifacts/a&#10;b.txt</Key><Size>1</Size></Contents></ListBucketResult>");
  });
  auto listed = store_contract::open(beast_config(server))->list("ns/s/file-uploads/");
  REQUIRE_FALSE(listed);
  CHECK(listed.error().code == Errc::protocol);
  CHECK(listed.error().message.find("'ns/s/artifacts/a\\x0ab.txt', which is not under the prefix") !=
        std::string::npos);
}

TEST_CASE("an X-Amz-Meta-Mtime beyond any calendar leaves the download's own time, not 1901") {
  wstest::BeastServer server;
  server.route("GET", "/b/obj", [](const wstest::HttpRequest&) {
    auto reply = wstest::HttpReply::text(200, "body");
    reply.headers.push_back({"ETag", "\"" + ws::store::md5_hex("body") + "\""});
    reply.headers.push_back({"X-Amz-Meta-Mtime", "1e300"});
    return reply;
  });
  wstest::TempDir dir;
  auto got = store_contract::open(beast_config(server))->get_file("obj", dir / "obj");
  WS_REQUIRE_OK(got);
  CHECK_FALSE(got->mtime.has_value());
  CHECK(fs::last_write_time(dir / "obj") >= fs::file_time_type::clock::now() - std::chrono::minutes(1));
}
