#include "store/sigv4_signer.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "common/ascii.hpp"
#include "common/utc_time.hpp"
#include "store/digest.hpp"

namespace ws::store {
namespace {

// Trims and collapses runs of spaces, as SigV4 canonical header values want.
std::string canonical_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string_view, std::string_view>> params;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    params.emplace_back(item.substr(0, eq), eq == std::string_view::npos ? "" : item.substr(eq + 1));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out.append(k).append("=").append(v);
  }
  return out;
}

// Lower-cased names, sorted, values of repeated names joined by ','.
std::vector<std::pair<std::string, std::string>> canonical_headers(const std::vector<http::Header>& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& h : headers) {
    auto name = ascii_lower(h.name);
    auto value = canonical_value(h.value);
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == name; });
    if (it != out.end()) {
      it->second += "," + value;
    } else {
      out.emplace_back(std::move(name), std::move(value));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::string signed_header_names(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (!out.empty()) out += ';';
    out += name;
  }
  return out;
}

void set_header(std::vector<http::Header>& headers, std::string name, std::string value) {
  const auto lname = ascii_lower(name);
  std::erase_if(headers, [&](const http::Header& h) { return ascii_lower(h.name) == lname; });
  headers.push_back({std::move(name), std::move(value)});
}

struct UrlParts {
  std::string host;  // authority as curl sends it in Host
  std::string path = "/";
  std::string query;
};

UrlParts split_url(std::string_view url) {
  UrlParts parts;
  const auto scheme_end = url.find("://");
  const auto scheme = scheme_end == std::string_view::npos ? std::string_view("http") : url.substr(0, scheme_end);
  auto rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?");
  parts.host = std::string(rest.substr(0, path_start));
  rest = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  const auto q = rest.find('?');
  if (!rest.empty() && rest.front() == '/') parts.path = std::string(rest.substr(0, q));
  if (q != std::string_view::npos) parts.query = std::string(rest.substr(q + 1));
  // curl leaves the default port out of Host.
  const std::string default_port = ascii_lower(scheme) == "https" ? ":443" : ":80";
  if (parts.host.size() > default_port.size() &&
      parts.host.compare(parts.host.size() - default_port.size(), default_port.size(), default_port) == 0) {
    parts.host.resize(parts.host.size() - default_port.size());
  }
  return parts;
}

}  // namespace

SigV4Signer::SigV4Signer(std::string access_key, std::string secret_key, std::string region,
                         std::string service)
    : access_key_(std::move(access_key)),
      secret_key_(std::move(secret_key)),
      region_(std::move(region)),
      service_(std::move(service)) {}

std::string SigV4Signer::canonical_request(const SignableRequest& r) const {
  const auto headers = canonical_headers(*r.headers);
  std::string out;
  out.append(r.method).append("\n");
  out.append(r.path.empty() ? std::string_view("/") : r.path).append("\n");
  out.append(canonical_query(r.query)).append("\n");
  for (const auto& [name, value] : headers) out.append(name).append(":").append(value).append("\n");
  out.append("\n");
  out.append(signed_header_names(headers)).append("\n");
  out.append(r.payload_hash);
  return out;
}

std::string SigV4Signer::scope(std::string_view date) const {
  return std::string(date.substr(0, 8)) + "/" + region_ + "/" + service_ + "/aws4_request";
}

std::string SigV4Signer::string_to_sign(std::string_view date, std::string_view canonical_request) const {
  return "AWS4-HMAC-SHA256\n" + std::string(date) + "\n" + scope(date) + "\n" + sha256_hex(canonical_request);
}

std::string SigV4Signer::signing_key(std::string_view day) const {
  std::lock_guard lock(keys_->mu);
  if (keys_->key.empty() || keys_->day != day) {
    const auto k_date = hmac_sha256("AWS4" + secret_key_, day);
    const auto k_region = hmac_sha256(k_date, region_);
    const auto k_service = hmac_sha256(k_region, service_);
    keys_->key = hmac_sha256(k_service, "aws4_request");
    keys_->day = std::string(day);
  }
  return keys_->key;
}

std::string SigV4Signer::signature(std::string_view date, std::string_view string_to_sign) const {
  return to_hex(hmac_sha256(signing_key(date.substr(0, 8)), string_to_sign));
}

std::string SigV4Signer::authorization(const SignableRequest& r, std::string_view date) const {
  const auto creq = canonical_request(r);
  return "AWS4-HMAC-SHA256 Credential=" + access_key_ + "/" + scope(date) +
         ", SignedHeaders=" + signed_header_names(canonical_headers(*r.headers)) +
         ", Signature=" + signature(date, string_to_sign(date, creq));
}

void SigV4Signer::sign(http::Request& req, std::string_view payload_hash,
                       std::chrono::system_clock::time_point now) const {
  const auto url = split_url(req.url);
  const auto date = utc_timestamp(now, UtcFormat::basic);
  set_header(req.headers, "Host", url.host);
  set_header(req.headers, "x-amz-date", date);
  set_header(req.headers, "x-amz-content-sha256", std::string(payload_hash));
  std::erase_if(req.headers, [](const http::Header& h) { return ascii_lower(h.name) == "authorization"; });
  const SignableRequest r{req.method, url.path, url.query, &req.headers, payload_hash};
  const auto value = authorization(r, date);
  req.headers.push_back({"Authorization", value});
}

}  // namespace ws::store
