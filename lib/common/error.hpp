// Errors as values. Every fallible call in the library returns Result<T>;
// an Error carries a code that maps one-to-one onto the C ABI's ws_status
// (include/libworkspace/common.h) and a message meant for a platform engineer:
// it names the input and what was wrong, and never contains a secret.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ws {

// Keep in step with ws_status in include/libworkspace/common.h; a static_assert
// in lib/capi/common.cpp checks every value.
enum class Errc : int {
  ok = 0,
  invalid_input = -1,   // bad input: JSON, URL, field, option, path
  not_found = -2,       // repo, bucket, key, file, branch
  auth = -3,            // credentials missing or refused
  network = -4,         // connect, DNS, TLS, timeout, reset
  protocol = -5,        // a peer answered something malformed
  io = -6,              // local filesystem
  conflict = -7,        // target exists, not empty, or changed underneath
  cancelled = -8,       // stopped by the caller or a signal
  unsafe_path = -9,     // a key or path would escape its target directory
  unsupported = -10,    // a format or feature this build does not handle
  store = -11,          // the object store refused (S3 error code in message)
  git = -12,            // libgit2 or git-format failure
  internal = -13,       // a bug: please report it
};

const char* errc_name(Errc c) noexcept;

struct Error {
  Errc code = Errc::internal;
  std::string message;

  Error() = default;
  Error(Errc c, std::string msg) : code(c), message(std::move(msg)) {}

  // Adds context in front: "reading state: <message>".
  Error&& context(std::string_view what) && {
    message = std::string(what) + ": " + message;
    return std::move(*this);
  }
};

inline Error make_error(Errc c, std::string msg) { return Error(c, std::move(msg)); }

// A small std::expected stand-in (g++ 12 has no <expected>).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error err) : v_(std::in_place_index<1>, std::move(err)) {}

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error err) : err_(std::move(err)), failed_(true) {}

  bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& { assert(failed_); return err_; }
  Error&& error() && { assert(failed_); return std::move(err_); }

 private:
  Error err_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace ws

// Propagate an error from a Result-returning expression.
#define WS_TRY(expr)                                   \
  do {                                                 \
    auto ws_try_r_ = (expr);                           \
    if (!ws_try_r_) return std::move(ws_try_r_).error(); \
  } while (0)
