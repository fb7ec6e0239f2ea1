// A file that appears at its destination whole or not at all: bytes go to a
// uniquely named temporary file (beside the destination unless told
// otherwise, so the final rename stays on one filesystem), and commit()
// sets the modification time on the open file, closes it and renames it
// into place. Destroyed uncommitted, the temporary file is removed and the
// destination is as it was.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/error.hpp"
#include "store/digest.hpp"

namespace ws::store {

class AtomicFile {
 public:
  // Creates the destination's parent directories and the temporary file
  // (mode 0666 less the umask, as a plain create would give).
  static Result<AtomicFile> create(const std::filesystem::path& dest,
                                   const std::filesystem::path& temp_dir = {});

  AtomicFile(AtomicFile&& o) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  ~AtomicFile();

  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& dest() const { return dest_; }

  Status write(std::string_view data);
  // Drops everything written so far, to write again from the start (a
  // download whose request was retried).
  Status rewind();
  // Copies all of `src` (opened as open_regular_file() opens it) into the
  // temporary file, feeding `digest` (if any) with the bytes on the way.
  // Returns the source's stat.
  Result<struct stat> copy_from(const std::filesystem::path& src, Digest* digest = nullptr,
                                Symlinks links = Symlinks::follow);
  // Sets the temporary file's modification and access times to `mtime`
  // (seconds since the epoch), if given, closes it and renames it over the
  // destination.
  Status commit(std::optional<double> mtime);

 private:
  AtomicFile(std::filesystem::path dest, std::filesystem::path temp, int fd)
      : dest_(std::move(dest)), temp_(std::move(temp)), fd_(fd) {}
  void close_fd();

  std::filesystem::path dest_, temp_;
  int fd_ = -1;
  bool committed_ = false;
};

// True for the names AtomicFile gives its temporary files (".<name>.ws-<10
// random [a-z0-9]>"): a process killed mid-download leaves one behind, and
// tree walkers (the sync) skip them rather than upload them.
bool is_atomic_temp_name(std::string_view filename);

// A file's modification time in seconds since the epoch, with nanoseconds.
double mtime_of(const struct stat& st);

}  // namespace ws::store
