#include "src/similarity/candidates.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>

namespace matchguard::similarity {

namespace {

struct Hit {
  uint32_t left;
  uint32_t right;
  double similarity;
};

// Best first: higher similarity, then the lower right row.
bool BetterHit(const Hit& x, const Hit& y) {
  return x.similarity != y.similarity ? x.similarity > y.similarity : x.right < y.right;
}

// Keeps only the k best hits of one left row, then restores right-row order.
void KeepTopK(std::vector<Hit>& hits, size_t begin, size_t k) {
  auto first = hits.begin() + static_cast<std::ptrdiff_t>(begin);
  if (k > 0 && hits.end() - first > static_cast<std::ptrdiff_t>(k)) {
    std::nth_element(first, first + static_cast<std::ptrdiff_t>(k) - 1, hits.end(), BetterHit);
    hits.resize(begin + k);
    first = hits.begin() + static_cast<std::ptrdiff_t>(begin);
  }
  std::sort(first, hits.end(), [](const Hit& x, const Hit& y) { return x.right < y.right; });
}

// min_common[s]: the smallest AND-popcount c with DiceFromCounts(c, s) >= threshold (bits + 1 when
// none). Derived from the very expression used to score, so pruning never disagrees with scoring.
std::vector<uint32_t> MinCommonTable(uint32_t bits, double threshold) {
  std::vector<uint32_t> table(2 * static_cast<size_t>(bits) + 1);
  for (uint32_t s = 0; s <= 2 * bits; ++s) {
    // Start just below the real-valued answer and walk up: at most a few steps.
    auto c = static_cast<uint32_t>(std::max(0.0, std::floor(threshold * s / 2.0) - 1.0));
    while (c <= s / 2 && DiceFromCounts(c, s) < threshold) ++c;
    table[s] = c <= s / 2 ? c : bits + 1;
  }
  return table;
}

// The right side, reordered by popcount so a popcount band is a contiguous run of rows.
struct SortedSide {
  BitMatrix rows;
  std::vector<uint32_t> original;       // sorted position -> input row
  std::vector<uint32_t> popcount;       // per sorted position
  std::vector<uint32_t> tail_popcount;  // per sorted position: RowTailPopcount, for the kernel's pruning
  std::vector<uint32_t> first_with;     // first_with[p]: first sorted position whose popcount >= p; size bits+2
};

SortedSide SortByPopcount(const BitMatrixView& side) {
  SortedSide out;
  const size_t words = side.words();
  std::vector<uint32_t> pops(side.count);
  for (size_t i = 0; i < side.count; ++i) pops[i] = RowPopcount(side.row(i), words);
  out.original.resize(side.count);
  std::iota(out.original.begin(), out.original.end(), 0u);
  std::stable_sort(out.original.begin(), out.original.end(), [&](uint32_t x, uint32_t y) { return pops[x] < pops[y]; });
  out.rows = BitMatrix(side.count, side.bits);
  out.popcount.resize(side.count);
  out.tail_popcount.resize(side.count);
  for (size_t k = 0; k < side.count; ++k) {
    std::memcpy(out.rows.mutable_row(k), side.row(out.original[k]), side.stride_bytes);
    out.popcount[k] = pops[out.original[k]];
    out.tail_popcount[k] = RowTailPopcount(out.rows.row(k), words);
  }
  out.first_with.resize(static_cast<size_t>(side.bits) + 2);
  for (uint32_t p = 0; p <= side.bits + 1; ++p) {
    out.first_with[p] =
        static_cast<uint32_t>(std::lower_bound(out.popcount.begin(), out.popcount.end(), p) - out.popcount.begin());
  }
  return out;
}

// For a left popcount p: the band [lo, hi] of right popcounts that can reach the threshold, or lo > hi.
struct Band {
  uint32_t lo = 1;
  uint32_t hi = 0;
};

std::vector<Band> PopcountBands(uint32_t bits, const std::vector<uint32_t>& min_common) {
  std::vector<Band> bands(static_cast<size_t>(bits) + 1);
  // A pair can qualify only if min(p, q) >= min_common[p + q]. For fixed p the bound 2 min(p,q)/(p+q)
  // rises with q up to q = p and falls after it, so the feasible q form an interval around p: grow it
  // outward from p instead of testing every q.
  auto feasible = [&](uint32_t p, uint32_t q) { return std::min(p, q) >= min_common[p + q]; };
  for (uint32_t p = 0; p <= bits; ++p) {
    Band& band = bands[p];
    if (!feasible(p, p)) continue;  // only p == 0 (Dice of empty rows is 0), or t == 1 with nothing else
    band.lo = band.hi = p;
    while (band.lo > 0 && feasible(p, band.lo - 1)) --band.lo;
    while (band.hi < bits && feasible(p, band.hi + 1)) ++band.hi;
  }
  return bands;
}

// Shared by the blocks of one run: the pairs kept so far against the cap, so that a run whose candidates
// would not fit stops early instead of growing until memory runs out.
class PairBudget {
 public:
  explicit PairBudget(uint64_t cap) : cap_(cap) {}
  // Counts `n` more pairs; false once the total passes the cap (never with no cap).
  bool Take(uint64_t n) { return cap_ == 0 || (used_ += n) <= cap_; }
  bool exhausted() const { return cap_ != 0 && used_.load() > cap_; }

