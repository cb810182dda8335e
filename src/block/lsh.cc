#include "src/block/lsh.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <iterator>
#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "src/core/hash.h"

namespace matchguard {

namespace {

constexpr double kTargetRecall = 0.999;  // for a pair exactly at the threshold
constexpr double kMinReduction = 0.99;   // below this, comparing all pairs is about as fast
constexpr uint32_t kMaxBands = 4096;
// Expected candidate pairs per record of the larger side: the memory bound (8 bytes a pair, twice while
// merging). Where the recall target needs more, recall at the threshold gives way (and is reported).
constexpr double kMaxPairsPerRecord = 64;
constexpr size_t kProfileRows = 20000;  // per side
constexpr size_t kProfilePairs = 4000;
constexpr double kInformativeLow = 0.05;  // share of records with the bit set
constexpr double kInformativeHigh = 0.95;
// Relative costs for the parameter choice, measured on 1M x 1M (bench/match/README.md): one record's key
// in one band (r bit lookups, then its share of the band's sort) against one candidate pair (dedupe
// across bands and exact scoring).
constexpr double kKeyCost = 1.0;
constexpr double kKeyCostPerBit = 1.0 / 16;
constexpr double kPairCost = 4.0;
constexpr size_t kBandBatch = 16;  // bands whose raw pairs are held before deduplication

inline bool BitAt(const uint8_t* row, uint32_t j) { return (row[j >> 3] >> (7 - (j & 7))) & 1; }

const uint8_t* Row(const BitRows& side, size_t i) { return side.data + i * side.stride_bytes; }

// Up to `limit` rows spread evenly over the side.
std::vector<size_t> SampleRows(const BitRows& side, size_t limit) {
  const size_t n = std::min(side.count, limit);
  std::vector<size_t> rows(n);
  for (size_t k = 0; k < n; ++k) rows[k] = k * side.count / n;
  return rows;
}

// Probability that r positions drawn without replacement from n all fall among the a = s n agreeing ones.
double BandHit(double agreement, uint32_t r, uint32_t n) {
  const double a = agreement * n;
  double p = 1.0;
  for (uint32_t i = 0; i < r && p > 0; ++i) p *= std::max(0.0, (a - i) / (static_cast<double>(n) - i));
  return p;
}

double FoundInSomeBand(double band_hit, uint32_t bands) {
  return band_hit >= 1.0 ? 1.0 : -std::expm1(bands * std::log1p(-band_hit));
}

// Fills recall and expected reduction for given r and bands.
void Evaluate(const LshProfile& profile, LshParameters& p) {
  const auto n = static_cast<uint32_t>(profile.informative.size());
  p.informative_bits = n;
  p.pair_at_threshold_recall = FoundInSomeBand(BandHit(profile.threshold_agreement, p.bits_per_band, n), p.bands);
  double found = 0;
  for (double s : profile.random_agreement) found += FoundInSomeBand(BandHit(s, p.bits_per_band, n), p.bands);
  p.expected_reduction_ratio =
      profile.random_agreement.empty() ? 0.0 : 1.0 - found / static_cast<double>(profile.random_agreement.size());
}

// One band's sampled positions as masks over the 64-bit words of a row that hold them. A record's key is
// Mix64(sum over those words of (word AND mask) * odd multiplier): equal sampled bits give equal keys, and
// different ones collide only by a 64-bit accident. Masking whole words costs a load, an AND and a
// multiply-add per word instead of a load, shift and insert per sampled bit (4x faster at 40 bits).
struct BandMask {
  std::vector<uint32_t> word;  // word index within the row
  std::vector<uint64_t> mask;  // in the row's memory order (bit j: byte j/8, 0x80 >> j%8)
  std::vector<uint64_t> multiplier;
  std::vector<uint8_t> length;  // bytes of the word inside the row: 8 except at the end of an unpadded row

