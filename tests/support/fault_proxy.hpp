// A fault-injecting HTTP proxy (Beast) between the library and a real S3
// peer: every request is forwarded upstream, and a test's `fault` may replace
// the answer (a 5xx, a stall, a reset mid-body, garbage) or `rewrite` alter
// the forwarded one. Any layer's peer tests can link `ws_fault_proxy_dep`.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "beast_server.hpp"

namespace wstest {

class FaultProxy {
 public:
  // Returns the answer to send instead of the upstream one, or nullopt.
  // A `stall` or `reset_mid_body` answer with an empty body carries the
  // forwarded body (and, for a stall, the forwarded status and headers).
  using Fault = std::function<std::optional<HttpReply>(const HttpRequest&)>;
  using Rewrite = std::function<void(const HttpRequest&, HttpReply&)>;

  FaultProxy(std::string upstream, Fault fault, Rewrite rewrite = {});
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // "http://127.0.0.1:<port>": use it as the store's endpoint.
  std::string endpoint() const { return server_.url(); }
  // Requests received so far, as the Beast server counts them.
  size_t request_count() const { return server_.request_count(); }

 private:
  HttpReply handle(const HttpRequest& req);
  HttpReply forward(const HttpRequest& req);

  std::string upstream_;
  Fault fault_;
  Rewrite rewrite_;
  BeastServer server_;
};

}  // namespace wstest
