#include "git/rejected_patch.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "common/utc_time.hpp"
#include "git/patch_text.hpp"

namespace ws::git {

namespace fs = std::filesystem;

namespace {

std::string header(SavedPatch which, const std::vector<std::string>& rejected) {
  const bool staged = which == SavedPatch::staged;
  std::string out = std::string("# libworkspace: these saved ") + (staged ? "staged" : "work-tree") +
                    " changes did not apply at the restore of " + utc_timestamp(std::chrono::system_clock::now()) + ":\n";
  for (const auto& path : rejected) out += "#   " + quote_path_if_needed(path) + "\n";
  out += std::string("# The whole saved ") + (staged ? "staged.patch" : "uncommitted.patch") +
         " follows as it was stored; `git apply" + (staged ? " --cached" : "") +
         " --include=PATH` replays one file of it.\n";
  return out;
}

}  // namespace

Result<fs::path> keep_rejected_patch(const fs::path& dir, const fs::path& saved, SavedPatch which,
                                     const std::vector<std::string>& rejected) {
  std::ifstream in(saved, std::ios::binary);
  if (!in) return Error(Errc::io, "cannot read " + saved.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error(Errc::io, "creating " + dir.string() + ": " + ec.message());
  const std::string base = "rejected-" + utc_timestamp(std::chrono::system_clock::now(), UtcFormat::basic);
  const std::string suffix = which == SavedPatch::staged ? ".staged.patch" : ".patch";
  for (int n = 1; n < 1000; ++n) {
    const fs::path path = dir / (base + (n == 1 ? "" : "-" + std::to_string(n)) + suffix);
    // O_EXCL: an earlier copy is never overwritten.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) continue;
    if (fd < 0) return Error(Errc::io, "creating " + path.string() + ": " + std::strerror(errno));
    const std::string content = header(which, rejected) + text;
    bool ok = true;
    for (size_t done = 0; ok && done < content.size();) {
      const ssize_t w = ::write(fd, content.data() + done, content.size() - done);
      if (w < 0 && errno == EINTR) continue;
      ok = w > 0;
      if (ok) done += static_cast<size_t>(w);
    }
    ::close(fd);
    if (!ok) return Error(Errc::io, "writing " + path.string() + ": " + std::strerror(errno));
    return path;
  }
  return Error(Errc::conflict, "too many rejected patches named " + base + " in " + dir.string());
}

}  // namespace ws::git
