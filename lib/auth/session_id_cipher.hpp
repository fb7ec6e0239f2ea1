// The bearer the CP token endpoint expects: base64(RSA-OAEP(SHA-256,
// MGF1-SHA-256) of SESSION_ID) under the CP's public key, which is what the
// CP's token server decrypts with its private key (behaviour §4).
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"

namespace ws::auth {

// `public_key_pem` is a "PUBLIC KEY" (SubjectPublicKeyInfo) or "RSA PUBLIC
// KEY" (PKCS#1) PEM; "\n" written as two characters (as some environment
// files carry it) is accepted too. Errors say whether the key could not be
// read or the encryption failed.
Result<std::string> encrypt_session_id(std::string_view public_key_pem, std::string_view session_id);

}  // namespace ws::auth
