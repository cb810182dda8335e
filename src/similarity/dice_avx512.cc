// AVX-512 VPOPCNTDQ kernel, compiled with -mavx512f/bw/vl/vpopcntdq and reached only through
// AndCountKernel() after CPUID says the CPU has those extensions.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's own AVX-512 headers trip -Wmaybe-uninitialized (their _mm512_undefined_* idiom, GCC bug
// 105593); the warning is about the header, not this file.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#include <time.h>

#include "src/similarity/isa.h"

namespace matchguard::similarity {

namespace {

// Returns {sum(v0), ..., sum(v7)} as eight 64-bit lanes: a transposing reduction tree that costs
// about 2.6 vector operations per vector instead of ~6 for eight separate horizontal sums.
inline __m512i SumEach(__m512i v0, __m512i v1, __m512i v2, __m512i v3, __m512i v4, __m512i v5, __m512i v6, __m512i v7) {
  // Within each 128-bit lane: [v0 pair-sum, v1 pair-sum].
  __m512i t01 = _mm512_add_epi64(_mm512_unpacklo_epi64(v0, v1), _mm512_unpackhi_epi64(v0, v1));
  __m512i t23 = _mm512_add_epi64(_mm512_unpacklo_epi64(v2, v3), _mm512_unpackhi_epi64(v2, v3));
  __m512i t45 = _mm512_add_epi64(_mm512_unpacklo_epi64(v4, v5), _mm512_unpackhi_epi64(v4, v5));
  __m512i t67 = _mm512_add_epi64(_mm512_unpacklo_epi64(v6, v7), _mm512_unpackhi_epi64(v6, v7));
  // 128-bit lanes: [t01 l0+l1, t01 l2+l3, t23 l0+l1, t23 l2+l3].
  __m512i u = _mm512_add_epi64(_mm512_shuffle_i64x2(t01, t23, 0x88), _mm512_shuffle_i64x2(t01, t23, 0xDD));
  __m512i v = _mm512_add_epi64(_mm512_shuffle_i64x2(t45, t67, 0x88), _mm512_shuffle_i64x2(t45, t67, 0xDD));
  // 128-bit lanes: [sums of v0,v1], [v2,v3], [v4,v5], [v6,v7].
  return _mm512_add_epi64(_mm512_shuffle_i64x2(u, v, 0x88), _mm512_shuffle_i64x2(u, v, 0xDD));
}

inline __m512i AndCount(__m512i a, const uint64_t* b) {
  return _mm512_popcnt_epi64(_mm512_and_si512(a, _mm512_load_si512(b)));
}

inline __m512i AndCount256(const uint64_t* a, const uint64_t* b) {
  const __m256i x = _mm256_load_si256(reinterpret_cast<const __m256i*>(a));
  const __m256i y = _mm256_load_si256(reinterpret_cast<const __m256i*>(b));
  return _mm512_zextsi256_si512(_mm256_popcnt_epi64(_mm256_and_si256(x, y)));
}

// Per-row counters (64-bit lanes) of eight b rows counted together.
struct Counts8 {
  __m512i c0, c1, c2, c3, c4, c5, c6, c7;
};

// Adds popcount(a AND b_k) over words [from, to) of the eight rows at bj into s. from and to are multiples
// of 4: 512-bit steps where they fit, a 256-bit step at an odd end (the 3/4 point of a 1024-bit row).
inline void AddRange8(Counts8& s, const uint64_t* a, const uint64_t* bj, size_t words, size_t from, size_t to) {
  auto half = [&](size_t w) {
    s.c0 = _mm512_add_epi64(s.c0, AndCount256(a + w, bj + w));
    s.c1 = _mm512_add_epi64(s.c1, AndCount256(a + w, bj + words + w));
    s.c2 = _mm512_add_epi64(s.c2, AndCount256(a + w, bj + 2 * words + w));
    s.c3 = _mm512_add_epi64(s.c3, AndCount256(a + w, bj + 3 * words + w));
    s.c4 = _mm512_add_epi64(s.c4, AndCount256(a + w, bj + 4 * words + w));
    s.c5 = _mm512_add_epi64(s.c5, AndCount256(a + w, bj + 5 * words + w));
    s.c6 = _mm512_add_epi64(s.c6, AndCount256(a + w, bj + 6 * words + w));
    s.c7 = _mm512_add_epi64(s.c7, AndCount256(a + w, bj + 7 * words + w));
  };
  size_t w = from;
  if (w % 8 != 0 && w < to) {
    half(w);
    w += 4;
  }
  for (; w + 8 <= to; w += 8) {
    const __m512i x = _mm512_load_si512(a + w);
    s.c0 = _mm512_add_epi64(s.c0, AndCount(x, bj + w));
    s.c1 = _mm512_add_epi64(s.c1, AndCount(x, bj + words + w));
    s.c2 = _mm512_add_epi64(s.c2, AndCount(x, bj + 2 * words + w));
    s.c3 = _mm512_add_epi64(s.c3, AndCount(x, bj + 3 * words + w));
    s.c4 = _mm512_add_epi64(s.c4, AndCount(x, bj + 4 * words + w));
    s.c5 = _mm512_add_epi64(s.c5, AndCount(x, bj + 5 * words + w));
    s.c6 = _mm512_add_epi64(s.c6, AndCount(x, bj + 6 * words + w));
    s.c7 = _mm512_add_epi64(s.c7, AndCount(x, bj + 7 * words + w));
  }
  if (w < to) half(w);
}

// The eight row totals of s as 32-bit lanes.
inline __m256i Totals8(const Counts8& s) {
  return _mm512_cvtepi64_epi32(SumEach(s.c0, s.c1, s.c2, s.c3, s.c4, s.c5, s.c6, s.c7));
}

// Appends rows j + k whose lane k of `sums` is at least floor.
inline void Report8(__m256i sums, __m256i floor8, size_t j, uint32_t* hit_rows, uint32_t* hit_counts, size_t& hits) {
  __mmask8 above = _mm256_cmpge_epu32_mask(sums, floor8);
  if (above == 0) return;  // the common case: no store at all
  alignas(32) uint32_t lanes[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), sums);
  while (above != 0) {
    const int k = __builtin_ctz(above);
    above = static_cast<__mmask8>(above & (above - 1));
    hit_rows[hits] = static_cast<uint32_t>(j + static_cast<size_t>(k));
    hit_counts[hits++] = lanes[k];
  }
}

// kFixedWords != 0 compiles the row length in, so the chunk loop unrolls and every b row's address is a
// base plus an immediate offset; the generic version (0) runs short of registers and spills.
template <size_t kFixedWords>
size_t AndCountAvx512Impl(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b,
                          size_t runtime_words, uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts) {
  const size_t words = kFixedWords != 0 ? kFixedWords : runtime_words;
  size_t hits = 0;
  const __m256i floor8 = _mm256_set1_epi32(static_cast<int>(floor));
  size_t j = 0;
  // Partial-count pruning (isa.h): eight rows' head words, then a bound per row; the tail words are
  // counted only when some row of the eight can still reach floor.
  const size_t tail = PruneTailWords(words);
  if (b_tail != nullptr && tail != 0) {
    const __m256i a_tail = _mm256_set1_epi32(static_cast<int>(RowTailPopcount(a, words)));
    const __m512i zero = _mm512_setzero_si512();
    size_t full = 0;  // batches whose tail had to be counted after all
    for (size_t batch = 0; j + 8 <= n_b; j += 8, ++batch) {
      // When the check rarely rules a batch out (low thresholds) it only costs: after 8 batches, if more
      // than half were counted in full, count whole rows for the rest of the call.
      if (batch >= 8 && 2 * full > batch) break;
      const uint64_t* bj = b + j * words;
      Counts8 head{zero, zero, zero, zero, zero, zero, zero, zero};
      AddRange8(head, a, bj, words, 0, words - tail);
      const __m256i head_sums = Totals8(head);
      const __m256i rest = _mm256_min_epu32(a_tail, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b_tail + j)));
      if (_mm256_cmpge_epu32_mask(_mm256_add_epi32(head_sums, rest), floor8) == 0) continue;
      ++full;
      Counts8 rest_counts{zero, zero, zero, zero, zero, zero, zero, zero};
      AddRange8(rest_counts, a, bj, words, words - tail, words);
      Report8(_mm256_add_epi32(head_sums, Totals8(rest_counts)), floor8, j, hit_rows, hit_counts, hits);
    }
  }
  // Eight b rows at a time share each load of the a row, one reduction and one comparison.
  for (; j + 8 <= n_b; j += 8) {
    const uint64_t* bj = b + j * words;
    __m512i x = _mm512_load_si512(a);
    Counts8 s{AndCount(x, bj),
              AndCount(x, bj + words),
              AndCount(x, bj + 2 * words),
              AndCount(x, bj + 3 * words),
              AndCount(x, bj + 4 * words),
              AndCount(x, bj + 5 * words),
              AndCount(x, bj + 6 * words),
              AndCount(x, bj + 7 * words)};
    AddRange8(s, a, bj, words, 8, words);
    Report8(Totals8(s), floor8, j, hit_rows, hit_counts, hits);
  }
  for (; j < n_b; ++j) {
    const uint64_t* bj = b + j * words;
    __m512i c = _mm512_setzero_si512();
    for (size_t w = 0; w < words; w += 8) c = _mm512_add_epi64(c, AndCount(_mm512_load_si512(a + w), bj + w));
    const auto count = static_cast<uint32_t>(_mm512_reduce_add_epi64(c));
    if (count >= floor) {
      hit_rows[hits] = static_cast<uint32_t>(j);
      hit_counts[hits++] = count;
    }
  }
  return hits;
}

}  // namespace

