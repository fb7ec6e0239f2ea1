#include "git/large_file_patch.hpp"

#include <zlib.h>

#include <array>
#include <memory>
#include <string_view>
#include <vector>

#include "git/libgit2.hpp"
#include "git/patch_text.hpp"
#include "git/stdio_file.hpp"

namespace ws::git {

namespace {

constexpr std::string_view kBase85 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
constexpr size_t kLineBytes = 52;  // what git puts on one base85 line

// One line of git's binary hunk: a length letter, then base85 of `data`
// padded to a multiple of 4.
std::string base85_line(const unsigned char* data, size_t n) {
  std::string line(1, n <= 26 ? static_cast<char>('A' + n - 1) : static_cast<char>('a' + n - 27));
  for (size_t i = 0; i < n; i += 4) {
    uint32_t acc = 0;
    for (size_t k = 0; k < 4; ++k) acc = (acc << 8) | (i + k < n ? data[i + k] : 0);
    char group[5];
    for (int k = 4; k >= 0; --k) {
      group[k] = kBase85[acc % 85];
      acc /= 85;
    }
    line.append(group, 5);
  }
  return line + "\n";
}

struct Deflater {
  z_stream z{};
  bool ready = false;
  Deflater() { ready = deflateInit(&z, Z_BEST_SPEED) == Z_OK; }
  ~Deflater() {
    if (ready) deflateEnd(&z);
  }
};

}  // namespace

Status write_new_file_patch(FILE* out, const std::string& path, const std::filesystem::path& file, unsigned mode,
                            const git_oid& id) {
  FilePtr in(std::fopen(file.c_str(), "rb"));
  if (!in) return Error(Errc::io, "cannot read " + file.string());
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(file, ec);
  if (ec) return Error(Errc::io, "cannot read " + file.string() + ": " + ec.message());
  char mode_text[16];
  std::snprintf(mode_text, sizeof mode_text, "%o", mode);
  const std::string header = "diff --git " + quote_path_if_needed("a/" + path) + " " + quote_path_if_needed("b/" + path) +
                             "\nnew file mode " + mode_text + "\nindex " + std::string(GIT_OID_HEXSZ, '0') + ".." +
                             oid_hex(id) + "\nGIT binary patch\nliteral " + std::to_string(size) + "\n";
  if (std::fputs(header.c_str(), out) == EOF) return Error(Errc::io, "writing the patch");
  Deflater deflater;
  if (!deflater.ready) return Error(Errc::internal, "zlib: cannot start compressing");
  std::vector<unsigned char> chunk(256 * 1024), packed(256 * 1024);
  std::vector<unsigned char> pending;  // compressed bytes not yet on a full line
  uint64_t read_total = 0;
  int flush = Z_NO_FLUSH;
  while (flush != Z_FINISH) {
    const size_t got = std::fread(chunk.data(), 1, chunk.size(), in.get());
    if (std::ferror(in.get())) return Error(Errc::io, "reading " + file.string());
    read_total += got;
    flush = std::feof(in.get()) ? Z_FINISH : Z_NO_FLUSH;
    deflater.z.next_in = chunk.data();
    deflater.z.avail_in = static_cast<uInt>(got);
    int rc;
    do {
      deflater.z.next_out = packed.data();
      deflater.z.avail_out = static_cast<uInt>(packed.size());
      rc = deflate(&deflater.z, flush);
      if (rc == Z_STREAM_ERROR) return Error(Errc::internal, "zlib: compressing " + file.string());
      pending.insert(pending.end(), packed.data(), packed.data() + (packed.size() - deflater.z.avail_out));
      size_t at = 0;
      for (; pending.size() - at >= kLineBytes; at += kLineBytes) {
        if (std::fputs(base85_line(pending.data() + at, kLineBytes).c_str(), out) == EOF) {
          return Error(Errc::io, "writing the patch");
        }
      }
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(at));
    } while (deflater.z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
  }
  if (!pending.empty() && std::fputs(base85_line(pending.data(), pending.size()).c_str(), out) == EOF) {
    return Error(Errc::io, "writing the patch");
  }
  if (read_total != size) return Error(Errc::io, file.string() + " changed while it was read");
  // The reverse hunk git writes for a creation: the empty file.
  if (std::fputs("\nliteral 0\nHcmV?d00001\n\n", out) == EOF) return Error(Errc::io, "writing the patch");
  return {};
}

}  // namespace ws::git