  BandMask(const std::vector<uint32_t>& positions, uint64_t seed, size_t stride_bytes) {
    std::vector<uint32_t> sorted = positions;
    std::sort(sorted.begin(), sorted.end());
    for (uint32_t p : sorted) {
      if (word.empty() || word.back() != p / 64) {
        word.push_back(p / 64);
        mask.push_back(0);
        multiplier.push_back(Mix64(seed + kSplitMixGamma * (word.size() + 1)) | 1);
        length.push_back(static_cast<uint8_t>(std::min<size_t>(8, stride_bytes - 8 * size_t{word.back()})));
      }
      uint8_t bytes[8];
      std::memcpy(bytes, &mask.back(), 8);
      bytes[(p % 64) / 8] |= static_cast<uint8_t>(0x80u >> (p % 8));
      std::memcpy(&mask.back(), bytes, 8);
    }
  }
  uint64_t Key(const uint8_t* row) const {
    uint64_t sum = 0;
    for (size_t k = 0; k < word.size(); ++k) {
      uint64_t w = 0;
      if (length[k] == 8) {
        std::memcpy(&w, row + 8 * size_t{word[k]}, 8);
      } else {
        std::memcpy(&w, row + 8 * size_t{word[k]}, length[k]);
      }
      sum += (w & mask[k]) * multiplier[k];
    }
    return Mix64(sum);
  }
};

// For one band: (hashed key, row) for every row of a side, sorted by hashed key. Mix64 is a bijection, so
// equal hashes mean equal keys. Rows are first scattered by the hash's top 16 bits (a counting sort: one
// pass, buckets of a few rows at 1M records), then each bucket is sorted: about three times faster than
// sorting the whole array.
std::vector<std::pair<uint64_t, uint32_t>> BandKeys(const BitRows& side, const BandMask& band) {
  constexpr int kBucketBits = 16;
  std::vector<uint64_t> hashed(side.count);
  std::vector<uint32_t> offsets((size_t{1} << kBucketBits) + 1, 0);
  for (size_t i = 0; i < side.count; ++i) {
    hashed[i] = band.Key(Row(side, i));
    ++offsets[(hashed[i] >> (64 - kBucketBits)) + 1];
  }
  std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
  std::vector<std::pair<uint64_t, uint32_t>> keys(side.count);
  std::vector<uint32_t> next(offsets.begin(), offsets.end() - 1);
  for (size_t i = 0; i < side.count; ++i) {
    keys[next[hashed[i] >> (64 - kBucketBits)]++] = {hashed[i], static_cast<uint32_t>(i)};
  }
  for (size_t b = 0; b + 1 < offsets.size(); ++b) {
    if (offsets[b + 1] - offsets[b] > 1) std::sort(keys.begin() + offsets[b], keys.begin() + offsets[b + 1]);
  }
  return keys;
}

// Pairs of one band as (left << 32 | right), distinct, in no particular order; nothing and *over set
// when they would be more than max_pairs.
std::vector<uint64_t> BandPairs(const BitRows& left, const BitRows& right, const BandMask& band, uint64_t max_pairs,
                                std::atomic<bool>* over) {
  const auto lk = BandKeys(left, band), rk = BandKeys(right, band);
  std::vector<uint64_t> out;
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
      if (out.size() + (i_end - i) * (j_end - j) > max_pairs) {
        over->store(true);
        return {};
      }
      for (size_t a = i; a < i_end; ++a) {
        for (size_t b = j; b < j_end; ++b) out.push_back((uint64_t{lk[a].second} << 32) | rk[b].second);
      }
      i = i_end;
      j = j_end;
    }
  }
  return out;  // unsorted: MergeDistinct sorts a whole batch of bands at once
}

// Sorts pair keys by LSD radix sort on 11-bit digits, skipping digits no key uses (row numbers rarely
// need all 32 bits of either half): linear time, where std::sort was a quarter of a blocked run.
void RadixSort(std::vector<uint64_t>& v) {
  constexpr int kDigitBits = 11;
  constexpr size_t kRadix = size_t{1} << kDigitBits;
  uint64_t used = 0;
  for (uint64_t x : v) used |= x;
  std::vector<uint64_t> tmp(v.size());
  std::vector<size_t> count(kRadix);
  for (int shift = 0; shift < 64; shift += kDigitBits) {
    if (((used >> shift) & (kRadix - 1)) == 0) continue;
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t x : v) ++count[(x >> shift) & (kRadix - 1)];
    size_t sum = 0;
    for (size_t& c : count) sum += std::exchange(c, sum);
    for (uint64_t x : v) tmp[count[(x >> shift) & (kRadix - 1)]++] = x;
    v.swap(tmp);
  }
}

// Merges the runs of a band batch into `into` (sorted, distinct), dropping duplicates.
void MergeDistinct(std::vector<std::vector<uint64_t>>& runs, std::vector<uint64_t>& into) {
  std::vector<uint64_t> batch;
  size_t total = 0;
  for (const auto& r : runs) total += r.size();
  batch.reserve(total);
  for (auto& r : runs) {
    batch.insert(batch.end(), r.begin(), r.end());
    std::vector<uint64_t>().swap(r);
  }
  RadixSort(batch);
  batch.erase(std::unique(batch.begin(), batch.end()), batch.end());
  std::vector<uint64_t> merged;
  merged.reserve(into.size() + batch.size());
  std::set_union(into.begin(), into.end(), batch.begin(), batch.end(), std::back_inserter(merged));
  into.swap(merged);
}

}  // namespace

