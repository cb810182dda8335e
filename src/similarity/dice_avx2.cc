// AVX2-era kernels, compiled with -mavx2 -mpopcnt and reached only through AndCountKernel().
#include <immintrin.h>
#include <time.h>

#include "src/similarity/isa.h"

namespace matchguard::similarity {

namespace {

inline void Emit(uint32_t j, uint64_t c, uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts, size_t& hits) {
  if (c >= floor) {
    hit_rows[hits] = j;
    hit_counts[hits++] = static_cast<uint32_t>(c);
  }
}

inline uint64_t AndPopcountWords(const uint64_t* a, const uint64_t* b, size_t words) {
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;  // independent accumulators: the adds do not serialise
  for (size_t w = 0; w < words; w += 4) {   // words is a multiple of 8
    s0 += _mm_popcnt_u64(a[w] & b[w]);
    s1 += _mm_popcnt_u64(a[w + 1] & b[w + 1]);
    s2 += _mm_popcnt_u64(a[w + 2] & b[w + 2]);
    s3 += _mm_popcnt_u64(a[w + 3] & b[w + 3]);
  }
  return s0 + s1 + s2 + s3;
}

}  // namespace

size_t AndCountAvx2Popcnt(const uint64_t* a, const uint64_t* b, size_t n_b, size_t words, uint32_t floor,
                          uint32_t* hit_rows, uint32_t* hit_counts) {
  size_t hits = 0;
  for (size_t j = 0; j < n_b; ++j) {
    Emit(static_cast<uint32_t>(j), AndPopcountWords(a, b + j * words, words), floor, hit_rows, hit_counts, hits);
  }
  return hits;
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

size_t AndCountAvx2Shuffle(const uint64_t* a, const uint64_t* b, size_t n_b, size_t words, uint32_t floor,
                           uint32_t* hit_rows, uint32_t* hit_counts) {
  size_t hits = 0;
  for (size_t j = 0; j < n_b; ++j) {
    Emit(static_cast<uint32_t>(j), AndPopcountShuffle(a, b + j * words, words), floor, hit_rows, hit_counts, hits);
  }
  return hits;
}

double MeasurePopcntRate() {
  // Twelve independent dependency chains hide POPCNT's latency, so the loop runs at its throughput.
  constexpr int kChains = 12;
  constexpr uint64_t kIterations = uint64_t{1} << 22;
  volatile uint64_t seed = 0x9E3779B97F4A7C15ull;
  uint64_t x[kChains];
  for (int k = 0; k < kChains; ++k) x[k] = seed + static_cast<uint64_t>(k);
  const double start = ThreadCpuSeconds();
  for (uint64_t it = 0; it < kIterations; ++it) {
    for (int k = 0; k < kChains; ++k) x[k] = static_cast<uint64_t>(_mm_popcnt_u64(x[k]));
  }
  const double seconds = ThreadCpuSeconds() - start;
  uint64_t sink = 0;
  for (int k = 0; k < kChains; ++k) sink += x[k];
  seed = sink;
  return static_cast<double>(kChains * kIterations) / seconds;
}

}  // namespace matchguard::similarity
