// When a bearer token stops working, if it says so: the "exp" claim of a
// JWT (the CP issues JWTs). Read without verifying the signature: it only
// schedules a refresh, it grants nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace ws::auth {

std::optional<std::chrono::system_clock::time_point> jwt_expiry(std::string_view token);

}  // namespace ws::auth
