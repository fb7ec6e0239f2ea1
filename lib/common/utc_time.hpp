// UTC timestamps as the library writes them: in metadata, file names, log
// lines and SigV4's x-amz-date. Always whole seconds, rounded down (an
// instant 0.9 s before a second is still in the earlier second, also
// before 1970).
#pragma once

#include <chrono>
#include <string>

namespace ws {

enum class UtcFormat {
  extended,  // "2026-12-03T18:34:06Z" (ISO 8601 / RFC 3339): metadata and logs
  basic,     // "20261203T183406Z": SigV4's x-amz-date, file names
};

std::string utc_timestamp(std::chrono::system_clock::time_point t, UtcFormat format = UtcFormat::extended);

}  // namespace ws
