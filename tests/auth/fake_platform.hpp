// The platform's HTTP peers of the auth layer, played on a BeastServer:
//  - the CP token endpoint, which decrypts the RSA-OAEP bearer with its
//    private key and checks the session id, as the CP's token server does;
//  - the backend credentials API, which checks the API bearer token.
// Each can be told to misbehave (fail N times, stall, answer 500/401/garbage).
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <string>

#include "beast_server.hpp"

namespace wstest {

// A fresh 2048-bit RSA key pair per instance.
class RsaKeyPair {
 public:
  RsaKeyPair();
  ~RsaKeyPair();
  RsaKeyPair(const RsaKeyPair&) = delete;
  RsaKeyPair& operator=(const RsaKeyPair&) = delete;

  std::string public_pem() const;        // "-----BEGIN PUBLIC KEY-----"
  std::string public_pem_pkcs1() const;  // "-----BEGIN RSA PUBLIC KEY-----"
  // Base64 RSA-OAEP(SHA-256, MGF1-SHA-256) ciphertext -> plaintext; nothing
  // when it does not decrypt.
  std::optional<std::string> decrypt(const std::string& base64_cipher) const;

 private:
  struct Key;
  std::unique_ptr<Key> key_;
};

class FakeControlPlane {
 public:
  // Routes "/token" (CP token endpoint) and "/api/projects/..." (backend).
  FakeControlPlane(BeastServer& server, std::string session_id, std::string issued_token);

  const RsaKeyPair& keys() const { return keys_; }
  std::string token_url() const { return server_.url("/token"); }
  std::string backend_url() const { return server_.url("/api"); }

  // The CP token endpoint answers `reply` to the next `times` requests.
  void token_misbehaves(int times, HttpReply reply);
  // Accept this bearer verbatim instead of an encrypted session id (the
  // service-account token path).
  void accept_service_account_token(std::string token) { service_account_token_ = std::move(token); }

  // Backend answers per hosting ("github"/"gitlab"): a full reply.
  void backend_answers(const std::string& hosting, HttpReply reply);

  // Requests whose bearer did not decrypt to the session id.
  int rejected_bearers() const { return rejected_.load(); }

 private:
  HttpReply token_endpoint(const HttpRequest& req);
  HttpReply credentials_api(const HttpRequest& req);

  BeastServer& server_;
  RsaKeyPair keys_;
  std::string session_id_;
  std::string issued_token_;
  std::string service_account_token_;
  std::mutex mu_;
  int misbehave_left_ = 0;
  HttpReply misbehaviour_;
  std::map<std::string, HttpReply> backend_;
  std::atomic<int> rejected_{0};
};

}  // namespace wstest
