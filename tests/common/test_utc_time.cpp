#include <doctest/doctest.h>

#include "common/utc_time.hpp"

using namespace std::chrono;
using ws::UtcFormat;
using ws::utc_timestamp;

namespace {

system_clock::time_point at(int64_t seconds, int64_t ms = 0) {
  return system_clock::time_point(duration_cast<system_clock::duration>(std::chrono::seconds(seconds) +
                                                                        milliseconds(ms)));
}

}  // namespace

TEST_CASE("a UTC timestamp in both formats") {
  CHECK(utc_timestamp(at(1440938160)) == "2015-08-30T12:36:00Z");
  CHECK(utc_timestamp(at(1440938160), UtcFormat::basic) == "20150830T123600Z");  // AWS's SigV4 example
  CHECK(utc_timestamp(at(0)) == "1970-01-01T00:00:00Z");
}

TEST_CASE("a timestamp is the second an instant falls in, never the next one") {
  CHECK(utc_timestamp(at(1440938159, 999)) == "2015-08-30T12:35:59Z");
  CHECK(utc_timestamp(at(1440938160, 1)) == "2015-08-30T12:36:00Z");
  // 2016-12-31 ended with a leap second; the clock skips it, the date rolls.
  CHECK(utc_timestamp(at(1483228799, 999)) == "2016-12-31T23:59:59Z");
  CHECK(utc_timestamp(at(1483228800)) == "2017-01-01T00:00:00Z");
}

TEST_CASE("before 1970 an instant rounds down too") {
  CHECK(utc_timestamp(at(0, -1)) == "1969-12-31T23:59:59Z");
  CHECK(utc_timestamp(at(-1, -500), UtcFormat::basic) == "19691231T235958Z");
}
