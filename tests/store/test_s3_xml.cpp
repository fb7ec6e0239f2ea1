#include <doctest/doctest.h>

#include "http/http.hpp"
#include "store/s3_response_error.hpp"
#include "store/s3_xml.hpp"

using namespace ws::store;
using ws::Errc;

TEST_CASE("a ListObjectsV2 page gives keys with entities decoded, sizes, ETags and the next token") {
  const auto page = parse_list_objects_v2(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>b</Name><Prefix>ns/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>ns/a &amp; b &lt;c&gt; &#x65E5;.txt</Key><LastModified>2020-01-01T00:00:00.000Z</LastModified>
    <ETag>&quot;9E107D9D372BB6826BD81D3542A419D6&quot;</ETag><Size>43</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><ETag>"3858f62230ac3c915f300c664312c11f-2"</ETag><Size>10485760</Size><Key>ns/big</Key></Contents>
</ListBucketResult>)");
  REQUIRE(page);
  CHECK(page->truncated);
  CHECK(page->next_continuation_token == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
  REQUIRE(page->objects.size() == 2);
  CHECK(page->objects[0].key == "ns/a & b <c> \xe6\x97\xa5.txt");
  CHECK(page->objects[0].size == 43);
  CHECK(page->objects[0].md5_hex == "9e107d9d372bb6826bd81d3542a419d6");
  CHECK(page->objects[1].key == "ns/big");
  CHECK(page->objects[1].etag == "3858f62230ac3c915f300c664312c11f-2");
  CHECK(page->objects[1].md5_hex.empty());
}

TEST_CASE("an empty last page has no objects and is not truncated") {
  const auto page = parse_list_objects_v2(
      "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>");
  REQUIRE(page);
  CHECK_FALSE(page->truncated);
  CHECK(page->objects.empty());
}

TEST_CASE("malformed or inconsistent listings are protocol errors, not wrong answers") {
  CHECK(parse_list_objects_v2("<ListBucketResult><Contents>").error().code == Errc::protocol);
  CHECK(parse_list_objects_v2("<Other/>").error().code == Errc::protocol);
  CHECK(parse_list_objects_v2("<ListBucketResult><Contents><Key>k</Key></Contents></ListBucketResult>")
            .error().code == Errc::protocol);
  CHECK(parse_list_objects_v2("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>")
            .error().code == Errc::protocol);
  for (const char* size : {"-1", "1.5", "1e3", "18446744073709551616", " 1"}) {
    CAPTURE(size);
    CHECK(parse_list_objects_v2(std::string("<ListBucketResult><Contents><Key>k</Key><Size>") + size +
                                "</Size></Contents></ListBucketResult>")
              .error().code == Errc::protocol);
  }
}

TEST_CASE("an S3 error document gives its code and message") {
  const auto doc = parse_error_document(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist"
      "</Message><BucketName>x</BucketName></Error>");
  REQUIRE(doc);
  CHECK(doc->code == "NoSuchBucket");
  CHECK(doc->message == "The specified bucket does not exist");
  CHECK_FALSE(parse_error_document("").has_value());
  CHECK_FALSE(parse_error_document("<ListBucketResult/>").has_value());
}

TEST_CASE("a DeleteResult lists the keys S3 could not delete") {
  const auto failures = parse_delete_result(
      "<DeleteResult><Deleted><Key>ok</Key></Deleted><Error><Key>a&amp;b</Key><Code>AccessDenied</Code>"
      "<Message>Access Denied</Message></Error></DeleteResult>");
  REQUIRE(failures);
  REQUIRE(failures->size() == 1);
  CHECK((*failures)[0].key == "a&b");
  CHECK((*failures)[0].message == "AccessDenied: Access Denied");
}

TEST_CASE("request bodies escape keys and quote part ETags") {
  const std::vector<std::string> keys = {"skip", "a&b<c>\"'", "z"};
  CHECK(delete_request_body(keys, 1, 2) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>"
        "<Object><Key>a&amp;b&lt;c&gt;&quot;&apos;</Key></Object></Delete>");
  CHECK(complete_multipart_body({"\"e1\"", "e2"}) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>"
        "<Part><PartNumber>1</PartNumber><ETag>\"e1\"</ETag></Part>"
        "<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag></Part></CompleteMultipartUpload>");
}

TEST_CASE("the upload id comes out of InitiateMultipartUploadResult") {
  CHECK(*parse_upload_id("<InitiateMultipartUploadResult><UploadId>abc</UploadId></InitiateMultipartUploadResult>") ==
        "abc");
  CHECK(parse_upload_id("<InitiateMultipartUploadResult/>").error().code == Errc::protocol);
}

TEST_CASE("S3 answers map to error codes, keep the S3 code and message, and lose the credentials") {
  ws::http::Response resp;
  resp.status = 403;
  resp.body = "<Error><Code>InvalidAccessKeyId</Code><Message>Key AKID123 with secret s3cr3t is unknown</Message></Error>";
  const auto e = s3_response_error(resp, "checking", "AKID123", "s3cr3t");
  CHECK(e.code == Errc::auth);
  CHECK(e.message.find("InvalidAccessKeyId") != std::string::npos);
  CHECK(e.message.find("s3cr3t") == std::string::npos);
  CHECK(e.message.find("AKID123") == std::string::npos);
  resp.status = 404;
  resp.body = "";
  CHECK(s3_response_error(resp, "head", "AKID123", "s3cr3t").code == Errc::not_found);
  resp.status = 503;
  resp.body = "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>";
  const auto slow = s3_response_error(resp, "put", "AKID123", "s3cr3t");
  CHECK(slow.code == Errc::store);
  CHECK(slow.message == "put: S3 answered HTTP 503 SlowDown: Reduce your request rate.");
}

TEST_CASE("XML nested deeper than any S3 document is refused before it is parsed") {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<a>";
  const auto listing = parse_list_objects_v2("<ListBucketResult>" + deep);
  REQUIRE_FALSE(listing);
  CHECK(listing.error().code == Errc::protocol);
  CHECK(listing.error().message.find("nested deeper than 32") != std::string::npos);
  CHECK(parse_upload_id("<InitiateMultipartUploadResult>" + deep).error().code == Errc::protocol);
  CHECK(parse_delete_result(deep).error().code == Errc::protocol);
  CHECK_FALSE(parse_error_document("<Error>" + deep).has_value());
}

TEST_CASE("the nesting count sees through quoted attributes, comments, CDATA and DOCTYPE") {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a x=\"/>\" y='</a>'>";
  CHECK(parse_list_objects_v2("<ListBucketResult>" + deep).error().message.find("nested deeper") !=
        std::string::npos);
  // Markup that holds no elements does not count, so real documents with it still parse.
  std::string flat = "<!DOCTYPE r [<!ELEMENT r ANY>]><!-- <a><a> --><ListBucketResult><Name><![CDATA[<a><a>]]></Name>";
  for (int i = 0; i < 40; ++i) flat += "<!-- <a> --><?pi <a> ?><Contents><Key>k</Key><Size>1</Size></Contents>";
  flat += "</ListBucketResult>";
  const auto page = parse_list_objects_v2(flat);
  REQUIRE_MESSAGE(page.ok(), (page ? std::string() : page.error().message));
  CHECK(page->objects.size() == 40);
}

TEST_CASE("a part copy's or a completion's ETag comes unquoted; an empty one is a protocol error") {
  const auto copied = parse_result_etag(
      R"(<CopyPartResult><LastModified>2026-12-03T18:00:00.000Z</LastModified><ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag></CopyPartResult>)",
      "CopyPartResult");
  REQUIRE(copied);
  CHECK(*copied == "0123456789abcdef0123456789abcdef");
  // RGW 16's completion answer: the caller composes the ETag instead.
  const auto empty = parse_result_etag(
      R"(<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key>k</Key><ETag></ETag></CompleteMultipartUploadResult>)",
      "CompleteMultipartUploadResult");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code == Errc::protocol);
}

