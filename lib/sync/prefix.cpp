#include "sync/prefix.hpp"

#include "store/object_key.hpp"

namespace ws::sync {

Result<std::string> normalize_prefix(std::string_view prefix) {
  std::string p(prefix);
  if (!p.empty() && p.back() != '/') p += '/';
  WS_TRY(store::check_prefix(p));
  return p;
}

}  // namespace ws::sync
