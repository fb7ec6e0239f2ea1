#include "common/error.hpp"

namespace ws {

const char* errc_name(Errc c) noexcept {
  switch (c) {
    case Errc::ok: return "ok";
    case Errc::invalid_input: return "invalid input";
    case Errc::not_found: return "not found";
    case Errc::auth: return "authentication failed";
    case Errc::network: return "network error";
    case Errc::protocol: return "protocol error";
    case Errc::io: return "I/O error";
    case Errc::conflict: return "conflict";
    case Errc::cancelled: return "cancelled";
    case Errc::unsafe_path: return "unsafe path";
    case Errc::unsupported: return "unsupported";
    case Errc::store: return "object store error";
    case Errc::git: return "git error";
    case Errc::internal: return "internal error";
  }
  return "unknown error";
}

}  // namespace ws
