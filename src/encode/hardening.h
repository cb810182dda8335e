// Hardening of Bloom-filter encodings against frequency and pattern-mining attacks, options clkhash lacks.
// Each trades some linkage quality for privacy; docs/encodings.md gives the measured trade-offs.
//
//  * Balanced Bloom filters (Berger et al. 2017 / Schnell): each CLK is concatenated with its complement and
//    the 2l bits are shuffled by a permutation keyed by the secret. Every encoding then has exactly l bits
//    set, so the Hamming weight no longer reveals how long the identifiers are; Dice similarity on the
//    balanced filters stays monotone in the original one. Doubles the size.
//  * BLIP (randomised response, Schnell & Borgs 2016; Alaggan et al.): every bit flips independently with
//    probability p = 1 / (1 + e^epsilon), giving epsilon-differential privacy per bit. Lower epsilon means
//    more noise and lower recall at a fixed threshold.
//  * A per-record salt from a stable field (for example the year of birth) is mixed into every token; two
//    records can then only match when their salt values agree (blocking on that field), which defeats
//    cross-record frequency analysis but loses every pair whose salt field is wrong. It lives in the encoder
//    (ClkEncoder::Encode's `salt`).
//
// Thread-safety: BalancedPermutation is immutable after construction; ApplyBlip needs its own Rng per thread.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/core/hash.h"
#include "src/encode/clk_file.h"

namespace matchguard {

// SplitMix64: small, fast and fully specified, so a seeded run gives the same noise on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() { return Mix64(state_ += kSplitMixGamma); }
  // Uniform in [0, n) without modulo bias.
  uint64_t Below(uint64_t n);
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

class BalancedPermutation {
 public:
  // A permutation of 2 * bits positions derived from `secret` (HMAC-SHA256 of a fixed label seeds it), so
  // both parties holding the secret permute identically.
  BalancedPermutation(std::string_view secret, uint32_t bits);
  // Returns a set of 2 * in.bits bits: row i is in.row(i), its complement, shuffled.
  ClkSet Apply(const ClkSet& in) const;

 private:
  std::vector<uint32_t> target_;  // target_[j]: where source bit j goes
};

// The flip probability BLIP uses for `epsilon`.
double BlipFlipProbability(double epsilon);
// Flips each bit of every row with BlipFlipProbability(epsilon). REQUIRES: epsilon > 0.
void ApplyBlip(ClkSet* set, double epsilon, uint64_t seed);

}  // namespace matchguard
