#include <doctest/doctest.h>
#include <sys/resource.h>

#include <csignal>
#include <cstring>

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

TEST_CASE("a write the system refuses says why, not only SQLite's summary") {
  wstest::TempDir t("statedb");
  // A file size limit makes every write past it fail with EFBIG, as a full
  // disk makes them fail with ENOSPC.
  struct rlimit old {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit tiny = old;
  tiny.rlim_cur = 1024;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &tiny) == 0);
  auto db = StateDb::open(t / "state.db");
  ws::Status written;
  if (db) written = db->update_hashes("/root", {{"a", {1, 2, 3, std::string(4096, 'x')}}}, {});
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  REQUIRE_FALSE((db.ok() && written.ok()));
  const ws::Error error = db ? written.error() : db.error();
  CHECK(error.code == ws::Errc::io);
  CHECK_MESSAGE(error.message.find(std::strerror(EFBIG)) != std::string::npos, error.message);
  CHECK(error.message.find((t / "state.db").string()) != std::string::npos);
}
