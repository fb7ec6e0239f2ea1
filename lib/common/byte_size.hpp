// Sizes as rclone's --max-size and friends read them: a number, maybe with a
// fraction, and an optional binary suffix: B, K/Ki/KiB, M/Mi/MiB, G, T, P
// (any case; K = 1024, as in rclone). A bare number is bytes, because
// MAX_SYNC_SIZE has always been bytes (rclone reads a bare number as KiB).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/error.hpp"

namespace ws {

// Errc::invalid_input for anything else: a sign, an unknown suffix, garbage,
// a value beyond 2^64-1. The message says what is accepted; the caller
// prefixes the name of the input.
Result<uint64_t> parse_byte_size(std::string_view text);

}  // namespace ws
