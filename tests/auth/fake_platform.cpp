#include "fake_platform.hpp"

#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <stdexcept>

#include "common/base64.hpp"

namespace wstest {

struct RsaKeyPair::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

RsaKeyPair::RsaKeyPair() : key_(std::make_unique<Key>()) {
  key_->pkey = EVP_RSA_gen(2048);
  if (key_->pkey == nullptr) throw std::runtime_error("RSA key generation failed");
}

RsaKeyPair::~RsaKeyPair() = default;

namespace {

std::string encode_public(EVP_PKEY* pkey, const char* structure) {
  OSSL_ENCODER_CTX* ctx =
      OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_PUBLIC_KEY, "PEM", structure, nullptr);
  unsigned char* data = nullptr;
  size_t len = 0;
  if (ctx == nullptr || OSSL_ENCODER_to_data(ctx, &data, &len) != 1) {
    OSSL_ENCODER_CTX_free(ctx);
    throw std::runtime_error("PEM encoding failed");
  }
  std::string pem(reinterpret_cast<char*>(data), len);
  OPENSSL_free(data);
  OSSL_ENCODER_CTX_free(ctx);
  return pem;
}

std::string base64_decode(const std::string& text) {
  return ws::base64url_decode(text).value_or(std::string());
}

}  // namespace

std::string RsaKeyPair::public_pem() const { return encode_public(key_->pkey, "SubjectPublicKeyInfo"); }
std::string RsaKeyPair::public_pem_pkcs1() const { return encode_public(key_->pkey, "type-specific"); }

std::optional<std::string> RsaKeyPair::decrypt(const std::string& base64_cipher) const {
  const std::string cipher = base64_decode(base64_cipher);
  if (cipher.empty()) return std::nullopt;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key_->pkey, nullptr);
  std::optional<std::string> out;
  size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(cipher.data());
  if (ctx != nullptr && EVP_PKEY_decrypt_init(ctx) == 1 &&
      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()) == 1 &&
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1 &&
      EVP_PKEY_decrypt(ctx, nullptr, &len, in, cipher.size()) == 1) {
    std::string plain(len, '\0');
    if (EVP_PKEY_decrypt(ctx, reinterpret_cast<unsigned char*>(plain.data()), &len, in, cipher.size()) == 1) {
      plain.resize(len);
      out = plain;
    }
  }
  EVP_PKEY_CTX_free(ctx);
  return out;
}

FakeControlPlane::FakeControlPlane(BeastServer& server, std::string session_id, std::string issued_token)
    : server_(server), session_id_(std::move(session_id)), issued_token_(std::move(issued_token)) {
  server_.route("GET", "/token", [this](const HttpRequest& r) { return token_endpoint(r); });
  server_.route("GET", "/api/projects/", [this](const HttpRequest& r) { return credentials_api(r); });
}

void FakeControlPlane::token_misbehaves(int times, HttpReply reply) {
  std::lock_guard lock(mu_);
  misbehave_left_ = times;
  misbehaviour_ = std::move(reply);
}

void FakeControlPlane::backend_answers(const std::string& hosting, HttpReply reply) {
  std::lock_guard lock(mu_);
  backend_[hosting] = std::move(reply);
}

HttpReply FakeControlPlane::token_endpoint(const HttpRequest& req) {
  {
    std::lock_guard lock(mu_);
    if (misbehave_left_ > 0) {
      --misbehave_left_;
      return misbehaviour_;
    }
  }
  const std::string auth = req.header("authorization");
  if (auth.rfind("Bearer ", 0) != 0) return HttpReply::json(401, R"({"error":"no bearer"})");
  const std::string bearer = auth.substr(7);
  const bool ok = (!service_account_token_.empty() && bearer == service_account_token_) ||
                  keys_.decrypt(bearer) == session_id_;
  if (!ok) {
    ++rejected_;
    return HttpReply::json(401, R"({"error":"bearer does not decrypt to a known session"})");
  }
  return HttpReply::json(200, R"({"token":")" + issued_token_ + R"("})");
}

HttpReply FakeControlPlane::credentials_api(const HttpRequest& req) {
  if (req.header("authorization") != "Bearer " + issued_token_) {
    return HttpReply::json(401, R"({"error":"unauthorized"})");
  }
  const std::string path = req.path();
  const std::string hosting = path.substr(path.rfind('/') + 1);
  std::lock_guard lock(mu_);
  auto it = backend_.find(hosting);
  if (it == backend_.end()) return HttpReply::json(404, R"({"error":"not configured"})");
  return it->second;
}

}  // namespace wstest
