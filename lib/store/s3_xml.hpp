// The S3 XML documents the store reads and writes, parsed with a real XML
// parser (Boost.PropertyTree over RapidXML): entities and character
// references are decoded, element order does not matter, and a malformed
// document is Errc::protocol rather than a wrong answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "store/store.hpp"

namespace ws::store {

struct ListPage {
  std::vector<ObjectInfo> objects;  // size, etag and, for single-part ETags, md5_hex
  bool truncated = false;
  std::string next_continuation_token;
};
Result<ListPage> parse_list_objects_v2(std::string_view xml);

struct S3ErrorDocument {
  std::string code;     // "NoSuchBucket"
  std::string message;  // "The specified bucket does not exist"
};
// std::nullopt when `xml` is not an <Error> document.
std::optional<S3ErrorDocument> parse_error_document(std::string_view xml);

// InitiateMultipartUploadResult -> UploadId.
Result<std::string> parse_upload_id(std::string_view xml);

// CopyPartResult (UploadPartCopy) or CompleteMultipartUploadResult -> the
// ETag without quotes; Errc::protocol when the document has none.
Result<std::string> parse_result_etag(std::string_view xml, std::string_view root);

struct UploadsPage {
  std::vector<PendingUpload> uploads;
  bool truncated = false;
  std::string next_key_marker, next_upload_id_marker;
};
Result<UploadsPage> parse_list_multipart_uploads(std::string_view xml);

// DeleteResult -> the keys S3 could not delete, with "Code: Message".
Result<std::vector<DeleteFailure>> parse_delete_result(std::string_view xml);

// <Delete><Quiet>true</Quiet><Object><Key>..</Key></Object>...</Delete>
std::string delete_request_body(const std::vector<std::string>& keys, size_t begin, size_t end);
// <CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>..</ETag></Part>...
std::string complete_multipart_body(const std::vector<std::string>& part_etags);

// An ETag header or element without its quotes; md5_hex when it is a plain
// (single-part) MD5, empty otherwise.
std::string unquote_etag(std::string_view etag);
std::string md5_from_etag(std::string_view etag);

}  // namespace ws::store
