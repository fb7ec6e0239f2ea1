// Reading fields of caller-supplied JSON objects (CP sessions, pod-plan
// settings) with errors that name the field. Keys match case-insensitively,
// as Go's encoding/json does, so a Go struct marshalled without tags
// ("RepoURL") and its camelCase form ("repoUrl") both work.
#pragma once

#include <boost/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::config::jsonf {

// "a string", "an object", ... for error messages.
const char* kind_name(boost::json::kind k);

// Parses `text`; errors name `what` and the byte offset.
Result<boost::json::value> parse(std::string_view text, std::string_view what);

// Parses `text` and requires an object.
Result<boost::json::object> parse_object(std::string_view text, std::string_view what);

// The value of `key` (case-insensitive), or nullptr when absent or null.
const boost::json::value* find(const boost::json::object& obj, std::string_view key);

// A string field: "" when absent or null; an error naming `where.key`
// when it has another type.
Result<std::string> string_field(const boost::json::object& obj, std::string_view key,
                                 std::string_view where);

// An object field: nullptr when absent or null; an error when not an object.
Result<const boost::json::object*> object_field(const boost::json::object& obj,
                                                std::string_view key, std::string_view where);

// An error naming the first key of `obj` not in `known` (case-insensitive).
Status reject_unknown(const boost::json::object& obj, std::initializer_list<std::string_view> known,
                      std::string_view where);

}  // namespace ws::config::jsonf
