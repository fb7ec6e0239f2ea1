#include "store/multipart_plan.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "store/digest.hpp"

namespace ws::store {

uint64_t part_size_for(uint64_t size, uint64_t part_size) {
  part_size = std::max(part_size, kMinPartSize);
  if (size > part_size * kMaxParts) {
    constexpr uint64_t mib = 1ull << 20;
    part_size = ((size + kMaxParts - 1) / kMaxParts + mib - 1) / mib * mib;
  }
  return part_size;
}

std::vector<Part> plan_parts(uint64_t size, uint64_t part_size) {
  part_size = part_size_for(size, part_size);
  std::vector<Part> parts;
  for (uint64_t off = 0; off < size; off += part_size) parts.push_back({off, std::min(part_size, size - off)});
  if (parts.empty()) parts.push_back({0, 0});
  return parts;
}

Result<PartDigests> md5_of_parts(const std::filesystem::path& file, const std::vector<Part>& parts,
                                 Symlinks links) {
  auto opened = open_regular_file(file, links);
  if (!opened) return std::move(opened).error();
  uint64_t pos = 0;
  PartDigests out;
  auto whole = Digest::md5();
  std::vector<char> buf(1 << 18);
  for (const auto& part : parts) {
    auto digest = Digest::md5();
    uint64_t left = part.length;
    while (left > 0) {
      const auto want = static_cast<size_t>(std::min<uint64_t>(buf.size(), left));
      const ssize_t got = ::pread(opened->fd.get(), buf.data(), want, static_cast<off_t>(pos));
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return Error(Errc::io, "reading " + file.string() + " failed: " + std::strerror(errno));
      if (got == 0) return Error(Errc::io, file.string() + " changed size while it was read");
      const std::string_view chunk(buf.data(), static_cast<size_t>(got));
      digest.update(chunk);
      whole.update(chunk);
      pos += static_cast<uint64_t>(got);
      left -= static_cast<uint64_t>(got);
    }
    out.part_md5.push_back(digest.finish());
  }
  out.whole_md5 = whole.finish();
  return out;
}

}  // namespace ws::store
