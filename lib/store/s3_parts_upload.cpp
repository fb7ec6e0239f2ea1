// S3Store's delta upload (put_file_parts): a changed file is cut into the
// same fixed-size parts as its previous upload; the parts whose MD5 did not
// change are copied on the server from the current object, the others are
// sent. And the cleanup of the multipart uploads a killed process left.
#include <sys/stat.h>

#include <algorithm>
#include <ctime>

#include "store/atomic_file.hpp"
#include "store/digest.hpp"
#include "store/s3_request.hpp"
#include "store/s3_store.hpp"
#include "store/s3_xml.hpp"

namespace ws::store {
namespace fs = std::filesystem;
namespace {

// Part i can be copied from the base object when the base has a part i of
// the same length and MD5 (so every copied part but the last is full size).
std::vector<char> reusable_parts(const std::vector<Part>& parts, uint64_t part_size,
                                 const std::vector<std::string>& part_md5_hex, const PartsRecord& base) {
  std::vector<char> copy(parts.size(), 0);
  if (base.etag.empty() || base.part_size != part_size) return copy;
  for (size_t i = 0; i < parts.size() && i < base.part_md5.size(); ++i) {
    if (parts[i].offset >= base.size) break;
    const uint64_t base_length = std::min(base.part_size, base.size - parts[i].offset);
    copy[i] = base_length == parts[i].length && part_md5_hex[i] == base.part_md5[i];
  }
  return copy;
}

bool any(const std::vector<char>& flags) { return std::find(flags.begin(), flags.end(), 1) != flags.end(); }

// "2026-12-03T18:40:05": the first 19 characters of S3's Initiated.
std::string iso_seconds(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

}  // namespace

Result<PartsUpload> S3Store::put_file_parts(std::string_view key, const fs::path& src, const PutOptions& opts,
                                            const PartsOptions& po) {
  WS_TRY(check_key(key));
  const std::string what = "uploading '" + std::string(key) + "' in parts";
  auto file = open_regular_file(src, opts.source_links);
  if (!file) return std::move(file).error().context(what);
  const auto size = static_cast<uint64_t>(file->st.st_size);
  const double mtime = opts.mtime ? *opts.mtime : mtime_of(file->st);
  const uint64_t part_size = part_size_for(size, po.part_size);
  const auto parts = plan_parts(size, part_size);
  auto digests = md5_of_parts(src, parts, opts.source_links);
  if (!digests) return std::move(digests).error().context(what);

  PartsUpload out;
  out.record.size = size;
  out.record.part_size = part_size;
  for (const auto& md5 : digests->part_md5) out.record.part_md5.push_back(to_hex(md5));
  PartSource source{src, opts.source_links, *digests, std::vector<char>(parts.size(), 0), {}};
  if (po.base != nullptr && po.copy && !*copy_unsupported_) {
    source.copy = reusable_parts(parts, part_size, out.record.part_md5, *po.base);
    source.copy_if_match = po.base->etag;
  }
  PartTraffic traffic;
  Result<std::string> etag = Error(Errc::internal, "no upload attempted");
  if (any(source.copy)) {
    etag = upload_in_parts(key, parts, source, mtime, opts, traffic, what);
    if (!etag && etag.error().code == Errc::unsupported) {
      *copy_unsupported_ = true;
      out.copy_unsupported = true;
      log_.info("store.part_copy_unsupported",
                describe() + " does not copy parts on the server (UploadPartCopy): changed files are sent whole");
    } else if (!etag && etag.error().code == Errc::conflict) {
      log_.info("store.delta_base_changed", "'" + std::string(key) +
                                                "' changed on the server since our last upload: sending it whole");
    } else if (!etag) {
      return std::move(etag).error();
    }
    if (!etag) std::fill(source.copy.begin(), source.copy.end(), 0);
  }
  if (!any(source.copy)) etag = upload_in_parts(key, parts, source, mtime, opts, traffic, what);
  if (!etag) return std::move(etag).error();
  out.record.etag = std::move(*etag);
  out.bytes_sent = traffic.sent;
  out.bytes_copied = traffic.copied;
  return out;
}

Result<size_t> S3Store::abort_stale_uploads(std::string_view prefix,
                                            std::chrono::system_clock::time_point started_before) {
  const std::string what = "listing unfinished uploads under '" + std::string(prefix) + "'";
  const std::string cutoff = iso_seconds(started_before);
  std::string key_marker, id_marker;
  size_t aborted = 0;
  for (size_t pages = 0; pages < cfg_.list_max_pages; ++pages) {
    std::string query = "uploads&prefix=" + uri_encode(prefix, false);
    if (!key_marker.empty()) {
      query += "&key-marker=" + uri_encode(key_marker, false) + "&upload-id-marker=" + uri_encode(id_marker, false);
    }
    http::Request req;
    req.url = url("", query);
    auto resp = call(std::move(req), kEmptySha256, what);
    if (!resp) return std::move(resp).error();
    auto page = parse_list_multipart_uploads(resp->body);
    if (!page) return std::move(page).error().context(what);
    for (const auto& u : page->uploads) {
      if (!u.key.starts_with(prefix) || u.initiated.size() < cutoff.size()) continue;
      if (u.initiated.substr(0, cutoff.size()) >= cutoff) continue;
      abort_multipart(u.key, "uploadId=" + uri_encode(u.upload_id, false),
                      "aborting the unfinished upload of '" + u.key + "'");
      ++aborted;
    }
    if (!page->truncated || (page->next_key_marker == key_marker && page->next_upload_id_marker == id_marker)) break;
    key_marker = page->next_key_marker;
    id_marker = page->next_upload_id_marker;
  }
  return aborted;
}

}  // namespace ws::store
