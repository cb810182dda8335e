// Instruction-set selection for the similarity kernels.
//
// The library is built for baseline x86-64; the AVX2 and AVX-512 kernels live in files compiled with their
// own flags (dice_avx2.cc, dice_avx512.cc) and are reached only through the function pointers returned
// here. The CPU is probed once per process; the environment variable MATCHGUARD_FORCE_ISA
// (scalar|avx2|avx512) overrides the choice, which lets tests and benchmarks pin a path and lets a user
// rule out a kernel suspected of a bug.
//
// Thread-safety: all functions may be called from any thread; the probe runs once (static init).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "matchguard/status.h"

namespace matchguard::similarity {

enum class Isa : uint8_t { kScalar, kAvx2, kAvx512 };

// "scalar", "avx2" or "avx512".
std::string_view IsaName(Isa isa);
Result<Isa> ParseIsa(std::string_view name);

// True when this CPU (and its operating system) can run `isa`'s kernel.
bool IsaSupported(Isa isa);
// The best ISA this CPU supports.
Isa DetectIsa();
// The ISA the process uses: MATCHGUARD_FORCE_ISA when set, DetectIsa() otherwise. An override naming an
// unknown or unsupported ISA is an InvalidArgument error (never a silent fallback). Computed once.
Result<Isa> SelectedIsa();

// Compares one row `a` with rows b_0 .. b_{n_b - 1} and reports the rows whose AND-popcount
// c_j = popcount(a AND b_j) is at least `floor`: for each such j, in increasing order,
// hit_rows[k] = j and hit_counts[k] = c_j. Returns the number of hits. Filtering inside the kernel keeps
// the common case (a pair far below the threshold) free of stores. floor == 0 reports every row.
// Rows are `words` 64-bit words apart and `words` is a multiple of 8 (64-byte rows, zero padding); `a`
// and `b` are 64-byte aligned; hit_rows and hit_counts hold n_b entries.
//
// b_tail (optional, may be null) enables partial-count pruning: b_tail[j] = RowTailPopcount(b_j, words),
// n_b entries. A kernel that uses it counts the first words - PruneTailWords(words) words of a batch of
// rows, and skips the rest when for every row of the batch common_so_far + min(tail(a), b_tail[j]) < floor
// (the final count cannot reach `floor`, so the row would not be reported anyway). The result is the same
// with and without b_tail; only the amount of work differs. Kernels may ignore it (scalar, POPCNT).
using AndCountFn = size_t (*)(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                              uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts);

// Words at the end of a `words`-word row that partial-count pruning leaves uncounted until the check: a
// quarter of the row, rounded down to whole 256-bit chunks (so 0, no pruning, for 512-bit rows; 4 words
// for 1024 bits). A quarter because on random rows at threshold 0.7 the bound after 3/4 of the row rules
// out nearly every pair while after 1/2 it rules out almost none (bench/dice/README.md).
constexpr size_t PruneTailWords(size_t words) { return words / 4 / 4 * 4; }

// Calls impl(std::integral_constant<size_t, W>{}) with W = `words` for the common row lengths (512, 1024,
// 2048 and 4096 bits: 8, 16, 32, 64 words) and W = 0 otherwise, so a SIMD kernel can compile its row
// length in (unrolled loops, immediate offsets) and keep a generic version for the rest.
template <typename Impl>
size_t DispatchRowWords(size_t words, Impl&& impl) {
  switch (words) {
    case 8:
      return impl(std::integral_constant<size_t, 8>{});
    case 16:
      return impl(std::integral_constant<size_t, 16>{});
    case 32:
      return impl(std::integral_constant<size_t, 32>{});
    case 64:
      return impl(std::integral_constant<size_t, 64>{});
    default:
      return impl(std::integral_constant<size_t, 0>{});
  }
}

// The kernel for `isa`. REQUIRES: IsaSupported(isa).
AndCountFn AndCountKernel(Isa isa);

// The individual kernels, exposed for cross-ISA tests and the benchmark. The AVX2 ISA has two: POPCNT
// on 64-bit words (4 accumulators) and the vpshufb nibble-table count (Mula); AndCountKernel(kAvx2)
// returns the faster on the development machine (see docs/matching.md for the measurement).
size_t AndCountScalar(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                      uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts);
size_t AndCountAvx2Popcnt(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                          uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts);
size_t AndCountAvx2Shuffle(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                           uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts);
size_t AndCountAvx512(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                      uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts);

// Peak rate (instructions per second, one core) of `isa`'s popcount instruction: POPCNT r64 for avx2,
// VPOPCNTQ zmm for avx512, measured by twelve independent register-only chains for about 50 ms of this
// thread's CPU time (so other processes sharing the core do not distort it). 0 for scalar, which has no
// popcount instruction in baseline x86-64.
double MeasurePopcountRate(Isa isa);
// Popcount instructions one comparison of two `words`-word rows needs on `isa` (0 for scalar).
double PopcountsPerComparison(Isa isa, size_t words);
double MeasurePopcntRate();    // in dice_avx2.cc
double MeasureVpopcntqRate();  // in dice_avx512.cc

// CPU time consumed by the calling thread, in seconds.
double ThreadCpuSeconds();

// popcount of one row of `words` words, portable.
uint32_t RowPopcount(const uint64_t* row, size_t words);
// popcount of the last PruneTailWords(words) words of a row: the b_tail entry of AndCountFn.
inline uint32_t RowTailPopcount(const uint64_t* row, size_t words) {
  const size_t tail = PruneTailWords(words);
  return RowPopcount(row + (words - tail), tail);
}

}  // namespace matchguard::similarity
