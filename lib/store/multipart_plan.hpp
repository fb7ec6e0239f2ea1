// How a large file is cut for an S3 multipart upload, and the MD5s the
// upload needs (each part's for Content-MD5, the whole file's for rclone's
// X-Amz-Meta-Md5chksum), computed in a single read of the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/regular_file.hpp"

namespace ws::store {

struct Part {
  uint64_t offset = 0;
  uint64_t length = 0;
};

inline constexpr uint64_t kMaxParts = 10000;        // S3's limit
inline constexpr uint64_t kMinPartSize = 5ull << 20;  // S3's minimum, last part excepted

// The part size plan_parts uses: `part_size` (at least kMinPartSize), grown
// in whole MiB when the file would need more than kMaxParts.
uint64_t part_size_for(uint64_t size, uint64_t part_size);
// Parts of part_size_for(size, part_size). An empty file is one empty part.
std::vector<Part> plan_parts(uint64_t size, uint64_t part_size);

struct PartDigests {
  std::string whole_md5;              // raw 16 bytes
  std::vector<std::string> part_md5;  // raw, one per part
};
// `file` is opened as open_regular_file() opens it.
Result<PartDigests> md5_of_parts(const std::filesystem::path& file, const std::vector<Part>& parts,
                                 Symlinks links = Symlinks::follow);

}  // namespace ws::store
