#include "src/eval/metrics.h"

#include <algorithm>
#include <unordered_map>

namespace matchguard {
namespace {

uint64_t Choose2(uint64_t n) { return n < 2 ? 0 : n * (n - 1) / 2; }

void SortUnique(std::vector<uint64_t>* keys) {
  std::sort(keys->begin(), keys->end());
  keys->erase(std::unique(keys->begin(), keys->end()), keys->end());
}

// Sum of C(run length, 2) over the runs of equal values in a sorted vector.
uint64_t PairsInRuns(const std::vector<uint64_t>& sorted) {
  uint64_t total = 0;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    total += Choose2(j - i);
    i = j;
  }
  return total;
}

std::vector<uint64_t> Keys(PairView pairs) {
  std::vector<uint64_t> keys(pairs.left.size());
  for (size_t i = 0; i < keys.size(); ++i) keys[i] = PairKey(pairs.left[i], pairs.right[i]);
  return keys;
}

}  // namespace

Scores ScoresOf(const Confusion& c) {
  Scores s;
  if (c.tp + c.fp > 0) s.precision = static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fp);
  if (c.tp + c.fn > 0) s.recall = static_cast<double>(c.tp) / static_cast<double>(c.tp + c.fn);
  if (s.precision + s.recall > 0) s.f1 = 2 * s.precision * s.recall / (s.precision + s.recall);
  return s;
}

double PairsCompleteness(PairView candidates, PairView truth) {
  std::vector<uint64_t> true_keys = Keys(truth);
  SortUnique(&true_keys);
  if (true_keys.empty()) return 1.0;
  std::vector<uint64_t> candidate_keys = Keys(candidates);
  SortUnique(&candidate_keys);
  Confusion c = ComparePairSets(std::move(candidate_keys), true_keys);
  return static_cast<double>(c.tp) / static_cast<double>(true_keys.size());
}

double ReductionRatio(uint64_t num_candidates, uint64_t n_left, uint64_t n_right) {
  // Long double keeps 1e6 x 1e6 = 1e12 possible pairs exact enough.
  long double all = n_right == 0 ? static_cast<long double>(Choose2(n_left))
                                 : static_cast<long double>(n_left) * static_cast<long double>(n_right);
  if (all <= 0) return 0.0;
  return static_cast<double>(1.0L - static_cast<long double>(num_candidates) / all);
}

Confusion ComparePairSets(std::vector<uint64_t> predicted, std::vector<uint64_t> truth) {
  SortUnique(&predicted);
  SortUnique(&truth);
  Confusion c;
  size_t i = 0;
  size_t j = 0;
  while (i < predicted.size() && j < truth.size()) {
    if (predicted[i] < truth[j]) {
      ++i;
    } else if (truth[j] < predicted[i]) {
      ++j;
    } else {
      ++c.tp;
      ++i;
      ++j;
    }
  }
  c.fp = predicted.size() - c.tp;
  c.fn = truth.size() - c.tp;
  return c;
}

uint64_t PairsWithinClusters(std::span<const uint32_t> labels) {
  std::vector<uint64_t> present;
  present.reserve(labels.size());
  for (uint32_t label : labels) {
    if (label != kNoCluster) present.push_back(label);
  }
  std::sort(present.begin(), present.end());
  return PairsInRuns(present);
}

uint64_t PairsAcrossClusters(std::span<const uint32_t> left_label, std::span<const uint32_t> right_label) {
  std::unordered_map<uint32_t, uint64_t> right_counts;
  for (uint32_t label : right_label) {
    if (label != kNoCluster) ++right_counts[label];
  }
  uint64_t total = 0;
  for (uint32_t label : left_label) {
    if (label == kNoCluster) continue;
    auto it = right_counts.find(label);
    if (it != right_counts.end()) total += it->second;
  }
  return total;
}

Confusion CompareClusterings(std::span<const uint32_t> predicted, std::span<const uint32_t> truth) {
  std::vector<uint64_t> cells;
  cells.reserve(predicted.size());
  for (size_t i = 0; i < predicted.size(); ++i) {
    if (predicted[i] != kNoCluster && truth[i] != kNoCluster) cells.push_back(PairKey(predicted[i], truth[i]));
  }
  std::sort(cells.begin(), cells.end());
  Confusion c;
  c.tp = PairsInRuns(cells);
  c.fp = PairsWithinClusters(predicted) - c.tp;
  c.fn = PairsWithinClusters(truth) - c.tp;
  return c;
}

Confusion ComparePairsToLabels(std::vector<uint64_t> predicted, std::span<const uint32_t> left_label,
                               std::span<const uint32_t> right_label, uint64_t true_pairs, bool unordered) {
  if (unordered) {
    size_t kept = 0;
    for (uint64_t key : predicted) {
      uint32_t a = static_cast<uint32_t>(key >> 32);
      uint32_t b = static_cast<uint32_t>(key);
      if (a == b) continue;
      predicted[kept++] = a < b ? key : PairKey(b, a);
    }
    predicted.resize(kept);
  }
  SortUnique(&predicted);
  Confusion c;
  for (uint64_t key : predicted) {
    uint32_t l = static_cast<uint32_t>(key >> 32);
    uint32_t r = static_cast<uint32_t>(key);
    bool known = l < left_label.size() && r < right_label.size();
    if (known && left_label[l] != kNoCluster && left_label[l] == right_label[r]) ++c.tp;
  }
  c.fp = predicted.size() - c.tp;
  c.fn = true_pairs - c.tp;
  return c;
}

}  // namespace matchguard
