#include <doctest/doctest.h>

#include <sstream>

#include "git/bundle_header.hpp"

using ws::Errc;
using ws::git::read_bundle_header;

namespace {

const std::string kA(40, 'a');
const std::string kB(40, 'b');

ws::Result<ws::git::BundleHeader> parse(const std::string& text) {
  std::istringstream in(text);
  return read_bundle_header(in);
}

}  // namespace

TEST_CASE("a v2 header round-trips and leaves the stream at the pack") {
  ws::git::BundleHeader h;
  h.prerequisites = {kB};
  h.refs = {{kA, "HEAD"}, {kA, "refs/heads/main"}};
  std::istringstream in(ws::git::serialize_bundle_header(h) + "PACK");
  auto r = read_bundle_header(in);
  REQUIRE(r.ok());
  CHECK(r->version == 2);
  CHECK(r->prerequisites == std::vector<std::string>{kB});
  REQUIRE(r->refs.size() == 2);
  CHECK(r->refs[1].name == "refs/heads/main");
  std::string rest;
  in >> rest;
  CHECK(rest == "PACK");
}

TEST_CASE("a v3 header with @object-format=sha1 is read") {
  auto r = parse("# v3 git bundle\n@object-format=sha1\n" + kA + " refs/heads/main\n\n");
  REQUIRE(r.ok());
  CHECK(r->version == 3);
  CHECK(r->refs.size() == 1);
}

TEST_CASE("prerequisite lines may carry a subject") {
  auto r = parse("# v2 git bundle\n-" + kB + " a commit subject\n" + kA + " refs/heads/x\n\n");
  REQUIRE(r.ok());
  CHECK(r->prerequisites == std::vector<std::string>{kB});
}

TEST_CASE("sha256 bundles are unsupported, by capability or by object name") {
  auto cap = parse("# v3 git bundle\n@object-format=sha256\n" + std::string(64, 'a') + " refs/heads/m\n\n");
  REQUIRE_FALSE(cap.ok());
  CHECK(cap.error().code == Errc::unsupported);
  auto name = parse("# v2 git bundle\n" + std::string(64, 'a') + " refs/heads/m\n\n");
  REQUIRE_FALSE(name.ok());
  CHECK(name.error().code == Errc::unsupported);
}

TEST_CASE("an unknown capability is unsupported, naming it") {
  auto r = parse("# v3 git bundle\n@filter=blob:none\n" + kA + " refs/heads/m\n\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::unsupported);
  CHECK(r.error().message.find("@filter") != std::string::npos);
}

TEST_CASE("an unknown bundle version is unsupported; other files are not bundles") {
  auto v4 = parse("# v4 git bundle\n\n");
  REQUIRE_FALSE(v4.ok());
  CHECK(v4.error().code == Errc::unsupported);
  auto junk = parse("PK\x03\x04 zip file");
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.error().code == Errc::invalid_input);
}

TEST_CASE("a header cut before its blank line is truncated") {
  auto r = parse("# v2 git bundle\n" + kA + " refs/heads/main\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("truncated") != std::string::npos);
}

TEST_CASE("a malformed ref line is invalid input") {
  auto r = parse("# v2 git bundle\nnot-a-sha refs/heads/main\n\n");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::invalid_input);
}
