#include "src/similarity/isa.h"

#include <gtest/gtest.h>

#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "src/similarity/bit_matrix.h"

namespace matchguard::similarity {
namespace {

struct Kernel {
  const char* name;
  Isa isa;
  AndCountFn fn;
};

std::vector<Kernel> SupportedKernels() {
  std::vector<Kernel> out = {{"scalar", Isa::kScalar, &AndCountScalar}};
  if (IsaSupported(Isa::kAvx2)) {
    out.push_back({"avx2-popcnt", Isa::kAvx2, &AndCountAvx2Popcnt});
    out.push_back({"avx2-shuffle", Isa::kAvx2, &AndCountAvx2Shuffle});
  }
  if (IsaSupported(Isa::kAvx512)) out.push_back({"avx512", Isa::kAvx512, &AndCountAvx512});
  return out;
}

// Straight from the definition, bit by bit, independent of every kernel.
uint32_t NaiveCommonBits(const BitMatrix& a, size_t i, const BitMatrix& b, size_t j) {
  const auto* x = reinterpret_cast<const uint8_t*>(a.row(i));
  const auto* y = reinterpret_cast<const uint8_t*>(b.row(j));
  uint32_t c = 0;
  for (uint32_t bit = 0; bit < a.bits(); ++bit) {
    const uint8_t mask = static_cast<uint8_t>(0x80u >> (bit % 8));
    c += ((x[bit / 8] & mask) && (y[bit / 8] & mask)) ? 1 : 0;
  }
  return c;
}

TEST(IsaTest, NamesRoundTripAndUnknownIsRejected) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) EXPECT_EQ(*ParseIsa(IsaName(isa)), isa);
  auto bad = ParseIsa("sse9");
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("expected scalar, avx2 or avx512"), std::string::npos);
}

TEST(IsaTest, DetectedIsaIsSupportedAndScalarAlwaysIs) {
  EXPECT_TRUE(IsaSupported(Isa::kScalar));
  EXPECT_TRUE(IsaSupported(DetectIsa()));
  auto selected = SelectedIsa();
  ASSERT_TRUE(selected.has_value()) << selected.error().message();
  EXPECT_TRUE(IsaSupported(*selected));
  std::printf("CPU supports: avx2=%d avx512-vpopcntdq=%d; selected %s\n", IsaSupported(Isa::kAvx2),
              IsaSupported(Isa::kAvx512), std::string(IsaName(*selected)).c_str());
}

// Every kernel against a bit-by-bit count, over bit lengths around the 64-, 256- and 512-bit widths and
// row counts that are not multiples of any kernel's unrolling (2, 4, 8). 8256 bits is longer than the
// 31 chunks the vpshufb kernel's byte counters can hold and than its inline copy of the row. 101 rows
// are enough batches for a pruning kernel to give up pruning mid-call (floor 0: nothing can be pruned).
// Every kernel of this build, supported by this CPU or not: a kernel the CPU cannot run is reported as a
// skipped test (never silently left out), so a run on an AVX2-only machine says AVX-512 went untested.
const Kernel kAllKernels[] = {{"scalar", Isa::kScalar, &AndCountScalar},
                              {"avx2_popcnt", Isa::kAvx2, &AndCountAvx2Popcnt},
                              {"avx2_shuffle", Isa::kAvx2, &AndCountAvx2Shuffle},
                              {"avx512", Isa::kAvx512, &AndCountAvx512}};

void PrintTo(const Kernel& kernel, std::ostream* out) { *out << kernel.name; }

class KernelTest : public ::testing::TestWithParam<Kernel> {};

