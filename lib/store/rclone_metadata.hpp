// The metadata conventions rclone uses on S3 objects, which the scripts'
// state and ours share (behaviour §2): the file's modification time in
// X-Amz-Meta-Mtime as seconds with a decimal fraction, and for multipart
// uploads the whole file's MD5 in X-Amz-Meta-Md5chksum, base64.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ws::store {

inline constexpr std::string_view kMtimeHeader = "X-Amz-Meta-Mtime";
inline constexpr std::string_view kMd5chksumHeader = "X-Amz-Meta-Md5chksum";

// 1700000000.5 -> "1700000000.5"; nanosecond digits, trailing zeros trimmed.
std::string format_mtime(double seconds);
// The latest time a file may claim, and the earliest as its negative:
// 9999-12-31T23:59:59Z, as far as calendars (and rclone) go. Beyond it a
// time_t conversion would wrap (1e300 seconds became 1901).
inline constexpr double kMaxMtimeSeconds = 253402300799.0;

// "1700000000.123456789" -> seconds; std::nullopt when malformed or beyond
// kMaxMtimeSeconds either side of the epoch.
std::optional<double> parse_mtime(std::string_view text);

}  // namespace ws::store
