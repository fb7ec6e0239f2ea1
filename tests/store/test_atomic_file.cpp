#include <doctest/doctest.h>

#include "store/atomic_file.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using ws::store::AtomicFile;

TEST_CASE("an uncommitted AtomicFile leaves the destination as it was and no temporary file") {
  wstest::TempDir dir;
  wstest::write_file(dir / "dest", "old");
  {
    auto f = AtomicFile::create(dir / "dest");
    REQUIRE(f);
    REQUIRE(f->write("new").ok());
    CHECK(ws::store::is_atomic_temp_name(f->temp_path().filename().string()));
  }
  CHECK(wstest::read_file(dir / "dest") == "old");
  CHECK(std::distance(fs::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("commit replaces the destination and sets its mtime") {
  wstest::TempDir dir;
  auto f = AtomicFile::create(dir / "sub" / "dest");
  REQUIRE(f);
  REQUIRE(f->write("new").ok());
  REQUIRE(f->commit(1234567890.5).ok());
  CHECK(wstest::read_file(dir / "sub" / "dest") == "new");
  struct stat st{};
  REQUIRE(::stat((dir / "sub" / "dest").c_str(), &st) == 0);
  CHECK(ws::store::mtime_of(st) == doctest::Approx(1234567890.5));
}

TEST_CASE("temporary names are recognisable and ordinary names are not") {
  CHECK(ws::store::is_atomic_temp_name(".data.bin.ws-a1b2c3d4e5"));
  CHECK_FALSE(ws::store::is_atomic_temp_name("data.bin.ws-a1b2c3d4e5"));
  CHECK_FALSE(ws::store::is_atomic_temp_name(".data.bin.ws-A1B2C3D4E5"));
  CHECK_FALSE(ws::store::is_atomic_temp_name(".data.bin"));
  CHECK_FALSE(ws::store::is_atomic_temp_name(".ws-a1b2c3d4e5"));
}
