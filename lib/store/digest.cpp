#include "store/digest.hpp"

#include <fcntl.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

namespace ws::store {
namespace {

constexpr size_t kReadChunk = 1 << 18;

}  // namespace

Digest::Digest(const EVP_MD* md) : ctx_(EVP_MD_CTX_new()) {
  // Allocation failure of a few bytes is not a recoverable condition here.
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1) std::abort();
}

Digest Digest::md5() { return Digest(EVP_md5()); }
Digest Digest::sha256() { return Digest(EVP_sha256()); }

void Digest::update(std::string_view data) {
  EVP_DigestUpdate(ctx_.get(), data.data(), data.size());
}

std::string Digest::finish() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_.get(), out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

std::string to_hex(std::string_view raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xf]);
  }
  return out;
}

Result<std::string> from_hex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return Error(Errc::protocol, "odd-length hex string");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return Error(Errc::protocol, "not a hex string");
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string md5_hex(std::string_view data) {
  auto d = Digest::md5();
  d.update(data);
  return to_hex(d.finish());
}

std::string sha256_hex(std::string_view data) {
  auto d = Digest::sha256();
  d.update(data);
  return to_hex(d.finish());
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

Result<std::string> md5_file_hex(const std::filesystem::path& path, uint64_t offset,
                                 uint64_t length, Symlinks links) {
  auto file = open_regular_file(path, links);
  if (!file) return std::move(file).error();
  const int fd = file->fd.get();
  auto d = Digest::md5();
  // Not zero-filled: hashing a 2 KiB file must not cost clearing 256 KiB.
  const std::unique_ptr<char[]> buf(new char[kReadChunk]);
  uint64_t pos = offset;
  uint64_t left = length;
  Status st;
  while (left > 0) {
    const ssize_t got = ::pread(fd, buf.get(), static_cast<size_t>(std::min<uint64_t>(kReadChunk, left)),
                                static_cast<off_t>(pos));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      st = Error(Errc::io, "reading " + path.string() + " failed: " + std::strerror(errno));
      break;
    }
    if (got == 0) break;
    d.update(std::string_view(buf.get(), static_cast<size_t>(got)));
    pos += static_cast<uint64_t>(got);
    left -= static_cast<uint64_t>(got);
  }
  if (!st) return std::move(st).error();
  return to_hex(d.finish());
}

}  // namespace ws::store