TEST_CASE("a ListMultipartUploads page gives each upload's key, id and start, and the next markers") {
  const auto page = parse_list_multipart_uploads(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>b</Bucket><Prefix>ns/</Prefix><NextKeyMarker>ns/b &amp; c</NextKeyMarker>
  <NextUploadIdMarker>2~xyz</NextUploadIdMarker><IsTruncated>true</IsTruncated>
  <Upload><Key>ns/a</Key><UploadId>2~abc</UploadId><Initiated>2026-12-03T18:40:05.123Z</Initiated></Upload>
  <Upload><Key>ns/b &amp; c</Key><UploadId>2~xyz</UploadId><Initiated>2026-12-03T18:41:00.000Z</Initiated></Upload>
</ListMultipartUploadsResult>)");
  REQUIRE(page);
  REQUIRE(page->uploads.size() == 2);
  CHECK(page->uploads[1].key == "ns/b & c");
  CHECK(page->uploads[0].upload_id == "2~abc");
  CHECK(page->uploads[0].initiated == "2026-12-03T18:40:05.123Z");
  CHECK(page->truncated);
  CHECK(page->next_key_marker == "ns/b & c");
  CHECK(page->next_upload_id_marker == "2~xyz");
  CHECK_FALSE(parse_list_multipart_uploads("<ListMultipartUploadsResult><Upload><Key>k</Key></Upload>"
                                           "</ListMultipartUploadsResult>"));
  CHECK_FALSE(parse_list_multipart_uploads("<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
                                           "</ListMultipartUploadsResult>"));
}

TEST_CASE("NotImplemented is unsupported and a failed copy precondition (412) is a conflict") {
  ws::http::Response not_implemented;
  not_implemented.status = 501;
  not_implemented.body = "<Error><Code>NotImplemented</Code><Message>A header you provided implies "
                         "functionality that is not implemented</Message></Error>";
  CHECK(s3_response_error(not_implemented, "copying", "AK", "SK").code == Errc::unsupported);
  ws::http::Response precondition;
  precondition.status = 412;
  precondition.body = "<Error><Code>PreconditionFailed</Code></Error>";
  CHECK(s3_response_error(precondition, "copying", "AK", "SK").code == Errc::conflict);
}
