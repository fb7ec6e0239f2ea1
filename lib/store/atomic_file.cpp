#include "store/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <system_error>
#include <utility>

namespace ws::store {
namespace fs = std::filesystem;
namespace {

Error errno_error(std::string_view what, const fs::path& p) {
  return Error(Errc::io, std::string(what) + " " + p.string() + ": " + std::strerror(errno));
}

std::string random_suffix() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string s(10, 'x');
  for (auto& c : s) c = alphabet[rng() % (sizeof alphabet - 1)];
  return s;
}

// Seconds since the epoch as a timespec, nanoseconds rounded.
timespec timespec_of(double seconds) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(std::floor(seconds));
  ts.tv_nsec = std::lround((seconds - std::floor(seconds)) * 1e9);
  if (ts.tv_nsec >= 1'000'000'000) {
    ++ts.tv_sec;
    ts.tv_nsec -= 1'000'000'000;
  }
  return ts;
}

}  // namespace

Result<AtomicFile> AtomicFile::create(const fs::path& dest, const fs::path& temp_dir) {
  const fs::path parent = dest.parent_path();
  const fs::path dir = temp_dir.empty() ? parent : temp_dir;
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (!ec && dir != parent) fs::create_directories(dir, ec);
  if (ec) {
    const bool blocked = ec == std::errc::file_exists || ec == std::errc::not_a_directory;
    return Error(blocked ? Errc::conflict : Errc::io,
                 "cannot create the directory for " + dest.string() + ": " + ec.message());
  }
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string name = ".";
    name.append(dest.filename().string(), 0, 100).append(".ws-").append(random_suffix());
    fs::path temp = dir / name;
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return AtomicFile(dest, std::move(temp), fd);
    if (errno != EEXIST) return errno_error("cannot create a temporary file for", dest);
  }
  return Error(Errc::io, "no free temporary name for " + dest.string());
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : dest_(std::move(o.dest_)), temp_(std::move(o.temp_)), fd_(o.fd_), committed_(o.committed_) {
  o.fd_ = -1;
  o.committed_ = true;
}

AtomicFile::~AtomicFile() {
  close_fd();
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

void AtomicFile::close_fd() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status AtomicFile::write(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_error("cannot write", temp_);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Status AtomicFile::rewind() {
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) return errno_error("cannot truncate", temp_);
  return {};
}

Result<struct stat> AtomicFile::copy_from(const fs::path& src, Digest* digest, Symlinks links) {
  auto opened = open_regular_file(src, links);
  if (!opened) return std::move(opened).error();
  const int in = opened->fd.get();
  // Not zero-filled: copying a small file must not cost clearing 256 KiB.
  constexpr size_t kChunk = 1 << 18;
  const std::unique_ptr<char[]> buf(new char[kChunk]);
  Status st;
  while (true) {
    const ssize_t n = ::read(in, buf.get(), kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = errno_error("cannot read", src);
      break;
    }
    if (n == 0) break;
    const std::string_view chunk(buf.get(), static_cast<size_t>(n));
    if (digest != nullptr) digest->update(chunk);
    st = write(chunk);
    if (!st) break;
  }
  if (!st) return std::move(st).error();
  return opened->st;
}

Status AtomicFile::commit(std::optional<double> mtime) {
  if (mtime) {
    const timespec times[2] = {timespec_of(*mtime), timespec_of(*mtime)};
    if (::futimens(fd_, times) != 0) return errno_error("cannot set the mtime of", temp_);
  }
  if (::close(std::exchange(fd_, -1)) != 0) return errno_error("cannot close", temp_);
  if (::rename(temp_.c_str(), dest_.c_str()) != 0) {
    return Error(errno == EISDIR || errno == ENOTDIR ? Errc::conflict : Errc::io,
                 "cannot move a file into place at " + dest_.string() + ": " + std::strerror(errno));
  }
  committed_ = true;
  return {};
}

bool is_atomic_temp_name(std::string_view filename) {
  constexpr size_t suffix = 14;  // ".ws-" and 10 characters
  if (filename.size() < 1 + suffix || filename.front() != '.') return false;
  const auto tail = filename.substr(filename.size() - suffix);
  if (tail.substr(0, 4) != ".ws-") return false;
  for (char c : tail.substr(4)) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

double mtime_of(const struct stat& st) {
  return static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
}

}  // namespace ws::store
