// Hamming locality-sensitive hashing over Bloom-filter encodings (bit sampling), for blocking PPRL.
//
// Each of `bands` bands samples `bits_per_band` fixed random bit positions; a record's key in a band is
// those bits. Two records become a candidate pair when their keys agree in at least one band. A pair
// whose encodings agree on a fraction s of all bit positions collides in a band with probability s^r and
// in some band with probability 1 - (1 - s^r)^bands, so near-identical encodings almost surely meet while
// unrelated ones (s near 0.5 for half-full filters) almost never do. ChooseLshParameters picks r and the
// number of bands from the Dice threshold and the encodings' fill rate.
//
// This layer sees encodings as raw bit rows (BitRows) so it needs nothing from src/encode.
//
// Thread-safety: pure functions; LshCandidatePairs uses oneTBB over bands.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "matchguard/status.h"

namespace matchguard {

// A read-only bit matrix: row i at data + i * stride_bytes; bit j of a row is byte j/8, mask 0x80 >> j%8.
struct BitRows {
  const uint8_t* data = nullptr;
  size_t count = 0;
  size_t stride_bytes = 0;
  uint32_t bits = 0;
};

struct LshOptions {
  uint32_t bands = 0;          // 0: ChooseLshParameters
  uint32_t bits_per_band = 0;  // 1..64; 0: ChooseLshParameters
  uint64_t seed = 1;           // which bit positions are sampled (both sides must use the same)
};

struct LshParameters {
  uint32_t bands = 0;
  uint32_t bits_per_band = 0;
  double pair_at_threshold_recall = 0.0;  // estimated chance that a pair at the threshold is found
};

// Picks r = bits_per_band and the number of bands so a pair at the Dice threshold (for encodings with
// the given fraction of bits set) is found with probability >= 0.995, using at most 400 bands.
LshParameters ChooseLshParameters(double threshold, double fill_rate, uint32_t bits);

// The fraction of bits set over both sides (for ChooseLshParameters).
double FillRate(const BitRows& left, const BitRows& right);

// Candidate pairs (left row, right row) sharing a key in at least one band: sorted, without duplicates.
struct LshPairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
  LshParameters parameters;
};
Result<LshPairs> LshCandidatePairs(const BitRows& left, const BitRows& right, double threshold,
                                   const LshOptions& options = {});

}  // namespace matchguard
