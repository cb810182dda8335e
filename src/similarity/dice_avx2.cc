// AVX2-era kernels, compiled with -mavx2 -mpopcnt and reached only through AndCountKernel().
#include <immintrin.h>
#include <time.h>

#include <cstdint>
#include <vector>

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

size_t AndCountAvx2Popcnt(const uint64_t* a, const uint64_t* b, const uint32_t* /*b_tail*/, size_t n_b, size_t words,
                          uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts) {
  size_t hits = 0;
  for (size_t j = 0; j < n_b; ++j) {
    Emit(static_cast<uint32_t>(j), AndPopcountWords(a, b + j * words, words), floor, hit_rows, hit_counts, hits);
  }
  return hits;
}

namespace {

// Mula's vpshufb count, arranged for the AND-popcount of one row against many. Three things make it
// fast (measured with similarity_benchmark; see bench/dice/README.md):
//  - `a` is split once into its low nibbles (a & 0x0f..) and high nibbles (a & 0xf0..). Then a & b's low
//    nibbles are (a_lo & b), already valid vpshufb indices, and its high nibbles are (a_hi & b) >> 4 as
//    16-bit lanes: no bits cross between bytes because every byte of a_hi & b has a zero low nibble. That
//    saves the two mask ANDs per 256 bits that the textbook version spends.
//  - Four b rows are counted together and their vpsadbw sums are transposed into one vector, so the
//    horizontal sums, the comparison with `floor` and the branch are paid once per four rows.
//  - kChunks (256-bit chunks per row) is a template parameter, so the chunk loop unrolls and a stays in
//    registers for the common 512- and 1024-bit rows.
// Byte counters hold at most 8 per chunk, so up to 31 chunks are summed in bytes before vpsadbw widens
// them; rows longer than that (kChunks == 0: any length) are summed in blocks of 31 chunks.
struct NibbleTable {
  __m256i table = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,  //
                                   0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  __m256i low = _mm256_set1_epi8(0x0f);
  __m256i high = _mm256_set1_epi8(static_cast<char>(0xf0));
};

inline __m256i Load(const uint64_t* p, size_t chunk) {
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(p) + chunk);
}

// Byte counts of a_lo/a_hi AND one 256-bit chunk of b, added into `bytes`.
inline __m256i AddChunk(const NibbleTable& t, __m256i bytes, __m256i a_lo, __m256i a_hi, __m256i b) {
  const __m256i lo = _mm256_shuffle_epi8(t.table, _mm256_and_si256(a_lo, b));
  const __m256i hi = _mm256_shuffle_epi8(t.table, _mm256_srli_epi16(_mm256_and_si256(a_hi, b), 4));
  return _mm256_add_epi8(bytes, _mm256_add_epi8(lo, hi));
}

// {sum(s0), sum(s1), sum(s2), sum(s3)} for four vectors of 64-bit lanes.
inline __m256i SumEach4(__m256i s0, __m256i s1, __m256i s2, __m256i s3) {
  const __m256i t01 = _mm256_add_epi64(_mm256_unpacklo_epi64(s0, s1), _mm256_unpackhi_epi64(s0, s1));
  const __m256i t23 = _mm256_add_epi64(_mm256_unpacklo_epi64(s2, s3), _mm256_unpackhi_epi64(s2, s3));
  return _mm256_add_epi64(_mm256_permute2x128_si256(t01, t23, 0x20), _mm256_permute2x128_si256(t01, t23, 0x31));
}

inline uint64_t HorizontalSum(__m256i v) {
  __m128i s = _mm_add_epi64(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  return static_cast<uint64_t>(_mm_cvtsi128_si64(s)) + static_cast<uint64_t>(_mm_extract_epi64(s, 1));
}

// popcount(a AND b) of one row pair of `chunks` chunks: the remainder path of the batched kernel.
inline uint64_t AndPopcountOne(const NibbleTable& t, const uint64_t* a_lo, const uint64_t* a_hi, const uint64_t* b,
                               size_t chunks) {
  __m256i total = _mm256_setzero_si256();
  for (size_t c = 0; c < chunks;) {
    const size_t end = c + 31 < chunks ? c + 31 : chunks;
    __m256i bytes = _mm256_setzero_si256();
    for (; c < end; ++c) bytes = AddChunk(t, bytes, Load(a_lo, c), Load(a_hi, c), Load(b, c));
    total = _mm256_add_epi64(total, _mm256_sad_epu8(bytes, _mm256_setzero_si256()));
  }
  return HorizontalSum(total);
}

// Byte counts of a AND one b row of n_chunks <= 31 chunks. Row by row (not chunk by chunk across the
// four rows) keeps few vectors live, so nothing spills to the stack.
inline __m256i RowBytes(const NibbleTable& t, const uint64_t* a_lo, const uint64_t* a_hi, const uint64_t* b,
                        size_t n_chunks) {
  __m256i bytes = _mm256_setzero_si256();
  for (size_t c = 0; c < n_chunks; ++c) {
    bytes = AddChunk(t, bytes, Load(a_lo, c), Load(a_hi, c), Load(b, c));
    // An empty asm that "changes" bytes pins the addition here. Without it GCC 12 defers every addition
    // of a four-row batch until after all its vpshufb and spills the results to the stack.
    asm("" : "+x"(bytes));
  }
  return bytes;
}

// SumEach4 of the vpsadbw-widened byte counts of four rows.
inline __m256i SumRows4(__m256i c0, __m256i c1, __m256i c2, __m256i c3) {
  const __m256i zero = _mm256_setzero_si256();
  return SumEach4(_mm256_sad_epu8(c0, zero), _mm256_sad_epu8(c1, zero), _mm256_sad_epu8(c2, zero),
                  _mm256_sad_epu8(c3, zero));
}

// Counts of chunks [first, first + n) of four consecutive b rows starting at bj.
inline __m256i Counts4(const NibbleTable& t, const uint64_t* a_lo, const uint64_t* a_hi, const uint64_t* bj,
                       size_t words, size_t first, size_t n) {
  const size_t w = 4 * first;
  return SumRows4(RowBytes(t, a_lo + w, a_hi + w, bj + w, n), RowBytes(t, a_lo + w, a_hi + w, bj + words + w, n),
                  RowBytes(t, a_lo + w, a_hi + w, bj + 2 * words + w, n),
                  RowBytes(t, a_lo + w, a_hi + w, bj + 3 * words + w, n));
}

// Appends rows j + k whose lane k of `sums` exceeds floor - 1.
inline void Report4(__m256i sums, __m256i floor_minus_one, size_t j, uint32_t* hit_rows, uint32_t* hit_counts,
                    size_t& hits) {
  // Counts are far below 2^63, so the signed comparison is exact; floor 0 compares with -1.
  int above = _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(sums, floor_minus_one)));
  if (above == 0) return;  // the common case: no store at all
  alignas(32) uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), sums);
  while (above != 0) {
    const int k = __builtin_ctz(static_cast<unsigned>(above));
    above &= above - 1;
    hit_rows[hits] = static_cast<uint32_t>(j + static_cast<size_t>(k));
    hit_counts[hits++] = static_cast<uint32_t>(lanes[k]);
  }
}