 private:
  const uint64_t cap_;
  std::atomic<uint64_t> used_{0};
};

Status OverBudget(const CandidateOptions& options) {
  return Status::InvalidArgument(fmt::format(
      "more than {} candidate pairs reach Dice {}: the cap on candidate pairs (about {} bytes each in memory) was "
      "reached before they were all kept",
      options.max_pairs, options.threshold, kBytesPerCandidate));
}

struct Plan {
  const BitMatrixView* left;
  const SortedSide* right;
  std::vector<uint32_t> left_popcount;
  std::vector<uint32_t> min_common;
  // floor_from[s] = min(min_common[s..]): for a run of right rows sorted by popcount, the requirement no
  // pair in the run can get below, given the smallest popcount sum in the run.
  std::vector<uint32_t> floor_from;
  std::vector<Band> bands;
  AndCountFn kernel;
  size_t top_k;
  size_t tile_rows;
  PairBudget* budget;
};

// Scores left rows [begin, end) against the whole right side, appending hits in left-row order.
uint64_t ScoreLeftBlock(const Plan& plan, size_t begin, size_t end, std::vector<Hit>& hits) {
  const BitMatrixView& left = *plan.left;
  const SortedSide& right = *plan.right;
  const size_t words = left.words();
  const size_t n_right = right.original.size();
  std::vector<uint32_t> hit_rows(plan.tile_rows), hit_counts(plan.tile_rows);
  // Per left row in the block: its hits so far (top-k and ordering are applied at the end).
  std::vector<std::vector<Hit>> row_hits(end - begin);
  uint64_t scored = 0;
  uint64_t kept = 0;  // hits of this block so far (before top-k)
  for (size_t tile = 0; tile < n_right; tile += plan.tile_rows) {
    if (plan.budget->exhausted()) return scored;
    const size_t tile_end = std::min(n_right, tile + plan.tile_rows);
    for (size_t i = begin; i < end; ++i) {
      const uint32_t pa = plan.left_popcount[i];
      const Band band = plan.bands[pa];
      if (band.lo > band.hi) continue;
      const size_t lo = std::max<size_t>(tile, right.first_with[band.lo]);
      const size_t hi = std::min<size_t>(tile_end, right.first_with[band.hi + 1]);
      if (lo >= hi) continue;
      scored += hi - lo;
      // The kernel drops pairs below the run's weakest requirement (most of them); the survivors get
      // the exact test for their own popcount sum. The run is cut into groups of kPopcountGroup right
      // popcounts so that requirement, which the kernel's partial-count pruning tests against, stays
      // within ~3 of each row's own. With one floor for the whole band (its weakest requirement), a normal
      // estimate leaves ~30% of random 1024-bit batches above the bound at threshold 0.7, and pruning
      // measurably paid nothing in `bench dice`.
      constexpr uint32_t kPopcountGroup = 8;
      for (size_t run = lo; run < hi;) {
        const uint32_t q = right.popcount[run];
        const size_t run_end =
            std::min<size_t>(hi, right.first_with[std::min<size_t>(q + kPopcountGroup, right.first_with.size() - 1)]);
        const uint32_t floor = plan.floor_from[pa + q];
        const size_t found = plan.kernel(left.row(i), right.rows.row(run), right.tail_popcount.data() + run,
                                         run_end - run, words, floor, hit_rows.data(), hit_counts.data());
        for (size_t h = 0; h < found; ++h) {
          const size_t j = run + hit_rows[h];
          const uint32_t sum = pa + right.popcount[j];
          if (hit_counts[h] >= plan.min_common[sum]) {
            row_hits[i - begin].push_back(
                {static_cast<uint32_t>(i), right.original[j], DiceFromCounts(hit_counts[h], sum)});
          }
        }
        run = run_end;
      }
    }
    // Without top-k every hit is kept, so the budget is charged as hits come; with top-k, once per block.
    if (plan.top_k == 0) {
      uint64_t now = 0;
      for (const auto& row : row_hits) now += row.size();
      if (!plan.budget->Take(now - kept)) return scored;
      kept = now;
    }
  }
  uint64_t kept_after_top_k = 0;
  for (auto& row : row_hits) {
    if (row.empty()) continue;
    KeepTopK(row, 0, plan.top_k);
    kept_after_top_k += row.size();
    hits.insert(hits.end(), row.begin(), row.end());
  }
  if (plan.top_k > 0) (void)plan.budget->Take(kept_after_top_k);
  return scored;
}

}  // namespace

double Dice(const uint64_t* a, const uint64_t* b, size_t words) {
  uint32_t common = 0, sum = 0;
  for (size_t w = 0; w < words; ++w) {
    common += static_cast<uint32_t>(std::popcount(a[w] & b[w]));
    sum += static_cast<uint32_t>(std::popcount(a[w]) + std::popcount(b[w]));
  }
  return DiceFromCounts(common, sum);
}

Status ValidateCandidateInputs(const BitMatrixView& left, const BitMatrixView& right, const CandidateOptions& options) {
  if (!(options.threshold > 0.0 && options.threshold <= 1.0)) {
    return Status::InvalidArgument("threshold " + std::to_string(options.threshold) + " is outside (0, 1]");
  }
  if (left.bits != right.bits) {
    return Status::InvalidArgument("encodings have different lengths: " + std::to_string(left.bits) + " bits and " +
                                   std::to_string(right.bits) + " bits");
  }
  for (const BitMatrixView* side : {&left, &right}) {
    if (side->stride_bytes % kRowAlignBytes != 0 || side->stride_bytes * 8 < side->bits ||
        reinterpret_cast<uintptr_t>(side->data) % kRowAlignBytes != 0) {
      return Status::Internal("bit matrix rows are not 64-byte aligned and padded");
    }
  }
  if (left.stride_bytes != right.stride_bytes) {
    return Status::Internal("bit matrices of equal bit length have different row strides");
  }
  if (left.count > UINT32_MAX || right.count > UINT32_MAX) {
    return Status::InvalidArgument("more than 2^32 - 1 encodings on one side");
  }
  return Status::Ok();
}

Result<CandidatePairs> FindCandidates(const BitMatrixView& left, const BitMatrixView& right,
                                      const CandidateOptions& options, CandidateStats* stats) {
  MG_RETURN_IF_ERROR(ValidateCandidateInputs(left, right, options));
  Isa isa;
  if (options.isa.has_value()) {
    isa = *options.isa;
    if (!IsaSupported(isa)) {
      return Error(Status::InvalidArgument("this CPU does not support the " + std::string(IsaName(isa)) + " kernel"));
    }
  } else {
    MG_ASSIGN_OR_RETURN(isa, SelectedIsa());
  }
  const SortedSide sorted = SortByPopcount(right);
  Plan plan{&left,         &sorted, {},     MinCommonTable(left.bits, options.threshold), {}, {}, AndCountKernel(isa),
            options.top_k, 0,       nullptr};
  plan.floor_from = plan.min_common;
  for (size_t s = plan.floor_from.size() - 1; s-- > 0;) {
    plan.floor_from[s] = std::min(plan.floor_from[s], plan.floor_from[s + 1]);
  }
  plan.bands = PopcountBands(left.bits, plan.min_common);
  plan.left_popcount.resize(left.count);
  for (size_t i = 0; i < left.count; ++i) plan.left_popcount[i] = RowPopcount(left.row(i), left.words());
  // A right tile of about 256 KiB stays in L2 (1 MiB per core on Zen 4, 512 KiB on Zen 3).
  plan.tile_rows = std::max<size_t>(64, (512 * 1024) / left.stride_bytes);
  PairBudget budget(options.max_pairs);
  plan.budget = &budget;

  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  constexpr size_t kBlockRows = 32;
  const size_t blocks = (left.count + kBlockRows - 1) / kBlockRows;
  std::vector<std::vector<Hit>> block_hits(blocks);
  std::vector<uint64_t> block_scored(blocks, 0);
  arena.execute([&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, blocks), [&](const tbb::blocked_range<size_t>& r) {
      for (size_t b = r.begin(); b != r.end(); ++b) {
        block_scored[b] =
            ScoreLeftBlock(plan, b * kBlockRows, std::min(left.count, (b + 1) * kBlockRows), block_hits[b]);
      }
    });
  });

  if (budget.exhausted()) return Error(OverBudget(options));
  CandidatePairs out;
  size_t total = 0;
  for (const auto& h : block_hits) total += h.size();
  out.left.reserve(total);
  out.right.reserve(total);
  out.similarity.reserve(total);
  uint64_t scored = 0;
  for (size_t b = 0; b < blocks; ++b) {
    scored += block_scored[b];
    for (const Hit& h : block_hits[b]) {
      out.left.push_back(h.left);
      out.right.push_back(h.right);
      out.similarity.push_back(h.similarity);
    }
  }
  if (stats != nullptr) {
    stats->isa = isa;
    stats->threads = threads;
    stats->pairs_total = static_cast<uint64_t>(left.count) * right.count;
    stats->pairs_scored = scored;
  }
  return out;
}

