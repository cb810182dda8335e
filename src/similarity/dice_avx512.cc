// AVX-512 VPOPCNTDQ kernel, compiled with -mavx512f/bw/vl/vpopcntdq and reached only through
// AndCountKernel() after CPUID says the CPU has those extensions.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's own AVX-512 headers trip -Wmaybe-uninitialized (their _mm512_undefined_* idiom, GCC bug
// 105593); the warning is about the header, not this file.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "src/similarity/isa.h"

namespace matchguard::similarity {

namespace {

// Returns {sum(v0), ..., sum(v7)} as eight 64-bit lanes: a transposing reduction tree that costs
// about 2.6 vector operations per vector instead of ~6 for eight separate horizontal sums.
inline __m512i SumEach(__m512i v0, __m512i v1, __m512i v2, __m512i v3, __m512i v4, __m512i v5, __m512i v6,
                       __m512i v7) {
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

}  // namespace

void AndCountAvx512(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                    uint32_t* counts) {
  for (size_t i = 0; i < n_a; ++i) {
    const uint64_t* ai = a + i * words;
    uint32_t* out = counts + i * n_b;
    size_t j = 0;
    // Eight b rows at a time share each load of the a row and one reduction.
    for (; j + 8 <= n_b; j += 8) {
      const uint64_t* bj = b + j * words;
      __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
      for (size_t w = 0; w < words; w += 8) {
        __m512i x = _mm512_load_si512(ai + w);
        c0 = _mm512_add_epi64(c0, AndCount(x, bj + w));
        c1 = _mm512_add_epi64(c1, AndCount(x, bj + words + w));
        c2 = _mm512_add_epi64(c2, AndCount(x, bj + 2 * words + w));
        c3 = _mm512_add_epi64(c3, AndCount(x, bj + 3 * words + w));
        c4 = _mm512_add_epi64(c4, AndCount(x, bj + 4 * words + w));
        c5 = _mm512_add_epi64(c5, AndCount(x, bj + 5 * words + w));
        c6 = _mm512_add_epi64(c6, AndCount(x, bj + 6 * words + w));
        c7 = _mm512_add_epi64(c7, AndCount(x, bj + 7 * words + w));
      }
      __m256i sums = _mm512_cvtepi64_epi32(SumEach(c0, c1, c2, c3, c4, c5, c6, c7));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j), sums);
    }
    for (; j < n_b; ++j) {
      const uint64_t* bj = b + j * words;
      __m512i c = _mm512_setzero_si512();
      for (size_t w = 0; w < words; w += 8) c = _mm512_add_epi64(c, AndCount(_mm512_load_si512(ai + w), bj + w));
      out[j] = static_cast<uint32_t>(_mm512_reduce_add_epi64(c));
    }
  }
}

}  // namespace matchguard::similarity