template <size_t kChunks>
size_t AndCountShuffleImpl(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b,
                           size_t runtime_words, uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts) {
  const size_t words = kChunks != 0 ? 4 * kChunks : runtime_words;
  const size_t chunks = words / 4;
  const NibbleTable t;
  // The split halves of `a` (at most 4096 bits inline; longer rows use the heap).
  constexpr size_t kInlineWords = 64;
  alignas(32) uint64_t inline_lo[kInlineWords], inline_hi[kInlineWords];
  std::vector<uint64_t> heap;  // aligned by hand below: operator new only promises 16 bytes
  uint64_t* a_lo = inline_lo;
  uint64_t* a_hi = inline_hi;
  if (words > kInlineWords) {
    heap.resize(2 * words + 4);
    auto* base = reinterpret_cast<uint64_t*>((reinterpret_cast<uintptr_t>(heap.data()) + 31) & ~uintptr_t{31});
    a_lo = base;
    a_hi = base + words;
  }
  for (size_t c = 0; c < chunks; ++c) {
    _mm256_store_si256(reinterpret_cast<__m256i*>(a_lo) + c, _mm256_and_si256(Load(a, c), t.low));
    _mm256_store_si256(reinterpret_cast<__m256i*>(a_hi) + c, _mm256_and_si256(Load(a, c), t.high));
  }
  size_t hits = 0;
  const __m256i floor_minus_one = _mm256_set1_epi64x(static_cast<int64_t>(floor) - 1);
  size_t j = 0;
  const size_t n_chunks = kChunks != 0 ? kChunks : chunks;
  // Partial-count pruning (isa.h): count the head chunks of four rows, bound each final count by
  // head + min(tail(a), tail(b_j)), and count the tail chunks only when some row's bound reaches floor.
  const size_t tail_chunks = PruneTailWords(words) / 4;
  const size_t head_chunks = n_chunks - tail_chunks;
  if (chunks <= 31 && b_tail != nullptr && tail_chunks != 0) {
    const __m128i a_tail = _mm_set1_epi32(static_cast<int>(RowTailPopcount(a, words)));
    size_t full = 0;  // batches whose tail had to be counted after all
    for (size_t batch = 0; j + 4 <= n_b; j += 4, ++batch) {
      // When the check rarely rules a batch out (low thresholds) it only costs: after 16 batches, if more
      // than half were counted in full, count whole rows for the rest of the call.
      if (batch >= 16 && 2 * full > batch) break;
      const uint64_t* bj = b + j * words;
      const __m256i head = Counts4(t, a_lo, a_hi, bj, words, 0, head_chunks);
      const __m128i rest = _mm_min_epu32(a_tail, _mm_loadu_si128(reinterpret_cast<const __m128i*>(b_tail + j)));
      const __m256i bound = _mm256_add_epi64(head, _mm256_cvtepu32_epi64(rest));
      if (_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(bound, floor_minus_one))) == 0) continue;
      ++full;
      const __m256i sums = _mm256_add_epi64(head, Counts4(t, a_lo, a_hi, bj, words, head_chunks, tail_chunks));
      Report4(sums, floor_minus_one, j, hit_rows, hit_counts, hits);
    }
  }
  if (chunks <= 31) {
    for (; j + 4 <= n_b; j += 4) {
      Report4(Counts4(t, a_lo, a_hi, b + j * words, words, 0, n_chunks), floor_minus_one, j, hit_rows, hit_counts,
              hits);
    }
  }
  for (; j < n_b; ++j) {
    const uint64_t count = AndPopcountOne(t, a_lo, a_hi, b + j * words, chunks);
    if (count >= floor) {
      hit_rows[hits] = static_cast<uint32_t>(j);
      hit_counts[hits++] = static_cast<uint32_t>(count);
    }
  }
  return hits;
}

}  // namespace

size_t AndCountAvx2Shuffle(const uint64_t* a, const uint64_t* b, const uint32_t* b_tail, size_t n_b, size_t words,
                           uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts) {
  return DispatchRowWords(words, [&](auto fixed) {
    return AndCountShuffleImpl<decltype(fixed)::value / 4>(a, b, b_tail, n_b, words, floor, hit_rows, hit_counts);
  });
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
