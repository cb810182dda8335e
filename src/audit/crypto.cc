#include "src/audit/crypto.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace matchguard {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

BioPtr MemoryBio(std::string_view text) { return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))); }

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

Result<PkeyPtr> ReadPrivateKey(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return Error(Status::InvalidArgument("the private key is not an Ed25519 private key in PEM form"));
  }
  return key;
}

Result<PkeyPtr> ReadPublicKey(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return Error(Status::InvalidArgument("the public key is not an Ed25519 public key in PEM form"));
  }
  return key;
}

Result<std::string> PublicPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) return Error(Status::Internal("cannot encode public key"));
  return BioContents(bio.get());
}

}  // namespace

Hash Sha256Parts(std::initializer_list<std::string_view> parts) {
  Hash out{};
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  for (std::string_view part : parts) EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
  return out;
}

Hash Sha256(std::string_view data) { return Sha256Parts({data}); }

std::string_view HashBytes(const Hash& hash) {
  return std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size());
}

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

Result<std::string> FromHex(std::string_view hex, std::string_view what) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return Error(Status::InvalidArgument(std::string(what) + ": odd number of hex digits"));
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Error(Status::InvalidArgument(std::string(what) + ": expected hex digits"));
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}

Result<Hash> HashFromHex(std::string_view hex, std::string_view what) {
  MG_ASSIGN_OR_RETURN(std::string bytes, FromHex(hex, what));
  if (bytes.size() != 32) {
    return Error(Status::InvalidArgument(std::string(what) + ": expected 64 hex digits (a SHA-256 hash)"));
  }
  Hash out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

Result<Ed25519KeyPair> GenerateEd25519KeyPair() {
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return Error(Status::Internal("OpenSSL could not generate an Ed25519 key"));
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Error(Status::Internal("cannot encode the private key"));
  }
  Ed25519KeyPair pair;
  pair.private_pem = BioContents(bio.get());
  MG_ASSIGN_OR_RETURN(pair.public_pem, PublicPem(key.get()));
  return pair;
}

Result<std::string> SignEd25519(std::string_view private_pem, std::string_view message) {
  MG_ASSIGN_OR_RETURN(PkeyPtr key, ReadPrivateKey(private_pem));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string signature(64, '\0');
  size_t len = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    return Error(Status::Internal("Ed25519 signing failed"));
  }
  signature.resize(len);
  return signature;
}

Result<bool> VerifyEd25519(std::string_view public_pem, std::string_view message, std::string_view signature) {
  MG_ASSIGN_OR_RETURN(PkeyPtr key, ReadPublicKey(public_pem));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) {
    return Error(Status::Internal("Ed25519 verification could not start"));
  }
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

Result<std::string> PublicKeyOf(std::string_view private_pem) {
  MG_ASSIGN_OR_RETURN(PkeyPtr key, ReadPrivateKey(private_pem));
  return PublicPem(key.get());
}

Result<std::string> KeyId(std::string_view public_pem) {
  MG_ASSIGN_OR_RETURN(PkeyPtr key, ReadPublicKey(public_pem));
  std::string raw(32, '\0');
  size_t len = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char*>(raw.data()), &len) != 1) {
    return Error(Status::Internal("cannot read the raw public key"));
  }
  raw.resize(len);
  return ToHex(Sha256(raw)).substr(0, 16);
}

}  // namespace matchguard
