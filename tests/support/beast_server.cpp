#include "beast_server.hpp"

#include <algorithm>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace wstest {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string reason(int status) {
  return std::string(bhttp::obsolete_reason(static_cast<bhttp::status>(status)));
}

std::string head_of(const HttpReply& r, size_t content_length) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
  bool has_type = false;
  for (const auto& [k, v] : r.headers) {
    if (lower(k) == "content-length") continue;
    has_type = has_type || lower(k) == "content-type";
    out += k + ": " + v + "\r\n";
  }
  if (!has_type) out += "Content-Type: text/plain\r\n";
  out += "Content-Length: " + std::to_string(content_length) + "\r\n\r\n";
  return out;
}

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

HttpReply HttpReply::text(int status, std::string body) {
  HttpReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpReply HttpReply::json(int status, std::string body) {
  HttpReply r = text(status, std::move(body));
  r.headers.emplace_back("Content-Type", "application/json");
  return r;
}

HttpReply HttpReply::stalled(std::chrono::milliseconds d, HttpReply then) {
  then.misbehaviour = Misbehaviour::stall;
  then.stall_for = d;
  return then;
}

HttpReply HttpReply::reset_after(size_t bytes, std::string full_body) {
  HttpReply r = text(200, std::move(full_body));
  r.misbehaviour = Misbehaviour::reset_mid_body;
  r.body_bytes_before_reset = bytes;
  return r;
}

HttpReply HttpReply::garbage() {
  HttpReply r;
  r.misbehaviour = Misbehaviour::garbage;
  r.body = "this is not HTTP at all\r\n\r\n";
  return r;
}

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const noexcept { X509_free(x); }
};
struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct ExtFree {
  void operator()(X509_EXTENSION* e) const noexcept { X509_EXTENSION_free(e); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

}  // namespace

TlsIdentity TlsIdentity::self_signed_loopback() {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!key || !cert) throw std::runtime_error("cannot create a test certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                  std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &v3, nid, value));
    if (!ext || X509_add_ext(cert.get(), ext.get(), -1) != 1) throw std::runtime_error("certificate extension");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) throw std::runtime_error("certificate signing");
  std::unique_ptr<BIO, BioFree> cert_bio(BIO_new(BIO_s_mem())), key_bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(cert_bio.get(), cert.get());
  PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return {bio_text(cert_bio.get()), bio_text(key_bio.get())};
}

HttpHandler fail_first(int n, HttpReply failure, HttpHandler then) {
  auto left = std::make_shared<std::atomic<int>>(n);
  return [left, failure = std::move(failure), then = std::move(then)](const HttpRequest& req) {
    if (left->fetch_sub(1) > 0) return failure;
    return then(req);
  };
}

struct BeastServer::State {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  int port = 0;
  std::optional<asio::ssl::context> tls;

  mutable std::mutex mu;
  std::condition_variable stopping_cv;
  bool stopping = false;
  struct Route {
    std::string method, prefix;
    HttpHandler handler;
  };
  std::vector<Route> routes;
  std::vector<HttpRequest> seen;
  size_t connections = 0;
  std::list<std::shared_ptr<tcp::socket>> open_sockets;
  std::list<std::thread> connection_threads;
  std::thread accept_thread;

  HttpHandler find_handler(const HttpRequest& req) {
    std::lock_guard lock(mu);
    const Route* best = nullptr;
    for (const auto& r : routes) {
      if ((r.method == "*" || r.method == req.method) && req.path().rfind(r.prefix, 0) == 0 &&
          (best == nullptr || r.prefix.size() > best->prefix.size())) {
        best = &r;
      }
    }
    if (best == nullptr) return [](const HttpRequest&) { return HttpReply::text(404, "no route\n"); };
    return best->handler;
  }

  // Sleeps `d`, cut short when the server stops; false when stopping.
  bool sleep_unless_stopping(std::chrono::milliseconds d) {
    std::unique_lock lock(mu);
    return !stopping_cv.wait_for(lock, d, [&] { return stopping; });
  }

  // Writes the reply; false when the connection must close afterwards.
  template <class Stream>
  bool answer(Stream& sock, tcp::socket& raw, const HttpReply& reply, bool keep_alive) {
    beast::error_code ec;
    switch (reply.misbehaviour) {
      case HttpReply::Misbehaviour::garbage:
        asio::write(sock, asio::buffer(reply.body), ec);
        return false;
      case HttpReply::Misbehaviour::reset_mid_body: {
        const std::string partial = head_of(reply, reply.body.size()) +
                                    reply.body.substr(0, reply.body_bytes_before_reset);
        asio::write(sock, asio::buffer(partial), ec);
        raw.set_option(asio::socket_base::linger(true, 0), ec);
        return false;
      }
      case HttpReply::Misbehaviour::stall:
        if (!sleep_unless_stopping(reply.stall_for)) return false;
        break;
      case HttpReply::Misbehaviour::none:
        break;
    }
    std::string out = head_of(reply, reply.body.size());
    if (!keep_alive) out.insert(out.size() - 2, "Connection: close\r\n");
    out += reply.body;
    asio::write(sock, asio::buffer(out), ec);
    return !ec && keep_alive;
  }

