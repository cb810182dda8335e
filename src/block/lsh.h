// Hamming locality-sensitive hashing over Bloom-filter encodings (bit sampling), for blocking PPRL.
//
// Each of `bands` bands samples `bits_per_band` fixed random bit positions; a record's key in a band is
// those bits. Two records become a candidate pair when their keys agree in at least one band. A pair
// whose encodings agree on a fraction s of the sampled positions collides in a band with probability
// about s^r and in some band with probability 1 - (1 - s^r)^bands.
//
// Positions are sampled only among informative bits: a bit set in (almost) every record or in (almost)
// none agrees for every pair, so sampling it spends a key bit on nothing (real CLKs have many: FEBRL4's
// encodings set some bits in 99.6% of records). The parameters come from the data, not from assumptions
// about it (ProfileEncodings): the Hamming agreement of a pair at the Dice threshold follows from the
// records' popcounts, and the agreement of unrelated pairs is measured on a sample of random pairs.
// ChooseLshParameters then picks r and the band count so the threshold pair is found with probability
// >= 0.999 at the lowest estimated cost (key computation per record and band, plus scoring per
// candidate pair), with an expected reduction ratio >= 0.99, at most 4096 bands and at most 64 expected
// candidate pairs per record of the larger side (memory). Where no choice meets all of these (dense
// encodings whose unrelated records are already close to the threshold, or 1M x 1M), the recall at the
// threshold gives way: the highest one within the band cap and the pair budget, reported in the result.
//
// A band's key is a 64-bit hash of its sampled bits, computed from masked 64-bit words of the row.
//
// Memory: pairs are deduplicated band batch by band batch, so the peak is about one batch of raw pairs
// plus the distinct pairs found so far, not the sum over all bands.
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
  // Most blocked pairs (8 bytes each, twice while bands are merged): past it the call fails with
  // an InvalidArgument (exit 2) instead of exhausting memory (few bits per band, or many identical encodings).
  uint64_t max_pairs = 500'000'000;
};

struct LshParameters {
  uint32_t bands = 0;
  uint32_t bits_per_band = 0;
  double pair_at_threshold_recall = 0.0;  // estimated chance that a pair at the threshold is found
  uint32_t informative_bits = 0;          // positions sampled from (bits neither almost always set nor unset)
  double expected_reduction_ratio = 0.0;  // estimated from the sampled random pairs
};

// What the data says about LSH: where to sample and how similar matching and unrelated pairs look.
struct LshProfile {
  std::vector<uint32_t> informative;     // bit positions set in between 5% and 95% of sampled records
  double threshold_agreement = 0.0;      // agreement on `informative` of a pair at the Dice threshold
  std::vector<double> random_agreement;  // agreement on `informative` of sampled random pairs
};

// Profiles up to 20,000 rows per side and 4,000 random pairs, chosen by `seed` (deterministic).
LshProfile ProfileEncodings(const BitRows& left, const BitRows& right, double threshold, uint64_t seed);

// The cheapest (bits per band, bands) for `profile` and the side sizes, as described above.
LshParameters ChooseLshParameters(const LshProfile& profile, size_t n_left, size_t n_right);

// Candidate pairs (left row, right row) sharing a key in at least one band: sorted, without duplicates.
struct LshPairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
  LshParameters parameters;
};
Result<LshPairs> LshCandidatePairs(const BitRows& left, const BitRows& right, double threshold,
                                   const LshOptions& options = {});

}  // namespace matchguard
