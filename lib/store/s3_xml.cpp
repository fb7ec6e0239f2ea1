#include "store/s3_xml.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <sstream>

#include "common/ascii.hpp"

namespace ws::store {
namespace pt = boost::property_tree;
namespace {

// S3's documents nest four or five elements deep. RapidXML and the ptree
// built from it recurse once per level, so a hostile endpoint's deeply nested
// answer would overflow the stack: the nesting is measured before parsing.
constexpr size_t kMaxXmlDepth = 32;

// Skips from `pos` past the next `end`; npos when it never comes.
size_t skip_past(std::string_view xml, size_t pos, std::string_view end) {
  const auto at = xml.find(end, pos);
  return at == std::string_view::npos ? at : at + end.size();
}

// The deepest element nesting in `xml`, read as RapidXML reads it: comments,
// CDATA, processing instructions and the DOCTYPE (with its bracketed
// internal subset) hold no elements, and a quoted attribute value may
// contain '>' or "/>". Stops counting once past `limit`.
size_t element_depth(std::string_view xml, size_t limit) {
  size_t depth = 0;
  size_t deepest = 0;
  size_t pos = 0;
  while (deepest <= limit && (pos = xml.find('<', pos)) != std::string_view::npos) {
    const auto rest = xml.substr(pos);
    if (rest.starts_with("<!--")) {
      pos = skip_past(xml, pos + 4, "-->");
    } else if (rest.starts_with("<![CDATA[")) {
      pos = skip_past(xml, pos + 9, "]]>");
    } else if (rest.starts_with("<?")) {
      pos = skip_past(xml, pos + 2, "?>");
    } else if (rest.starts_with("<!")) {
      int brackets = 0;
      for (++pos; pos < xml.size(); ++pos) {
        if (xml[pos] == '[') ++brackets;
        if (xml[pos] == ']') --brackets;
        if (xml[pos] == '>' && brackets <= 0) break;
      }
    } else if (rest.starts_with("</")) {
      if (depth > 0) --depth;
      pos = skip_past(xml, pos + 2, ">");
    } else {
      char quote = 0;
      bool self_closing = false;
      for (++pos; pos < xml.size(); ++pos) {
        const char c = xml[pos];
        if (quote) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          self_closing = xml[pos - 1] == '/';
          break;
        }
      }
      if (!self_closing) deepest = std::max(deepest, ++depth);
    }
    if (pos == std::string_view::npos || pos >= xml.size()) break;
  }
  return deepest;
}

// Decimal digits only: the stream a ptree reads numbers with takes "-1" for
// 2^64-1 and "1e3" for 1.
std::optional<uint64_t> byte_count(std::string_view text) {
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

Result<pt::ptree> parse(std::string_view xml, std::string_view what) {
  if (element_depth(xml, kMaxXmlDepth) > kMaxXmlDepth) {
    return Error(Errc::protocol, "malformed " + std::string(what) + " XML from S3: elements nested deeper than " +
                                     std::to_string(kMaxXmlDepth) + " levels");
  }
  pt::ptree tree;
  try {
    std::istringstream in{std::string(xml)};
    pt::read_xml(in, tree, pt::xml_parser::no_comments);
  } catch (const pt::xml_parser_error& e) {
    return Error(Errc::protocol, "malformed " + std::string(what) + " XML from S3: " + e.message());
  }
  return tree;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string unquote_etag(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

std::string md5_from_etag(std::string_view etag) {
  const auto e = unquote_etag(etag);
  if (e.size() != 32) return {};
  for (char c : e) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return {};
  }
  return ascii_lower(e);
}

Result<ListPage> parse_list_objects_v2(std::string_view xml) {
  auto tree = parse(xml, "ListObjectsV2");
  if (!tree) return std::move(tree).error();
  const auto root = tree->get_child_optional("ListBucketResult");
  if (!root) return Error(Errc::protocol, "S3 listing has no ListBucketResult element");
  ListPage page;
  page.truncated = root->get<std::string>("IsTruncated", "false") == "true";
  page.next_continuation_token = root->get<std::string>("NextContinuationToken", "");
  for (const auto& [name, node] : *root) {
    if (name != "Contents") continue;
    ObjectInfo info;
    info.key = node.get<std::string>("Key", "");
    const auto size = byte_count(node.get<std::string>("Size", ""));
    if (info.key.empty() || !size) return Error(Errc::protocol, "S3 listing entry without Key or Size");
    info.size = *size;
    info.etag = unquote_etag(node.get<std::string>("ETag", ""));
    info.md5_hex = md5_from_etag(info.etag);
    page.objects.push_back(std::move(info));
  }
  if (page.truncated && page.next_continuation_token.empty()) {
    return Error(Errc::protocol, "S3 listing is truncated but has no NextContinuationToken");
  }
  return page;
}

std::optional<S3ErrorDocument> parse_error_document(std::string_view xml) {
  if (xml.find("<Error") == std::string_view::npos) return std::nullopt;
  auto tree = parse(xml, "error");
  if (!tree) return std::nullopt;
  const auto root = tree->get_child_optional("Error");
  if (!root) return std::nullopt;
  return S3ErrorDocument{root->get<std::string>("Code", ""), root->get<std::string>("Message", "")};
}

Result<std::string> parse_upload_id(std::string_view xml) {
  auto tree = parse(xml, "InitiateMultipartUploadResult");
  if (!tree) return std::move(tree).error();
  auto id = tree->get<std::string>("InitiateMultipartUploadResult.UploadId", "");
  if (id.empty()) return Error(Errc::protocol, "S3 started a multipart upload without an UploadId");
  return id;
}

Result<std::vector<DeleteFailure>> parse_delete_result(std::string_view xml) {
  auto tree = parse(xml, "DeleteResult");
  if (!tree) return std::move(tree).error();
  const auto root = tree->get_child_optional("DeleteResult");
  if (!root) return Error(Errc::protocol, "S3 answered a delete without a DeleteResult element");
  std::vector<DeleteFailure> failures;
  for (const auto& [name, node] : *root) {
    if (name != "Error") continue;
    failures.push_back({node.get<std::string>("Key", ""),
                        node.get<std::string>("Code", "") + ": " + node.get<std::string>("Message", "")});
  }
  return failures;
}

std::string delete_request_body(const std::vector<std::string>& keys, size_t begin, size_t end) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>";
  for (size_t i = begin; i < end; ++i) out += "<Object><Key>" + xml_escape(keys[i]) + "</Key></Object>";
  out += "</Delete>";
  return out;
}

std::string complete_multipart_body(const std::vector<std::string>& part_etags) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>";
  for (size_t i = 0; i < part_etags.size(); ++i) {
    out += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>\"" +
           xml_escape(unquote_etag(part_etags[i])) + "\"</ETag></Part>";
  }
  out += "</CompleteMultipartUpload>";
  return out;
}

}  // namespace ws::store
