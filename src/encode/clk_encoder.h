// ClkEncoder: turns records into clkhash-compatible CLKs (cryptographic long-term keys, i.e. Bloom
// filters) under a ClkSchema and a shared secret, bit for bit as clkhash 0.18.3 does.
//
// Per feature: a value equal to the missing-value sentinel is replaced (and not validated); any other value
// is validated against the feature's format and normalised (integers to canonical decimal, dates to
// YYYYMMDD); the result is tokenised (n-grams over code points, optionally positional; the whole value; or
// numeric neighbourhoods); each token is hashed k times into l * 2^xorFolds bits (blakeHash: keyed BLAKE2b;
// doubleHash: HMAC-SHA1 + i * HMAC-MD5, optionally preventing the singularity); the filter is then XOR-folded.
// Keys come from HKDF over the secret, two per feature (ignored features included), as clkhash derives them.
//
// Speed: every Worker keeps keyed EVP MAC contexts (reset, never re-keyed, per token) and a bounded cache
// from token to bit positions per feature, so a token seen before costs one hash-table lookup.
//
// Thread-safety: a ClkEncoder is immutable after Create and may be shared; each thread needs its own Worker.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/encode/clk_schema.h"

namespace matchguard {

// Why a value was refused: the feature index and what was expected. Never holds the value itself.
struct FieldError {
  size_t feature = 0;
  std::string message;
};

class ClkEncoder {
 public:
  class Worker;
  struct WorkerDeleter {
    void operator()(Worker* worker) const;
  };
  using WorkerPtr = std::unique_ptr<Worker, WorkerDeleter>;

  // Derives the per-feature keys from `secret`. The encoder keeps only the derived keys and wipes them
  // when destroyed; the caller remains responsible for wiping `secret`.
  static Result<std::unique_ptr<ClkEncoder>> Create(ClkSchema schema, std::string_view secret);
  ~ClkEncoder();
  ClkEncoder(const ClkEncoder&) = delete;
  ClkEncoder& operator=(const ClkEncoder&) = delete;

  const ClkSchema& schema() const { return schema_; }
  // Bytes of one CLK (l / 8).
  size_t clk_bytes() const { return schema_.l / 8; }

  // Per-thread state: keyed MAC contexts and the token cache.
  WorkerPtr NewWorker() const;

  // Encodes one record whose values are in schema feature order (`values.size()` == feature count) into
  // `out` (clk_bytes() bytes, overwritten). Returns false and fills `error` when a value breaks its
  // feature's format.
  // A non-empty `salt` (hardening: a stable per-record value such as the year of birth) is appended to
  // every token, after a 0x1F separator, before hashing; the result is then no longer clkhash-compatible.
  bool Encode(Worker& worker, const std::vector<std::string_view>& values, uint8_t* out, FieldError* error,
              std::string_view salt = {}) const;

  // Encodes a single feature's value into its own filter of `bits` bits (a field-level Bloom filter),
  // `out` holding bits / 8 bytes (overwritten). REQUIRES: the feature is hashed; `bits` a multiple of 8
  // (and a power of two for blakeHash).
  bool EncodeFeature(Worker& worker, size_t feature, std::string_view value, uint32_t bits, uint8_t* out,
                     FieldError* error, std::string_view salt = {}) const;

  // Checks a value without hashing it; false with `error` set when clkhash's validation would refuse it.
  bool Validate(size_t feature, std::string_view value, FieldError* error) const;

  // The tokens (as encoded bytes) a value produces, for tests and `--explain` style tools.
  Result<std::vector<std::string>> Tokens(size_t feature, std::string_view value) const;

 private:
  explicit ClkEncoder(ClkSchema schema) : schema_(std::move(schema)) {}
  bool HashFeature(Worker& worker, size_t feature, std::string_view value, uint32_t bits, uint8_t* filter,
                   FieldError* error, std::string_view salt) const;

  ClkSchema schema_;
  std::vector<std::string> keys_;  // two per feature: keys_[2 * i] and keys_[2 * i + 1]
};

}  // namespace matchguard
