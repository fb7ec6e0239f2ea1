// Hashes and encodings the stores need: MD5 (S3 ETag, Content-MD5, rclone's
// Md5chksum), SHA-256 and HMAC-SHA-256 (SigV4), hex. All over
// OpenSSL's EVP interface.
#pragma once

#include <openssl/evp.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/regular_file.hpp"

namespace ws::store {

struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// An incremental message digest; finish() returns the raw bytes.
class Digest {
 public:
  static Digest md5();
  static Digest sha256();

  void update(std::string_view data);
  std::string finish();

 private:
  explicit Digest(const EVP_MD* md);
  std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree> ctx_;
};

std::string to_hex(std::string_view raw);
// Hex (either case) to raw bytes; Errc::protocol on malformed input.
Result<std::string> from_hex(std::string_view hex);

std::string md5_hex(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);

// MD5 of a whole file (or of `length` bytes from `offset`), read in blocks;
// `path` is opened as open_regular_file() opens it.
Result<std::string> md5_file_hex(const std::filesystem::path& path, uint64_t offset = 0,
                                 uint64_t length = UINT64_MAX, Symlinks links = Symlinks::follow);

}  // namespace ws::store
