// Quality measures for linkage, deduplication and blocking: precision, recall and F1 over sets of record
// pairs or over clusterings, pairs completeness and reduction ratio.
//
// Records are identified by dense row indices (uint32). A pair set is two parallel arrays, the shape of
// block's CandidatePairs, so `PairsCompleteness(ViewOf(candidates), ViewOf(truth))` works on it directly.
// Clusterings are compared pairwise through cluster intersection counts (sum of C(n, 2)), never by listing
// the pairs of a cluster, so a cluster of a million records costs a million steps, not 5e11.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace matchguard {

struct Confusion {
  uint64_t tp = 0;
  uint64_t fp = 0;
  uint64_t fn = 0;
};

// Each ratio is 0 when its denominator is 0 (no predictions, or no true pairs).
struct Scores {
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
};
Scores ScoresOf(const Confusion& confusion);

// Pairs (left[i], right[i]) given by row index. REQUIRES: left.size() == right.size().
struct PairView {
  std::span<const uint32_t> left;
  std::span<const uint32_t> right;
};
// Views any struct holding `left` and `right` vectors of uint32_t (for example block's CandidatePairs).
template <typename Pairs>
PairView ViewOf(const Pairs& pairs) {
  return PairView{pairs.left, pairs.right};
}

// A pair packed into one integer: left index in the high half, right index in the low half.
inline uint64_t PairKey(uint32_t left, uint32_t right) { return (uint64_t{left} << 32) | right; }

// Share of the distinct true pairs that appear among the candidates (blocking recall). Duplicate pairs on
// either side count once. Returns 1 when there are no true pairs (nothing can be missed).
double PairsCompleteness(PairView candidates, PairView truth);

// 1 - candidates / all possible pairs: n_left * n_right for linkage, or n_left * (n_left - 1) / 2 for
// deduplication (pass n_right == 0). Returns 0 when there are no possible pairs.
double ReductionRatio(uint64_t num_candidates, uint64_t n_left, uint64_t n_right);

// Compares two sets of packed pairs; duplicates within either set count once. Sorts its arguments.
Confusion ComparePairSets(std::vector<uint64_t> predicted, std::vector<uint64_t> truth);

// Label of each record in a clustering; kNoCluster for a record the clustering does not list (a singleton).
inline constexpr uint32_t kNoCluster = UINT32_MAX;

// Pairwise comparison of two clusterings of the same records (index i is the same record in both).
// A pair is predicted when both records share a predicted label, true when they share a true label.
// REQUIRES: predicted.size() == truth.size().
Confusion CompareClusterings(std::span<const uint32_t> predicted, std::span<const uint32_t> truth);

// Scores predicted pairs against truth given as labels: pair (l, r) is true when left_label[l] ==
// right_label[r] != kNoCluster. `true_pairs` is the number of true pairs (the caller knows it from the label
// counts). With `unordered`, (a, b) and (b, a) are one pair and (a, a) is ignored (deduplication within one
// file, where left_label and right_label are the same labels). Duplicates count once. Sorts `predicted`.
Confusion ComparePairsToLabels(std::vector<uint64_t> predicted, std::span<const uint32_t> left_label,
                               std::span<const uint32_t> right_label, uint64_t true_pairs, bool unordered);

// Number of pairs within clusters: the sum over labels of C(count, 2) (kNoCluster entries ignored).
uint64_t PairsWithinClusters(std::span<const uint32_t> labels);
// Number of pairs (l, r) with left_label[l] == right_label[r] != kNoCluster.
uint64_t PairsAcrossClusters(std::span<const uint32_t> left_label, std::span<const uint32_t> right_label);

}  // namespace matchguard
