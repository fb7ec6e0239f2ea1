#include "fault_proxy.hpp"

#include <algorithm>
#include <cctype>

#include "http/http.hpp"

namespace wstest {

FaultProxy::FaultProxy(std::string upstream, Fault fault, Rewrite rewrite)
    : upstream_(std::move(upstream)), fault_(std::move(fault)), rewrite_(std::move(rewrite)) {
  server_.route("*", "/", [this](const HttpRequest& req) { return handle(req); });
}

HttpReply FaultProxy::handle(const HttpRequest& req) {
  auto forwarded = forward(req);
  if (rewrite_) rewrite_(req, forwarded);
  if (auto f = fault_(req)) {
    if (f->misbehaviour == HttpReply::Misbehaviour::reset_mid_body && f->body.empty()) {
      f->body = forwarded.body;
      f->headers = forwarded.headers;
    }
    if (f->misbehaviour == HttpReply::Misbehaviour::stall && f->body.empty() && f->status == 200) {
      const auto wait = f->stall_for;
      *f = forwarded;
      f->misbehaviour = HttpReply::Misbehaviour::stall;
      f->stall_for = wait;
    }
    return *f;
  }
  return forwarded;
}

HttpReply FaultProxy::forward(const HttpRequest& req) {
  ws::http::Request out;
  out.method = req.method;
  out.url = upstream_ + req.target;
  for (const auto& [name, value] : req.headers) {
    if (name == "content-length" || name == "connection" || name == "transfer-encoding" || name == "expect") continue;
    out.headers.push_back({name, value});
  }
  out.body = req.body;
  ws::http::RetryPolicy once;
  once.max_attempts = 1;
  ws::http::Client client;
  auto r = client.perform(out, once);
  if (!r) return HttpReply::text(502, "upstream: " + r.error().message);
  HttpReply reply;
  reply.status = static_cast<int>(r->status);
  for (const auto& h : r->headers) {
    std::string n = h.name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "content-length" || n == "connection" || n == "transfer-encoding" || n == "date") continue;
    reply.headers.emplace_back(h.name, h.value);
  }
  reply.body = std::move(r->body);
  return reply;
}

}  // namespace wstest
