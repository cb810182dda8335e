// Kernel micro-benchmarks: AND-popcount of one row against a cache-resident tile of 2048 rows, per ISA
// kernel and bit length (items = comparisons), and the whole candidate search. Each run checks its
// counts against the scalar kernel once, so a fast wrong kernel cannot report a figure.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "src/similarity/candidates.h"

namespace matchguard::similarity {
namespace {

constexpr size_t kTileRows = 2048;

void RunKernel(benchmark::State& state, AndCountFn fn, Isa isa, bool prune) {
  if (!IsaSupported(isa)) {
    state.SkipWithError("ISA not supported on this CPU");
    return;
  }
  const auto bits = static_cast<uint32_t>(state.range(0));
  std::mt19937_64 rng(1);
  BitMatrix a = BitMatrix::Random(1, bits, rng);
  BitMatrix b = BitMatrix::Random(kTileRows, bits, rng);
  const size_t words = a.stride_bytes() / 8;
  std::vector<uint32_t> tails(kTileRows);
  for (size_t j = 0; j < kTileRows; ++j) tails[j] = RowTailPopcount(b.row(j), words);
  const uint32_t* b_tail = prune ? tails.data() : nullptr;
  std::vector<uint32_t> rows(kTileRows), counts(kTileRows), want_rows(kTileRows), want(kTileRows);
  // Floor 0 makes every kernel report every count, to check it against the scalar reference once.
  AndCountScalar(a.row(0), b.row(0), nullptr, kTileRows, words, 0, want_rows.data(), want.data());
  fn(a.row(0), b.row(0), b_tail, kTileRows, words, 0, rows.data(), counts.data());
  if (counts != want) {
    state.SkipWithError("kernel disagrees with the scalar reference");
    return;
  }
  // The timed case: a floor no random pair reaches (the threshold-0.7 situation), so nothing is stored.
  const uint32_t floor = static_cast<uint32_t>(0.35 * bits);
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn(a.row(0), b.row(0), b_tail, kTileRows, words, floor, rows.data(), counts.data()));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kTileRows));
}

// The *Prune variants pass the tail popcounts (as FindCandidates does); the others count whole rows.
void BM_KernelScalar(benchmark::State& s) { RunKernel(s, &AndCountScalar, Isa::kScalar, false); }
void BM_KernelAvx2Popcnt(benchmark::State& s) { RunKernel(s, &AndCountAvx2Popcnt, Isa::kAvx2, false); }
void BM_KernelAvx2Shuffle(benchmark::State& s) { RunKernel(s, &AndCountAvx2Shuffle, Isa::kAvx2, false); }
void BM_KernelAvx2ShufflePrune(benchmark::State& s) { RunKernel(s, &AndCountAvx2Shuffle, Isa::kAvx2, true); }
void BM_KernelAvx512(benchmark::State& s) { RunKernel(s, &AndCountAvx512, Isa::kAvx512, false); }
void BM_KernelAvx512Prune(benchmark::State& s) { RunKernel(s, &AndCountAvx512, Isa::kAvx512, true); }
BENCHMARK(BM_KernelScalar)->Arg(1024);
BENCHMARK(BM_KernelAvx2Popcnt)->Arg(512)->Arg(1024)->Arg(2048);
BENCHMARK(BM_KernelAvx2Shuffle)->Arg(512)->Arg(1024)->Arg(2048);
BENCHMARK(BM_KernelAvx2ShufflePrune)->Arg(1024)->Arg(2048);
BENCHMARK(BM_KernelAvx512)->Arg(512)->Arg(1024)->Arg(2048);
BENCHMARK(BM_KernelAvx512Prune)->Arg(1024)->Arg(2048);

// The whole search, one thread, anonlink-like random rows with a few exact copies.
void BM_FindCandidates(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(2);
  BitMatrix left = BitMatrix::Random(n, 1024, rng);
  BitMatrix right = BitMatrix::Random(n, 1024, rng);
  CandidatePairs want = BruteForceCandidates(left.view(), right.view(), 0.7);
  size_t found = 0;
  for (auto _ : state) {
    auto got = FindCandidates(left.view(), right.view(), {0.7, 0, std::nullopt, 1});
    if (!got.has_value() || !(*got == want)) {
      state.SkipWithError("FindCandidates disagrees with brute force");
      return;
    }
    found = got->size();
  }
  state.counters["candidates"] = static_cast<double>(found);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n * n));
}
BENCHMARK(BM_FindCandidates)->Arg(2000);

}  // namespace
}  // namespace matchguard::similarity