Result<CandidatePairs> ScorePairs(const BitMatrixView& left, const BitMatrixView& right,
                                  const std::vector<uint32_t>& pair_left, const std::vector<uint32_t>& pair_right,
                                  const CandidateOptions& options, CandidateStats* stats) {
  MG_RETURN_IF_ERROR(ValidateCandidateInputs(left, right, options));
  if (pair_left.size() != pair_right.size()) return Error(Status::Internal("pair arrays of different sizes"));
  Isa isa;
  MG_ASSIGN_OR_RETURN(isa, options.isa.has_value() ? Result<Isa>(*options.isa) : SelectedIsa());
  if (!IsaSupported(isa)) {
    return Error(Status::InvalidArgument("this CPU does not support the " + std::string(IsaName(isa)) + " kernel"));
  }
  const AndCountFn kernel = AndCountKernel(isa);
  const size_t words = left.words();
  std::vector<uint32_t> right_pop(right.count);
  for (size_t j = 0; j < right.count; ++j) right_pop[j] = RowPopcount(right.row(j), words);
  // Chunks of about kChunkPairs pairs, cut at left-row boundaries so top-k sees a whole row, scored in
  // parallel and concatenated in order (so the result does not depend on the thread count).
  constexpr size_t kChunkPairs = 1 << 16;
  std::vector<size_t> cuts = {0};
  while (cuts.back() < pair_left.size()) {
    size_t end = std::min(pair_left.size(), cuts.back() + kChunkPairs);
    while (end < pair_left.size() && pair_left[end] == pair_left[end - 1]) ++end;
    cuts.push_back(end);
  }
  std::vector<std::vector<Hit>> chunk_hits(cuts.size() - 1);
  PairBudget budget(options.max_pairs);
  const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, chunk_hits.size(), [&](size_t c) {
      std::vector<Hit> row;
      for (size_t k = cuts[c]; k < cuts[c + 1];) {
        const uint32_t i = pair_left[k];
        const uint32_t pa = RowPopcount(left.row(i), words);
        row.clear();
        for (; k < cuts[c + 1] && pair_left[k] == i; ++k) {
          const uint32_t j = pair_right[k];
          uint32_t hit_row = 0, common = 0;
          kernel(left.row(i), right.row(j), nullptr, 1, words, 0, &hit_row, &common);
          const double s = DiceFromCounts(common, pa + right_pop[j]);
          if (s >= options.threshold) row.push_back({i, j, s});
        }
        KeepTopK(row, 0, options.top_k);
        if (!budget.Take(row.size())) return;
        chunk_hits[c].insert(chunk_hits[c].end(), row.begin(), row.end());
      }
    });
  });
  if (budget.exhausted()) return Error(OverBudget(options));
  CandidatePairs out;
  for (const auto& hits : chunk_hits) {
    for (const Hit& h : hits) {
      out.left.push_back(h.left);
      out.right.push_back(h.right);
      out.similarity.push_back(h.similarity);
    }
  }
  if (stats != nullptr) {
    stats->isa = isa;
    stats->threads = threads;
    stats->pairs_total = pair_left.size();
    stats->pairs_scored = pair_left.size();
  }
  return out;
}

CandidatePairs BruteForceCandidates(const BitMatrixView& left, const BitMatrixView& right, double threshold,
                                    size_t top_k) {
  CandidatePairs out;
  for (size_t i = 0; i < left.count; ++i) {
    std::vector<Hit> row;
    for (size_t j = 0; j < right.count; ++j) {
      double s = Dice(left.row(i), right.row(j), left.words());
      if (s >= threshold) row.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(j), s});
    }
    KeepTopK(row, 0, top_k);
    for (const Hit& h : row) {
      out.left.push_back(h.left);
      out.right.push_back(h.right);
      out.similarity.push_back(h.similarity);
    }
  }
  return out;
}

}  // namespace matchguard::similarity
