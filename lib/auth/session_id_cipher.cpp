#include "auth/session_id_cipher.hpp"

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>

#include "common/base64.hpp"

namespace ws::auth {
namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const noexcept { EVP_PKEY_CTX_free(c); }
};
struct DecoderCtxDeleter {
  void operator()(OSSL_DECODER_CTX* c) const noexcept { OSSL_DECODER_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using DecoderCtx = std::unique_ptr<OSSL_DECODER_CTX, DecoderCtxDeleter>;

// OpenSSL's reason for the last failure on this thread (never key material),
// and the thread's error queue emptied.
std::string openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  std::string reason = e != 0 && ERR_reason_error_string(e) != nullptr ? ERR_reason_error_string(e)
                                                                        : "unknown OpenSSL error";
  ERR_clear_error();
  return reason;
}

std::string unescape_newlines(std::string_view pem) {
  if (pem.find('\n') != std::string_view::npos) return std::string(pem);
  std::string out;
  out.reserve(pem.size());
  for (size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out += '\n';
      ++i;
    } else {
      out += pem[i];
    }
  }
  return out;
}

Result<Pkey> read_public_key(std::string_view pem_text) {
  const std::string pem = unescape_newlines(pem_text);
  EVP_PKEY* raw = nullptr;
  // No structure given: the decoder accepts SubjectPublicKeyInfo ("PUBLIC
  // KEY") and PKCS#1 ("RSA PUBLIC KEY") alike.
  DecoderCtx dctx(OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA", EVP_PKEY_PUBLIC_KEY,
                                                nullptr, nullptr));
  if (!dctx) return Error(Errc::internal, "reading the CP public key: " + openssl_reason());
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  size_t len = pem.size();
  if (OSSL_DECODER_from_data(dctx.get(), &data, &len) != 1 || raw == nullptr) {
    ERR_clear_error();
    return Error(Errc::invalid_input,
                 "reading the CP public key (AMBIENT_CP_TOKEN_PUBLIC_KEY): not a PEM RSA public key "
                 "(expected BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY)");
  }
  return Pkey(raw);
}

}  // namespace

Result<std::string> encrypt_session_id(std::string_view public_key_pem, std::string_view session_id) {
  if (session_id.empty()) {
    return Error(Errc::invalid_input, "encrypting the session id: SESSION_ID is empty");
  }
  auto key = read_public_key(public_key_pem);
  if (!key) return std::move(key).error();

  PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key->get(), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha256()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()) != 1) {
    return Error(Errc::internal, "encrypting the session id: setting up RSA-OAEP: " + openssl_reason());
  }
  const auto* in = reinterpret_cast<const unsigned char*>(session_id.data());
  size_t out_len = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &out_len, in, session_id.size()) != 1) {
    return Error(Errc::invalid_input, "encrypting the session id: " + openssl_reason());
  }
  std::string cipher(out_len, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(cipher.data()), &out_len, in,
                       session_id.size()) != 1) {
    return Error(Errc::invalid_input,
                 "encrypting the session id (too long for the key?): " + openssl_reason());
  }
  cipher.resize(out_len);
  return base64_encode(cipher);
}

}  // namespace ws::auth
