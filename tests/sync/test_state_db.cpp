#include <doctest/doctest.h>

#include "support.hpp"
#include "sync/state_db.hpp"

using namespace ws::sync;

TEST_CASE("the hash cache round-trips and drops removed paths") {
  wstest::TempDir t("statedb");
  {
    auto db = StateDb::open(t / "sub/state.db");
    REQUIRE(db.ok());
    REQUIRE(db->update_hashes("/root", {{"a", {1, 2, 3, "md5a"}}, {"b/c", {4, 5, 6, "md5b"}}}, {}).ok());
    REQUIRE(db->update_hashes("/other", {{"a", {7, 8, 9, "x"}}}, {}).ok());
  }
  auto db = StateDb::open(t / "sub/state.db");
  REQUIRE(db.ok());
  auto h = db->load_hashes("/root");
  REQUIRE(h.ok());
  REQUIRE(h->size() == 2);
  CHECK(h->at("b/c").md5 == "md5b");
  CHECK(h->at("a").mtime_ns == 2);
  REQUIRE(db->update_hashes("/root", {}, {"a"}).ok());
  CHECK(db->load_hashes("/root")->size() == 1);
  CHECK(db->load_hashes("/other")->size() == 1);
}

TEST_CASE("a manifest is absent until written, keeps only known MD5s, and counts trusted cycles") {
  wstest::TempDir t("statedb");
  auto db = StateDb::open(t / "state.db");
  REQUIRE(db.ok());
  auto none = db->load_manifest("s");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  REQUIRE(db->replace_manifest("s", {{"k1", {1, "aa"}}, {"k2", {2, ""}}}).ok());
  REQUIRE(db->update_manifest("s", {{"k3", {3, "cc"}}}, {"k1"}).ok());
  REQUIRE(db->set_trusted_cycles("s", 4).ok());
  auto m = db->load_manifest("s");
  REQUIRE(m.ok());
  REQUIRE(m->has_value());
  CHECK((*m)->trusted_cycles == 4);
  CHECK((*m)->entries.size() == 1);
  CHECK((*m)->entries.at("k3").md5 == "cc");
}

TEST_CASE("a file that is not a database is an io error, not a crash") {
  wstest::TempDir t("statedb");
  wstest::write_file(t / "state.db", std::string(4096, 'z'));
  auto db = StateDb::open(t / "state.db");
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == ws::Errc::io);
}
