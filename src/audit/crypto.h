// The cryptography the audit log rests on, through OpenSSL 3: SHA-256, hex encoding, and Ed25519 keys
// and signatures (EVP_PKEY) stored as PEM (PKCS#8 private key, SubjectPublicKeyInfo public key).
//
// Private keys are held in memory as PEM text only while signing; error messages never include key bytes.
//
// Thread-safety: pure functions over values; safe to call concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "matchguard/status.h"

namespace matchguard {

using Hash = std::array<uint8_t, 32>;

Hash Sha256(std::string_view data);
// SHA-256 of the concatenation of `parts`, without building it.
Hash Sha256Parts(std::initializer_list<std::string_view> parts);
std::string_view HashBytes(const Hash& hash);

std::string ToHex(std::string_view bytes);
inline std::string ToHex(const Hash& hash) { return ToHex(HashBytes(hash)); }
// Lower- or upper-case hex; `what` names the value in the error.
Result<std::string> FromHex(std::string_view hex, std::string_view what);
Result<Hash> HashFromHex(std::string_view hex, std::string_view what);

struct Ed25519KeyPair {
  std::string private_pem;
  std::string public_pem;
};

Result<Ed25519KeyPair> GenerateEd25519KeyPair();
// Signs `message` with the PEM private key; returns the 64-byte signature.
Result<std::string> SignEd25519(std::string_view private_pem, std::string_view message);
// Checks an Ed25519 signature. An unreadable key is an error; a wrong signature is `false`.
Result<bool> VerifyEd25519(std::string_view public_pem, std::string_view message, std::string_view signature);
// The public key (PEM) of a private key, to name the signer of a checkpoint.
Result<std::string> PublicKeyOf(std::string_view private_pem);
// SHA-256 of the raw 32-byte public key, in hex: a short, stable key id.
Result<std::string> KeyId(std::string_view public_pem);

}  // namespace matchguard
