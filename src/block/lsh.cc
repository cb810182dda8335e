#include "src/block/lsh.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

namespace matchguard {

namespace {

inline bool BitAt(const uint8_t* row, uint32_t j) { return (row[j >> 3] >> (7 - (j & 7))) & 1; }

// For one band: (key, row) for every row of a side, sorted by key.
std::vector<std::pair<uint64_t, uint32_t>> BandKeys(const BitRows& side, const std::vector<uint32_t>& positions) {
  std::vector<std::pair<uint64_t, uint32_t>> keys(side.count);
  for (size_t i = 0; i < side.count; ++i) {
    const uint8_t* row = side.data + i * side.stride_bytes;
    uint64_t key = 0;
    for (uint32_t p : positions) key = (key << 1) | (BitAt(row, p) ? 1 : 0);
    keys[i] = {key, static_cast<uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Pair key: left in the high half, so sorting orders by left then right.
void BandPairs(const BitRows& left, const BitRows& right, const std::vector<uint32_t>& positions,
               std::vector<uint64_t>& out) {
  const auto lk = BandKeys(left, positions), rk = BandKeys(right, positions);
  size_t i = 0, j = 0;
  while (i < lk.size() && j < rk.size()) {
    if (lk[i].first < rk[j].first) {
      ++i;
    } else if (rk[j].first < lk[i].first) {
      ++j;
    } else {
      const uint64_t key = lk[i].first;
      size_t i_end = i, j_end = j;
      while (i_end < lk.size() && lk[i_end].first == key) ++i_end;
      while (j_end < rk.size() && rk[j_end].first == key) ++j_end;
      for (size_t a = i; a < i_end; ++a) {
        for (size_t b = j; b < j_end; ++b) out.push_back((uint64_t{lk[a].second} << 32) | rk[b].second);
      }
      i = i_end;
      j = j_end;
    }
  }
}

}  // namespace

double FillRate(const BitRows& left, const BitRows& right) {
  uint64_t set = 0, total = 0;
  for (const BitRows* side : {&left, &right}) {
    for (size_t i = 0; i < side->count; ++i) {
      const uint8_t* row = side->data + i * side->stride_bytes;
      for (uint32_t b = 0; b < (side->bits + 7) / 8; ++b) set += static_cast<uint64_t>(std::popcount(row[b]));
      total += side->bits;
    }
  }
  return total == 0 ? 0.5 : static_cast<double>(set) / static_cast<double>(total);
}

LshParameters ChooseLshParameters(double threshold, double fill_rate, uint32_t bits) {
  // Two filters with n bits set each and Dice D share D*n bits, so they differ in 2n(1 - D) positions:
  // a Hamming agreement of s = 1 - 2 f (1 - D) for fill rate f = n / bits.
  const double f = std::clamp(fill_rate, 0.01, 0.99);
  const double s = std::clamp(1.0 - 2.0 * f * (1.0 - threshold), 0.5, 0.999);
  // Unrelated filters agree on about f^2 + (1-f)^2 of the bits; r is chosen so one band lets through
  // about one pair in a million of them, then bands are added until the threshold pair is safe.
  const double s_random = std::clamp(f * f + (1 - f) * (1 - f), 0.5, 0.99);
  auto r = static_cast<uint32_t>(std::ceil(std::log(1e-6) / std::log(s_random)));
  r = std::clamp<uint32_t>(r, 4, std::min<uint32_t>(64, std::max<uint32_t>(4, bits / 4)));
  // A loose threshold needs shorter keys, else the bands needed would explode: shorten r until at most
  // kMaxBands bands reach the target (more random pairs per band, but the threshold pair stays safe).
  constexpr uint32_t kMaxBands = 400;
  constexpr double kTarget = 0.995;
  LshParameters p;
  for (;; --r) {
    const double band_hit = std::pow(s, r);
    const double needed = std::ceil(std::log(1.0 - kTarget) / std::log(1.0 - band_hit));
    if (needed <= kMaxBands || r == 4) {
      p.bits_per_band = r;
      p.bands = static_cast<uint32_t>(std::clamp(needed, 1.0, static_cast<double>(kMaxBands)));
      p.pair_at_threshold_recall = 1.0 - std::pow(1.0 - band_hit, p.bands);
      break;
    }
  }
  return p;
}

Result<LshPairs> LshCandidatePairs(const BitRows& left, const BitRows& right, double threshold,
                                   const LshOptions& options) {
  if (left.bits != right.bits || left.bits == 0) {
    return Error(Status::InvalidArgument("LSH blocking needs encodings of one non-zero bit length"));
  }
  if (options.bits_per_band > 64) {
    return Error(
        Status::InvalidArgument("--lsh-bits must be at most 64, got " + std::to_string(options.bits_per_band)));
  }
  LshPairs out;
  out.parameters = ChooseLshParameters(threshold, FillRate(left, right), left.bits);
  if (options.bits_per_band != 0) out.parameters.bits_per_band = std::min(options.bits_per_band, left.bits);
  if (options.bands != 0) out.parameters.bands = options.bands;
  const double band_hit = std::pow(std::clamp(1.0 - 2.0 * FillRate(left, right) * (1.0 - threshold), 0.0, 1.0),
                                   out.parameters.bits_per_band);
  out.parameters.pair_at_threshold_recall = 1.0 - std::pow(1.0 - band_hit, out.parameters.bands);

  // Bit positions of every band, drawn up front from the seed so the result does not depend on threads.
  std::mt19937_64 rng(options.seed);
  std::vector<uint32_t> all(left.bits);
  std::iota(all.begin(), all.end(), 0u);
  std::vector<std::vector<uint32_t>> positions(out.parameters.bands);
  for (auto& band : positions) {
    std::shuffle(all.begin(), all.end(), rng);
    band.assign(all.begin(), all.begin() + out.parameters.bits_per_band);
  }
  std::vector<std::vector<uint64_t>> per_band(positions.size());
  tbb::parallel_for(size_t{0}, positions.size(), [&](size_t b) { BandPairs(left, right, positions[b], per_band[b]); });
  std::vector<uint64_t> pairs;
  for (auto& v : per_band) pairs.insert(pairs.end(), v.begin(), v.end());
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  out.left.reserve(pairs.size());
  out.right.reserve(pairs.size());
  for (uint64_t p : pairs) {
    out.left.push_back(static_cast<uint32_t>(p >> 32));
    out.right.push_back(static_cast<uint32_t>(p));
  }
  return out;
}

}  // namespace matchguard
