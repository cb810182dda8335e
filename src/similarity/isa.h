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

// For every i < n_a and j < n_b: counts[i * n_b + j] = popcount(a_i AND b_j).
// Rows are `words` 64-bit words apart and `words` is a multiple of 8 (64-byte rows, padding zero). `a`
// and `b` must be 64-byte aligned.
using AndCountFn = void (*)(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                            uint32_t* counts);

// The kernel for `isa`. REQUIRES: IsaSupported(isa).
AndCountFn AndCountKernel(Isa isa);

// The individual kernels, exposed for cross-ISA tests and the benchmark. The AVX2 ISA has two: POPCNT
// on 64-bit words (4 accumulators) and the vpshufb nibble-table count (Mula); AndCountKernel(kAvx2)
// returns the faster on the development machine (see docs/matching.md for the measurement).
void AndCountScalar(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                    uint32_t* counts);
void AndCountAvx2Popcnt(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                        uint32_t* counts);
void AndCountAvx2Shuffle(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                         uint32_t* counts);
void AndCountAvx512(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                    uint32_t* counts);

// popcount of one row of `words` words, portable.
uint32_t RowPopcount(const uint64_t* row, size_t words);

}  // namespace matchguard::similarity
