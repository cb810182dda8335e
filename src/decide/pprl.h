// Solving candidate pairs of encodings into links and groups, with anonlink's semantics.
//
// Candidates come from the Dice kernel (src/similarity) for every pair of parties. GreedySolve follows
// anonlink's `greedy_solve` (its probabilistic greedy solver with merge_threshold 1 and
// deduplicated=False): candidates are visited in anonlink's order (similarity descending, then party of
// the first record, party of the second, row of the first, row of the second, all ascending); two groups
// merge only when every cross pair between them has been seen as a candidate, so with two parties it is
// the classic greedy one-to-one matching and with three or more it forms multi-party groups. Group order
// and member order equal anonlink's output for the same candidates (see docs/matching.md).
//
// Thread-safety: pure functions on values; safe to call concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace matchguard::pprl {

struct RecordRef {
  uint32_t party = 0;
  uint32_t row = 0;
  bool operator==(const RecordRef&) const = default;
};

// Scored candidate pairs between records of two different parties, as parallel arrays.
struct ScoredPairs {
  std::vector<double> similarity;
  std::vector<RecordRef> first;
  std::vector<RecordRef> second;

  size_t size() const { return similarity.size(); }
  void Add(double s, RecordRef a, RecordRef b) {
    similarity.push_back(s);
    first.push_back(a);
    second.push_back(b);
  }
};

using Group = std::vector<RecordRef>;

// Reorders `pairs` into anonlink's order (see above). Duplicate pairs are kept.
void SortAnonlinkOrder(ScoredPairs& pairs);

// anonlink's `_enforce_k`: visiting pairs in their current order, keeps a pair only while both of its
// records have been seen in at most k pairs with the other party (every visit counts, kept or not).
// REQUIRES: pairs in anonlink order. k == 0 keeps everything.
ScoredPairs EnforceTopK(const ScoredPairs& pairs, size_t k);

// Groups of two or more records, in anonlink's group and member order. REQUIRES: pairs in anonlink order.
std::vector<Group> GreedySolve(const ScoredPairs& pairs);

}  // namespace matchguard::pprl
