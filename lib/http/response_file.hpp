// Request::response_file as a ResponseSink, so a Transfer streams every 2xx
// body through one path: the file is created (or truncated) when an
// attempt's body starts and removed again when that attempt fails.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/error.hpp"
#include "http/http.hpp"

namespace ws::http {

class ResponseFile final : public ResponseSink {
 public:
  explicit ResponseFile(std::filesystem::path path) : path_(std::move(path)) {}

  Status restart() override;
  Status write(std::string_view bytes) override;
  // The attempt succeeded: flushes and closes the file.
  Status close();
  // The attempt failed: closes the file and removes it if this attempt made it.
  void discard();

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };

  Error write_error() const;

  std::filesystem::path path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  bool created_ = false;
};

}  // namespace ws::http