  void serve(std::shared_ptr<tcp::socket> sock) {
    if (tls) {
      asio::ssl::stream<tcp::socket&> stream(*sock, *tls);
      beast::error_code ec;
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (!ec) serve_stream(stream, *sock);
    } else {
      serve_stream(*sock, *sock);
    }
    // Shut down but not closed: the descriptor stays ours (open_sockets owns
    // the socket) until the server is destroyed, so stop() can never shut
    // down a descriptor number the system has handed to someone else.
    beast::error_code ignored;
    sock->shutdown(tcp::socket::shutdown_both, ignored);
  }

  template <class Stream>
  void serve_stream(Stream& stream, tcp::socket& raw) {
    beast::flat_buffer buffer;
    for (;;) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(256 * 1024 * 1024);
      beast::error_code ec;
      bhttp::read(stream, buffer, parser, ec);
      if (ec) break;
      const auto& msg = parser.get();
      HttpRequest req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      for (const auto& f : msg) req.headers[lower(f.name_string())] = std::string(f.value());
      req.body = msg.body();
      {
        std::lock_guard lock(mu);
        seen.push_back(req);
      }
      const HttpReply reply = find_handler(req)(req);
      if (!answer(stream, raw, reply, msg.keep_alive())) break;
    }
  }

  void accept_loop() {
    for (;;) {
      auto sock = std::make_shared<tcp::socket>(io);
      beast::error_code ec;
      acceptor.accept(*sock, ec);
      std::lock_guard lock(mu);
      if (stopping) return;
      if (ec) continue;
      ++connections;
      open_sockets.push_back(sock);
      connection_threads.emplace_back([this, sock] { serve(sock); });
    }
  }

  void stop() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    stopping_cv.notify_all();
    beast::error_code ignored;
    // Wake the blocked accept() with a connection of our own, then close.
    {
      tcp::socket poke(io);
      poke.connect(tcp::endpoint(asio::ip::address_v4::loopback(), static_cast<unsigned short>(port)),
                   ignored);
    }
    accept_thread.join();
    acceptor.close(ignored);
    {
      std::lock_guard lock(mu);
      for (auto& s : open_sockets) s->shutdown(tcp::socket::shutdown_both, ignored);
    }
    for (auto& t : connection_threads) t.join();
  }
};

BeastServer::BeastServer(const TlsIdentity& identity) : BeastServer() {
  auto& ctx = state_->tls.emplace(asio::ssl::context::tls_server);
  ctx.use_certificate_chain(asio::buffer(identity.cert_pem));
  ctx.use_private_key(asio::buffer(identity.key_pem), asio::ssl::context::pem);
}

BeastServer::BeastServer() : state_(std::make_shared<State>()) {
  const tcp::endpoint ep(asio::ip::address_v4::loopback(), 0);
  state_->acceptor.open(ep.protocol());
  state_->acceptor.set_option(asio::socket_base::reuse_address(true));
  state_->acceptor.bind(ep);
  state_->acceptor.listen();
  state_->port = state_->acceptor.local_endpoint().port();
  state_->accept_thread = std::thread([s = state_.get()] { s->accept_loop(); });
}

BeastServer::~BeastServer() { state_->stop(); }

void BeastServer::route(std::string method, std::string path_prefix, HttpHandler handler) {
  std::lock_guard lock(state_->mu);
  state_->routes.push_back({std::move(method), std::move(path_prefix), std::move(handler)});
}

int BeastServer::port() const { return state_->port; }

std::string BeastServer::url(std::string_view path) const {
  return std::string(state_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(state_->port) +
         std::string(path);
}

std::vector<HttpRequest> BeastServer::requests() const {
  std::lock_guard lock(state_->mu);
  return state_->seen;
}

size_t BeastServer::request_count() const {
  std::lock_guard lock(state_->mu);
  return state_->seen.size();
}

size_t BeastServer::request_count(std::string_view path_prefix) const {
  std::lock_guard lock(state_->mu);
  return static_cast<size_t>(std::count_if(state_->seen.begin(), state_->seen.end(), [&](const HttpRequest& r) {
    return r.path().rfind(path_prefix, 0) == 0;
  }));
}

size_t BeastServer::connection_count() const {
  std::lock_guard lock(state_->mu);
  return state_->connections;
}

}  // namespace wstest
