#include "store/store.hpp"

namespace ws::store {

Result<PartsUpload> Store::put_file_parts(std::string_view key, const std::filesystem::path& src,
                                          const PutOptions& opts, const PartsOptions&) {
  WS_TRY(put_file(key, src, opts));
  PartsUpload out;
  std::error_code ec;
  const auto size = std::filesystem::file_size(src, ec);
  out.bytes_sent = ec ? 0 : size;
  return out;
}

Result<size_t> Store::abort_stale_uploads(std::string_view, std::chrono::system_clock::time_point) {
  return size_t{0};
}

}  // namespace ws::store
