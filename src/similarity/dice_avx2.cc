// AVX2-era kernels, compiled with -mavx2 -mpopcnt and reached only through AndCountKernel().
#include <immintrin.h>

#include "src/similarity/isa.h"

namespace matchguard::similarity {

// POPCNT on 64-bit words, four independent accumulators so the adds do not serialise. Two b rows share
// each load of the a row.
void AndCountAvx2Popcnt(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                        uint32_t* counts) {
  for (size_t i = 0; i < n_a; ++i) {
    const uint64_t* ai = a + i * words;
    uint32_t* out = counts + i * n_b;
    size_t j = 0;
    for (; j + 2 <= n_b; j += 2) {
      const uint64_t* b0 = b + j * words;
      const uint64_t* b1 = b0 + words;
      uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (size_t w = 0; w < words; w += 4) {  // words is a multiple of 8
        s0 += _mm_popcnt_u64(ai[w] & b0[w]);
        s1 += _mm_popcnt_u64(ai[w + 1] & b0[w + 1]);
        s2 += _mm_popcnt_u64(ai[w + 2] & b0[w + 2]);
        s3 += _mm_popcnt_u64(ai[w + 3] & b0[w + 3]);
        t0 += _mm_popcnt_u64(ai[w] & b1[w]);
        t1 += _mm_popcnt_u64(ai[w + 1] & b1[w + 1]);
        t2 += _mm_popcnt_u64(ai[w + 2] & b1[w + 2]);
        t3 += _mm_popcnt_u64(ai[w + 3] & b1[w + 3]);
      }
      out[j] = static_cast<uint32_t>(s0 + s1 + s2 + s3);
      out[j + 1] = static_cast<uint32_t>(t0 + t1 + t2 + t3);
    }
    for (; j < n_b; ++j) {
      const uint64_t* bj = b + j * words;
      uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (size_t w = 0; w < words; w += 4) {
        s0 += _mm_popcnt_u64(ai[w] & bj[w]);
        s1 += _mm_popcnt_u64(ai[w + 1] & bj[w + 1]);
        s2 += _mm_popcnt_u64(ai[w + 2] & bj[w + 2]);
        s3 += _mm_popcnt_u64(ai[w + 3] & bj[w + 3]);
      }
      out[j] = static_cast<uint32_t>(s0 + s1 + s2 + s3);
    }
  }
}

namespace {

// Per-byte popcount of one 256-bit vector by two nibble-table lookups (Mula's vpshufb method).
inline __m256i BytePopcount(__m256i x) {
  const __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,  //
                                         0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low_mask = _mm256_set1_epi8(0x0f);
  __m256i lo = _mm256_and_si256(x, low_mask);
  __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), low_mask);
  return _mm256_add_epi8(_mm256_shuffle_epi8(table, lo), _mm256_shuffle_epi8(table, hi));
}

inline uint64_t HorizontalSum(__m256i v) {
  __m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  return static_cast<uint64_t>(_mm_cvtsi128_si64(s)) + static_cast<uint64_t>(_mm_extract_epi64(s, 1));
}

// popcount(a AND b) over `words` words. Byte counters take at most 8 per 32-byte chunk, so up to 31
// chunks are summed in bytes before one vpsadbw widens them.
inline uint64_t AndPopcountShuffle(const uint64_t* a, const uint64_t* b, size_t words) {
  const size_t chunks = words / 4;
  __m256i total = _mm256_setzero_si256();
  size_t c = 0;
  while (c < chunks) {
    const size_t end = c + 31 < chunks ? c + 31 : chunks;
    __m256i bytes = _mm256_setzero_si256();
    for (; c < end; ++c) {
      __m256i x = _mm256_and_si256(_mm256_load_si256(reinterpret_cast<const __m256i*>(a) + c),
                                   _mm256_load_si256(reinterpret_cast<const __m256i*>(b) + c));
      bytes = _mm256_add_epi8(bytes, BytePopcount(x));
    }
    total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, _mm256_setzero_si256()));
  }
  return HorizontalSum(total);
}

}  // namespace

void AndCountAvx2Shuffle(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                         uint32_t* counts) {
  for (size_t i = 0; i < n_a; ++i) {
    const uint64_t* ai = a + i * words;
    for (size_t j = 0; j < n_b; ++j) {
      counts[i * n_b + j] = static_cast<uint32_t>(AndPopcountShuffle(ai, b + j * words, words));
    }
  }
}

}  // namespace matchguard::similarity