size_t AndCountAvx512(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                      uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts) {
  return DispatchRowWords(words, [&](auto fixed) {
    return AndCountAvx512Impl<decltype(fixed)::value>(a, b, b_tail, n_b, words, floor, hit_rows, hit_counts);
  });
}

double MeasureVpopcntqRate() {
  constexpr int kChains = 12;
  constexpr uint64_t kIterations = uint64_t{1} << 21;
  volatile uint64_t seed = 0x9E3779B97F4A7C15ull;
  __m512i x[kChains];
  for (int k = 0; k < kChains; ++k) x[k] = _mm512_set1_epi64(static_cast<int64_t>(seed + k));
  const double start = ThreadCpuSeconds();
  for (uint64_t it = 0; it < kIterations; ++it) {
    // Each chain feeds its own result back, so the compiler can neither hoist nor fold the popcounts.
    for (int k = 0; k < kChains; ++k) x[k] = _mm512_popcnt_epi64(x[k]);
  }
  const double seconds = ThreadCpuSeconds() - start;
  __m512i sum = _mm512_setzero_si512();
  for (int k = 0; k < kChains; ++k) sum = _mm512_add_epi64(sum, x[k]);
  seed = static_cast<uint64_t>(_mm512_reduce_add_epi64(sum));
  return static_cast<double>(kChains * kIterations) / seconds;
}

}  // namespace matchguard::similarity
