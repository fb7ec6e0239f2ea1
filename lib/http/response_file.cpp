#include "http/response_file.hpp"

#include <cerrno>
#include <system_error>

namespace ws::http {

Error ResponseFile::write_error() const {
  return Error(Errc::io, "cannot write " + path_.string() + ": " + std::generic_category().message(errno));
}

Status ResponseFile::restart() {
  file_.reset(std::fopen(path_.c_str(), "wb"));
  if (!file_) return write_error();
  created_ = true;
  return {};
}

Status ResponseFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_.get()) != bytes.size()) return write_error();
  return {};
}

Status ResponseFile::close() {
  if (!file_) return {};
  std::FILE* f = file_.release();
  const bool flushed = std::fflush(f) == 0;
  const bool closed = std::fclose(f) == 0;
  if (!flushed || !closed) return write_error();
  return {};
}

void ResponseFile::discard() {
  file_.reset();
  if (created_) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

}  // namespace ws::http