LshProfile ProfileEncodings(const BitRows& left, const BitRows& right, double threshold, uint64_t seed) {
  LshProfile profile;
  const uint32_t bits = left.bits;
  const std::vector<size_t> rows_l = SampleRows(left, kProfileRows), rows_r = SampleRows(right, kProfileRows);
  std::vector<uint32_t> set_count(bits, 0);
  std::vector<uint32_t> popcounts;
  for (const auto& [side, rows] : {std::pair{&left, &rows_l}, std::pair{&right, &rows_r}}) {
    for (size_t i : *rows) {
      const uint8_t* row = Row(*side, i);
      uint32_t pop = 0;
      for (uint32_t b = 0; b < bits; ++b) {
        const bool v = BitAt(row, b);
        set_count[b] += v;
        pop += v;
      }
      popcounts.push_back(pop);
    }
  }
  const size_t sampled = rows_l.size() + rows_r.size();
  for (uint32_t b = 0; b < bits; ++b) {
    const double share = sampled == 0 ? 0.5 : static_cast<double>(set_count[b]) / static_cast<double>(sampled);
    if (share >= kInformativeLow && share <= kInformativeHigh) profile.informative.push_back(b);
  }
  if (profile.informative.empty()) {  // tiny or degenerate inputs: sample among all positions
    profile.informative.resize(bits);
    std::iota(profile.informative.begin(), profile.informative.end(), 0u);
  }
  const auto n = static_cast<double>(profile.informative.size());
  // A pair with popcounts p, q and Dice t differs in (p + q)(1 - t) positions, (nearly) all informative.
  // The 95th-percentile popcount keeps the estimate conservative for the fuller records.
  double pop_high = 0;
  if (!popcounts.empty()) {
    auto at = popcounts.begin() + static_cast<std::ptrdiff_t>(popcounts.size() * 95 / 100);
    std::nth_element(popcounts.begin(), at, popcounts.end());
    pop_high = *at;
  }
  profile.threshold_agreement = std::clamp(1.0 - 2.0 * pop_high * (1.0 - threshold) / n, 0.0, 1.0);

  if (rows_l.empty() || rows_r.empty()) return profile;
  std::vector<uint8_t> mask(left.stride_bytes, 0);
  for (uint32_t b : profile.informative) mask[b >> 3] |= static_cast<uint8_t>(0x80u >> (b & 7));
  std::mt19937_64 rng(seed ^ 0x5bd1e995u);
  std::uniform_int_distribution<size_t> pick_l(0, rows_l.size() - 1), pick_r(0, rows_r.size() - 1);
  profile.random_agreement.reserve(kProfilePairs);
  for (size_t k = 0; k < kProfilePairs; ++k) {
    const uint8_t *x = Row(left, rows_l[pick_l(rng)]), *y = Row(right, rows_r[pick_r(rng)]);
    uint32_t differ = 0;
    for (size_t byte = 0; byte < mask.size(); ++byte) {
      differ += static_cast<uint32_t>(std::popcount(static_cast<uint8_t>((x[byte] ^ y[byte]) & mask[byte])));
    }
    profile.random_agreement.push_back(1.0 - differ / n);
  }
  return profile;
}

