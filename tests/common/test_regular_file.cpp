#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "common/regular_file.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using ws::Errc;
using ws::Symlinks;

TEST_CASE("a regular file opens with its stat, following links or not") {
  wstest::TempDir t("regular");
  wstest::write_file(t / "d/f.txt", "four");
  for (auto links : {Symlinks::follow, Symlinks::refuse}) {
    auto f = ws::open_regular_file(t / "d/f.txt", links);
    REQUIRE(f);
    CHECK(f->st.st_size == 4);
    char buf[8] = {};
    CHECK(::read(f->fd.get(), buf, sizeof buf) == 4);
  }
}

TEST_CASE("a FIFO in a file's place is refused at once instead of blocking the reader") {
  wstest::TempDir t("regular");
  REQUIRE(::mkfifo((t / "state.db").c_str(), 0600) == 0);
  // No writer ever comes: a blocking open would never return.
  auto opened = std::async(std::launch::async, [&] { return ws::open_regular_file(t / "state.db"); });
  REQUIRE(opened.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  auto f = opened.get();
  REQUIRE_FALSE(f);
  CHECK(f.error().code == Errc::unsupported);
  CHECK(f.error().message.find((t / "state.db").string()) != std::string::npos);
  CHECK(f.error().message.find("FIFO") != std::string::npos);
}

TEST_CASE("with links refused, a symlink as the file or as any directory on the way is unsafe") {
  wstest::TempDir t("regular");
  wstest::TempDir outside("regular-out");
  wstest::write_file(outside / "secret", "s");
  wstest::write_file(t / "real/f", "f");
  fs::create_symlink(outside / "secret", t / "real/link");
  fs::create_directory_symlink(outside.path(), t / "dirlink");

  auto final_link = ws::open_regular_file(t / "real/link", Symlinks::refuse);
  REQUIRE_FALSE(final_link);
  CHECK(final_link.error().code == Errc::unsafe_path);
  CHECK(final_link.error().message.find("link is a symlink") != std::string::npos);

  auto dir_link = ws::open_regular_file(t / "dirlink/secret", Symlinks::refuse);
  REQUIRE_FALSE(dir_link);
  CHECK(dir_link.error().code == Errc::unsafe_path);
  CHECK(dir_link.error().message.find("dirlink is a symlink") != std::string::npos);

  CHECK(ws::open_regular_file(t / "dirlink/secret", Symlinks::follow));
  CHECK(ws::open_regular_file(t / "real/link", Symlinks::follow));
}

TEST_CASE("a missing file is not_found and a directory is not a regular file") {
  wstest::TempDir t("regular");
  CHECK(ws::open_regular_file(t / "nope").error().code == Errc::not_found);
  CHECK(ws::open_regular_file(t / "nope", Symlinks::refuse).error().code == Errc::not_found);
  CHECK(ws::open_regular_file(t.path()).error().code == Errc::unsupported);
}

TEST_CASE("refusing the last link still passes through linked directories") {
  wstest::TempDir t("regular");
  wstest::write_file(t / "real/f", "f");
  fs::create_directory_symlink(t / "real", t / "dirlink");
  fs::create_symlink(t / "real/f", t / "real/link");
  CHECK(ws::open_regular_file(t / "dirlink/f", Symlinks::refuse_last));
  auto last = ws::open_regular_file(t / "dirlink/link", Symlinks::refuse_last);
  REQUIRE_FALSE(last);
  CHECK(last.error().code == Errc::unsafe_path);
}
