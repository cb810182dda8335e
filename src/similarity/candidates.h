// Candidate generation over bit-vector encodings: every (left, right) pair whose Dice coefficient
// 2|A AND B| / (|A| + |B|) reaches a threshold, optionally only the k best per left row.
//
// FindCandidates is exact: it returns the same pairs and the same double similarities as the brute-force
// scalar BruteForceCandidates, on any ISA. It is fast because (1) the right side is sorted by popcount, so
// for each left row only the popcount band that can reach the threshold is compared (a pair with
// popcounts p, q cannot beat 2 min(p,q) / (p+q)); (2) the right side is processed in tiles that stay in
// the L2 cache while a block of left rows streams past; (3) the AND-popcount inner loop runs in the best
// SIMD kernel the CPU has (isa.h), which stops counting a batch of rows after 3/4 of the row when no
// pair in it can still reach the threshold (partial-count pruning, exact); (4) blocks of left rows run in
// parallel on oneTBB.
//
// Thread-safety: the functions are reentrant; FindCandidates uses up to `threads` worker threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "matchguard/status.h"
#include "src/similarity/bit_matrix.h"
#include "src/similarity/isa.h"

namespace matchguard::similarity {

// Pairs sorted by left row, then right row. Row numbers are positions in the inputs.
struct CandidatePairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
  std::vector<double> similarity;

  size_t size() const { return left.size(); }
  bool operator==(const CandidatePairs&) const = default;
};

struct CandidateOptions {
  double threshold = 0.8;  // keep pairs with Dice >= threshold; in (0, 1]
  size_t top_k = 0;        // 0: every pair; else the k most similar per left row (ties: lower right row)
  std::optional<Isa> isa;  // unset: SelectedIsa()
  int threads = 0;         // 0: every core oneTBB offers
  // Most pairs kept (0: no cap). Past it the search stops and fails with InvalidArgument naming the cap,
  // rather than allocating until memory runs out (20k x 20k near-identical encodings are 4e8 pairs).
  uint64_t max_pairs = 0;
};

// Memory one kept candidate costs while the result is assembled (the hit and the output columns).
inline constexpr uint64_t kBytesPerCandidate = 32;

struct CandidateStats {
  Isa isa = Isa::kScalar;
  int threads = 0;
  uint64_t pairs_total = 0;   // left.count * right.count: the comparisons the result stands for
  uint64_t pairs_scored = 0;  // pairs the kernel actually counted after popcount pruning
};

// Dice coefficient of two rows of `words` words; 0 when both are empty (as anonlink defines it).
double Dice(const uint64_t* a, const uint64_t* b, size_t words);
// The Dice value for an AND-popcount `common` and popcount sum `sum`, computed the one way every path uses.
inline double DiceFromCounts(uint32_t common, uint32_t sum) {
  return sum == 0 ? 0.0 : 2.0 * static_cast<double>(common) / static_cast<double>(sum);
}

// Checks that two views can be compared (same bit length, 64-byte rows) and the options are valid.
Status ValidateCandidateInputs(const BitMatrixView& left, const BitMatrixView& right, const CandidateOptions& options);

Result<CandidatePairs> FindCandidates(const BitMatrixView& left, const BitMatrixView& right,
                                      const CandidateOptions& options, CandidateStats* stats = nullptr);

// Scores the given pairs (from blocking) exactly as FindCandidates would and keeps those reaching the
// threshold (then the top k per left row). REQUIRES: pair_left sorted ascending (pairs grouped by left row),
// every index within its side.
Result<CandidatePairs> ScorePairs(const BitMatrixView& left, const BitMatrixView& right,
                                  const std::vector<uint32_t>& pair_left, const std::vector<uint32_t>& pair_right,
                                  const CandidateOptions& options, CandidateStats* stats = nullptr);

// The reference: all pairs, scalar, one thread. For tests and the benchmark's verification.
CandidatePairs BruteForceCandidates(const BitMatrixView& left, const BitMatrixView& right, double threshold,
                                    size_t top_k = 0);

}  // namespace matchguard::similarity
