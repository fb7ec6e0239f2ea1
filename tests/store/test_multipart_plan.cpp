#include <doctest/doctest.h>

#include "store/digest.hpp"
#include "store/multipart_plan.hpp"
#include "support.hpp"

using namespace ws::store;

TEST_CASE("parts cover the file exactly, all full-size but the last") {
  const auto parts = plan_parts((12ull << 20) + 1, 5ull << 20);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].offset == 0);
  CHECK(parts[1].offset == 5ull << 20);
  CHECK(parts[2].offset == 10ull << 20);
  CHECK(parts[2].length == (2ull << 20) + 1);
}

TEST_CASE("a part size below S3's 5 MiB minimum is raised to it") {
  CHECK(plan_parts(6ull << 20, 1024).size() == 2);
}

TEST_CASE("a file that would need more than 10000 parts gets bigger, whole-MiB parts") {
  const uint64_t size = 200ull << 30;  // 200 GiB at 5 MiB would be 40960 parts
  const auto parts = plan_parts(size, 5ull << 20);
  CHECK(parts.size() <= kMaxParts);
  CHECK(parts[0].length % (1ull << 20) == 0);
  CHECK(parts.back().offset + parts.back().length == size);
}

TEST_CASE("one read gives each part's MD5 and the whole file's") {
  wstest::TempDir dir;
  std::string data;
  for (size_t i = 0; i < (11ull << 20); ++i) data += static_cast<char>(i % 251);
  wstest::write_file(dir / "f", data);
  const auto parts = plan_parts(data.size(), 5ull << 20);
  auto d = md5_of_parts(dir / "f", parts);
  REQUIRE(d);
  CHECK(to_hex(d->whole_md5) == md5_hex(data));
  REQUIRE(d->part_md5.size() == 3);
  CHECK(to_hex(d->part_md5[2]) == md5_hex(std::string_view(data).substr(10ull << 20)));
}
