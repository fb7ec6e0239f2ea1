#include "store/multipart_plan.hpp"

#include <algorithm>
#include <fstream>

#include "store/digest.hpp"

namespace ws::store {

std::vector<Part> plan_parts(uint64_t size, uint64_t part_size) {
  part_size = std::max(part_size, kMinPartSize);
  if (size > part_size * kMaxParts) {
    constexpr uint64_t mib = 1ull << 20;
    part_size = ((size + kMaxParts - 1) / kMaxParts + mib - 1) / mib * mib;
  }
  std::vector<Part> parts;
  for (uint64_t off = 0; off < size; off += part_size) parts.push_back({off, std::min(part_size, size - off)});
  if (parts.empty()) parts.push_back({0, 0});
  return parts;
}

Result<PartDigests> md5_of_parts(const std::filesystem::path& file, const std::vector<Part>& parts) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(Errc::io, "cannot read " + file.string());
  PartDigests out;
  auto whole = Digest::md5();
  std::vector<char> buf(1 << 18);
  for (const auto& part : parts) {
    auto digest = Digest::md5();
    uint64_t left = part.length;
    while (left > 0) {
      const auto want = static_cast<std::streamsize>(std::min<uint64_t>(buf.size(), left));
      in.read(buf.data(), want);
      if (in.gcount() != want) return Error(Errc::io, file.string() + " changed size while it was read");
      const std::string_view chunk(buf.data(), static_cast<size_t>(want));
      digest.update(chunk);
      whole.update(chunk);
      left -= static_cast<uint64_t>(want);
    }
    out.part_md5.push_back(digest.finish());
  }
  out.whole_md5 = whole.finish();
  return out;
}

}  // namespace ws::store
