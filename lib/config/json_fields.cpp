#include "config/json_fields.hpp"

#include <algorithm>
#include <cctype>

#include "common/ascii.hpp"

namespace ws::config::jsonf {
namespace json = boost::json;

namespace {

std::string dotted(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

}  // namespace

const char* kind_name(json::kind k) {
  switch (k) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

Result<json::value> parse(std::string_view text, std::string_view what) {
  json::stream_parser parser;
  boost::system::error_code ec;
  const size_t consumed = parser.write_some(text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) {
    return Error(Errc::invalid_input, std::string(what) + " is not valid JSON (at byte " +
                                          std::to_string(consumed) +
                                          "): unexpected data after the JSON value");
  }
  if (!ec) parser.finish(ec);
  if (ec) {
    return Error(Errc::invalid_input, std::string(what) + " is not valid JSON (at byte " +
                                          std::to_string(std::min(consumed, text.size())) +
                                          "): " + ec.message());
  }
  return parser.release();
}

Result<json::object> parse_object(std::string_view text, std::string_view what) {
  auto doc = parse(text, what);
  if (!doc) return std::move(doc).error();
  if (!doc->is_object()) {
    return Error(Errc::invalid_input, std::string(what) + " must be a JSON object, got " +
                                          kind_name(doc->kind()));
  }
  return std::move(doc->get_object());
}

const json::value* find(const json::object& obj, std::string_view key) {
  for (const auto& kv : obj) {
    if (ascii_iequals(kv.key(), key)) return kv.value().is_null() ? nullptr : &kv.value();
  }
  return nullptr;
}

Result<std::string> string_field(const json::object& obj, std::string_view key,
                                 std::string_view where) {
  const json::value* v = find(obj, key);
  if (v == nullptr) return std::string();
  if (!v->is_string()) {
    return Error(Errc::invalid_input,
                 dotted(where, key) + " must be a string, got " + kind_name(v->kind()));
  }
  return std::string(v->get_string());
}

Result<const json::object*> object_field(const json::object& obj, std::string_view key,
                                         std::string_view where) {
  const json::value* v = find(obj, key);
  if (v == nullptr) return static_cast<const json::object*>(nullptr);
  if (!v->is_object()) {
    return Error(Errc::invalid_input,
                 dotted(where, key) + " must be an object, got " + kind_name(v->kind()));
  }
  return &v->get_object();
}

Status reject_unknown(const json::object& obj, std::initializer_list<std::string_view> known,
                      std::string_view where) {
  for (const auto& kv : obj) {
    const bool ok = std::any_of(known.begin(), known.end(),
                                [&](std::string_view k) { return ascii_iequals(k, kv.key()); });
    if (!ok) {
      std::string list;
      for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      return Error(Errc::invalid_input, dotted(where, kv.key()) +
                                            " is not a known field (known: " + list + ")");
    }
  }
  return {};
}

}  // namespace ws::config::jsonf
