#include <doctest/doctest.h>

#include "store/rclone_metadata.hpp"

using namespace ws::store;

TEST_CASE("mtimes are written as rclone writes them: seconds, fraction trimmed") {
  CHECK(format_mtime(1700000000.0) == "1700000000");
  CHECK(format_mtime(1700000000.5) == "1700000000.5");
  CHECK(format_mtime(1700000000.25) == "1700000000.25");
  CHECK(format_mtime(0.999999999999) == "1");
  CHECK(format_mtime(-0.5) == "-0.5");
}

TEST_CASE("mtimes rclone wrote parse back, garbage does not") {
  auto t = parse_mtime("1700000000.123456789");
  REQUIRE(t);
  CHECK(*t == doctest::Approx(1700000000.123456789).epsilon(1e-15));
  CHECK(parse_mtime("1700000000") == 1700000000.0);
  CHECK_FALSE(parse_mtime("").has_value());
  CHECK_FALSE(parse_mtime("12abc").has_value());
  CHECK_FALSE(parse_mtime("nan").has_value());
}

TEST_CASE("an mtime beyond the year 9999 either way is no mtime, not a wrapped one") {
  CHECK_FALSE(parse_mtime("1e300").has_value());
  CHECK_FALSE(parse_mtime("-1e300").has_value());
  CHECK_FALSE(parse_mtime("253402300800").has_value());
  CHECK(parse_mtime("253402300799") == 253402300799.0);
  CHECK(parse_mtime("-86400") == -86400.0);
}