TEST_P(KernelTest, EqualsNaiveCountAcrossLengthsAndRemainders) {
  const Kernel& k = GetParam();
  if (!IsaSupported(k.isa))
    GTEST_SKIP() << "this CPU cannot run " << IsaName(k.isa) << ": kernel " << k.name << " untested";
  std::mt19937_64 rng(42);
  for (uint32_t bits :
       {1u, 63u, 64u, 65u, 255u, 256u, 257u, 511u, 512u, 513u, 1000u, 1024u, 1025u, 2048u, 4096u, 8256u}) {
    BitMatrix a = BitMatrix::Random(3, bits, rng);
    BitMatrix b = BitMatrix::Random(101, bits, rng);
    // Edge rows: all ones and all zeros.
    for (uint32_t bit = 0; bit < bits; ++bit) b.SetBit(0, bit, true);
    for (uint32_t bit = 0; bit < bits; ++bit) b.SetBit(1, bit, false);
    std::vector<uint32_t> want(a.count() * b.count());
    for (size_t i = 0; i < a.count(); ++i) {
      for (size_t j = 0; j < b.count(); ++j) want[i * b.count() + j] = NaiveCommonBits(a, i, b, j);
    }
    const size_t words = a.stride_bytes() / 8;
    std::vector<uint32_t> tails(b.count());
    for (size_t j = 0; j < b.count(); ++j) tails[j] = RowTailPopcount(b.row(j), words);
    {
      for (size_t i = 0; i < a.count(); ++i) {
        for (size_t n_b : {size_t{0}, size_t{1}, size_t{7}, size_t{8}, size_t{9}, size_t{19}, size_t{101}}) {
          // floor 0 reports every row with its count; higher floors report exactly the rows reaching them
          // (the counts of rows 2 and 3 exactly, and one above, sit on the pruning boundary). With and
          // without the tail popcounts that enable pruning.
          for (uint32_t floor :
               {0u, bits / 4, bits / 3, want[i * b.count() + 2], want[i * b.count() + 3] + 1, bits / 2, bits + 1}) {
            for (const uint32_t* b_tail :
                 {static_cast<const uint32_t*>(nullptr), static_cast<const uint32_t*>(tails.data())}) {
              std::vector<uint32_t> rows(n_b, 777), counts(n_b, 777);
              const size_t hits = k.fn(a.row(i), b.row(0), b_tail, n_b, words, floor, rows.data(), counts.data());
              size_t expected = 0;
              for (size_t j = 0; j < n_b; ++j) {
                const uint32_t c = want[i * b.count() + j];
                if (c < floor) continue;
                ASSERT_LT(expected, hits) << k.name << " bits=" << bits << " misses row " << j;
                ASSERT_EQ(rows[expected], j) << k.name << " bits=" << bits << " floor=" << floor;
                ASSERT_EQ(counts[expected], c) << k.name << " bits=" << bits << " row " << j;
                ++expected;
              }
              ASSERT_EQ(hits, expected) << k.name << " bits=" << bits << " n_b=" << n_b << " floor=" << floor;
            }
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(IsaTest, KernelTest, ::testing::ValuesIn(kAllKernels),
                         [](const ::testing::TestParamInfo<Kernel>& kernel) { return std::string(kernel.param.name); });

// Partial-count pruning at its boundary. Row j of b copies a's tail exactly where a has its bits, so
// the tail's common count equals min(tail(a), tail(b_j)) and the bound after the head is the exact final
// count c_j. A floor of c_j must report the row (bound == floor is not pruned), c_j + 1 must not; every
// row of a batch sits on the boundary, so the all-pruned skip and the partial batch are both exercised.
TEST(IsaTest, PruningIsExactAtTheBoundary) {
  std::mt19937_64 rng(5);
  for (uint32_t bits : {1024u, 1536u, 2048u, 4096u}) {
    BitMatrix a = BitMatrix::Random(1, bits, rng);
    BitMatrix b = BitMatrix::Random(16, bits, rng);
    const size_t words = a.stride_bytes() / 8;
    const size_t tail_words = PruneTailWords(words);
    ASSERT_GT(tail_words, 0u) << bits;
    for (size_t j = 0; j < b.count(); ++j) {
      // Even rows: tail(b) is a subset of tail(a); odd rows: a superset. Either way AND = the smaller.
      for (size_t w = words - tail_words; w < words; ++w) {
        b.mutable_row(j)[w] = j % 2 == 0 ? (b.row(j)[w] & a.row(0)[w]) : (b.row(j)[w] | a.row(0)[w]);
      }
    }
    std::vector<uint32_t> tails(b.count());
    for (size_t j = 0; j < b.count(); ++j) tails[j] = RowTailPopcount(b.row(j), words);
    for (const Kernel& k : SupportedKernels()) {
      for (size_t j = 0; j < b.count(); ++j) {
        // Floors c_j and c_j + 1 put row j exactly on the boundary; the other rows are reported or
        // not by their own counts, checked against the naive answer.
        const uint32_t c = NaiveCommonBits(a, 0, b, j);
        std::vector<uint32_t> rows(b.count()), counts(b.count());
        for (uint32_t floor : {c, c + 1}) {
          const size_t hits =
              k.fn(a.row(0), b.row(0), tails.data(), b.count(), words, floor, rows.data(), counts.data());
          size_t expected = 0;
          for (size_t m = 0; m < b.count(); ++m) {
            const uint32_t cm = NaiveCommonBits(a, 0, b, m);
            if (cm < floor) continue;
            ASSERT_LT(expected, hits) << k.name << " bits=" << bits << " floor=" << floor << " misses row " << m;
            ASSERT_EQ(rows[expected], m) << k.name << " bits=" << bits << " floor=" << floor;
            ASSERT_EQ(counts[expected], cm) << k.name << " bits=" << bits;
            ++expected;
          }
          ASSERT_EQ(hits, expected) << k.name << " bits=" << bits << " floor=" << floor;
          if (floor == c) {
            ASSERT_GT(hits, 0u) << k.name << " bits=" << bits << ": the row at the floor must be reported";
          }
        }
      }
    }
  }
}

// Shows the pruning path runs (a kernel that ignored b_tail would pass every exactness test): rows whose
// bits are all in the tail, with tail popcounts that lie (0), are skipped by the pruning kernels, which
// never count the tail of a batch whose bound is below floor; the reference counts them.
TEST(IsaTest, PruningKernelsSkipTheTailWhenTheBoundIsBelowFloor) {
  constexpr uint32_t kBits = 1024;
  BitMatrix a(1, kBits), b(8, kBits);
  const size_t words = a.stride_bytes() / 8;
  for (size_t j = 0; j < b.count(); ++j) b.mutable_row(j)[words - 1] = a.mutable_row(0)[words - 1] = ~uint64_t{0};
  const std::vector<uint32_t> lying_tails(b.count(), 0);
  for (const Kernel& k : SupportedKernels()) {
    std::vector<uint32_t> rows(b.count()), counts(b.count());
    const size_t honest = k.fn(a.row(0), b.row(0), nullptr, b.count(), words, 1, rows.data(), counts.data());
    EXPECT_EQ(honest, b.count()) << k.name;
    const size_t pruned = k.fn(a.row(0), b.row(0), lying_tails.data(), b.count(), words, 1, rows.data(), counts.data());
    const bool prunes = std::string(k.name) == "avx2-shuffle" || std::string(k.name) == "avx512";
    EXPECT_EQ(pruned, prunes ? 0u : b.count()) << k.name;
  }
}

TEST(IsaTest, KernelForEachIsaIsTheDocumentedOne) {
  EXPECT_EQ(AndCountKernel(Isa::kScalar), &AndCountScalar);
  EXPECT_EQ(AndCountKernel(Isa::kAvx2), &AndCountAvx2Shuffle);
  EXPECT_EQ(AndCountKernel(Isa::kAvx512), &AndCountAvx512);
}

TEST(IsaTest, PopcountRateIsMeasuredForHardwareIsas) {
  EXPECT_EQ(MeasurePopcountRate(Isa::kScalar), 0.0);
  for (Isa isa : {Isa::kAvx2, Isa::kAvx512}) {
    if (IsaSupported(isa)) {
      EXPECT_GT(MeasurePopcountRate(isa), 1e8) << IsaName(isa);
    }
  }
  EXPECT_EQ(PopcountsPerComparison(Isa::kAvx512, 16), 2.0);
  EXPECT_EQ(PopcountsPerComparison(Isa::kAvx2, 16), 16.0);
}

}  // namespace
}  // namespace matchguard::similarity