LshParameters ChooseLshParameters(const LshProfile& profile, size_t n_left, size_t n_right) {
  const auto n = static_cast<uint32_t>(profile.informative.size());
  const double all_pairs = static_cast<double>(n_left) * static_cast<double>(n_right);
  const double pair_budget = kMaxPairsPerRecord * static_cast<double>(std::max(n_left, n_right));
  // best: meets the recall target, the reduction floor and the pair budget at least cost. capped: the
  // highest recall within the band cap and the pair budget. reaching: the recall target with the fewest
  // pairs, over budget. fallback: the fewest pairs.
  LshParameters best, capped, reaching, fallback;
  double reaching_pairs = INFINITY;
  double best_cost = INFINITY, capped_cost = INFINITY, fallback_pairs = INFINITY;
  for (uint32_t r = 1; r <= std::min<uint32_t>(64, n); ++r) {
    const double hit = BandHit(profile.threshold_agreement, r, n);
    if (hit <= 0) break;
    const double needed = hit >= 1.0 ? 1.0 : std::ceil(std::log(1.0 - kTargetRecall) / std::log1p(-hit));
    LshParameters p;
    p.bits_per_band = r;
    p.bands = static_cast<uint32_t>(std::clamp(needed, 1.0, static_cast<double>(kMaxBands)));
    Evaluate(profile, p);
    const double pairs = (1.0 - p.expected_reduction_ratio) * all_pairs;
    const double cost =
        p.bands * static_cast<double>(n_left + n_right) * (kKeyCost + kKeyCostPerBit * r) + kPairCost * pairs;
    const bool in_budget = pairs <= pair_budget || p.expected_reduction_ratio >= 1.0;
    if (needed <= kMaxBands && p.expected_reduction_ratio >= kMinReduction && in_budget && cost < best_cost) {
      best = p;
      best_cost = cost;
    }
    if (in_budget && (p.pair_at_threshold_recall > capped.pair_at_threshold_recall + 1e-4 ||
                      (p.pair_at_threshold_recall > capped.pair_at_threshold_recall - 1e-4 && cost < capped_cost))) {
      capped = p;
      capped_cost = cost;
    }
    if (needed <= kMaxBands && pairs < reaching_pairs) {
      reaching = p;
      reaching_pairs = pairs;
    }
    if (pairs < fallback_pairs) {
      fallback = p;
      fallback_pairs = pairs;
    }
  }
  if (best.bands != 0) return best;
  if (capped.bands != 0) return capped;
  if (reaching.bands != 0) return reaching;
  if (fallback.bands != 0) return fallback;
  LshParameters p;  // no key length gives any chance at the threshold (empty rows): one bit, one band
  p.bits_per_band = 1;
  p.bands = 1;
  Evaluate(profile, p);
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
  LshProfile profile = ProfileEncodings(left, right, threshold, options.seed);
  if (options.bits_per_band > profile.informative.size()) {  // more bits asked for than informative ones
    profile.informative.resize(left.bits);
    std::iota(profile.informative.begin(), profile.informative.end(), 0u);
  }
  out.parameters = ChooseLshParameters(profile, left.count, right.count);
  if (options.bits_per_band != 0) out.parameters.bits_per_band = std::min(options.bits_per_band, left.bits);
  if (options.bands != 0) out.parameters.bands = options.bands;
  Evaluate(profile, out.parameters);

  // Bit positions of every band, drawn up front from the seed so the result does not depend on threads.
  std::mt19937_64 rng(options.seed);
  std::vector<uint32_t> pool = profile.informative;
  std::vector<BandMask> positions;
  positions.reserve(out.parameters.bands);
  for (uint32_t b = 0; b < out.parameters.bands; ++b) {
    for (uint32_t k = 0; k < out.parameters.bits_per_band; ++k) {  // partial Fisher-Yates
      std::uniform_int_distribution<size_t> pick(k, pool.size() - 1);
      std::swap(pool[k], pool[pick(rng)]);
    }
    positions.emplace_back(std::vector<uint32_t>(pool.begin(), pool.begin() + out.parameters.bits_per_band), rng(),
                           std::min(left.stride_bytes, right.stride_bytes));
  }
  std::vector<uint64_t> pairs;
  for (size_t first = 0; first < positions.size(); first += kBandBatch) {
    const size_t last = std::min(positions.size(), first + kBandBatch);
    std::vector<std::vector<uint64_t>> per_band(last - first);
    std::atomic<bool> over{false};
    tbb::parallel_for(first, last, [&](size_t b) {
      if (!over.load()) per_band[b - first] = BandPairs(left, right, positions[b], options.max_pairs, &over);
    });
    if (!over.load()) MergeDistinct(per_band, pairs);
    if (over.load() || pairs.size() > options.max_pairs) {
      return Error(Status::InvalidArgument(fmt::format(
          "LSH blocking would give more than {} candidate pairs ({} bands of {} bits); use more bits per band "
          "(--lsh-bits), a higher --threshold, --blocking psig, or raise --max-blocked-pairs",
          options.max_pairs, out.parameters.bands, out.parameters.bits_per_band)));
    }
  }
  out.left.reserve(pairs.size());
  out.right.reserve(pairs.size());
  for (uint64_t p : pairs) {
    out.left.push_back(static_cast<uint32_t>(p >> 32));
    out.right.push_back(static_cast<uint32_t>(p));
  }
  return out;
}

}  // namespace matchguard
