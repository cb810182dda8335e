#include "src/similarity/candidates.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace matchguard::similarity {
namespace {

std::vector<Isa> SupportedIsas() {
  std::vector<Isa> out;
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (IsaSupported(isa)) out.push_back(isa);
  }
  return out;
}

// Rows derived from a few base rows with a few bits flipped, so there are real near-duplicates across
// the two sides and a spread of popcounts (random rows alone are all near 0.5 and popcount bits/2).
BitMatrix Noisy(size_t count, uint32_t bits, const BitMatrix& base, double density, std::mt19937_64& rng) {
  BitMatrix m(count, bits);
  std::uniform_int_distribution<size_t> pick(0, base.count() - 1);
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t i = 0; i < count; ++i) {
    const auto* src = reinterpret_cast<const uint8_t*>(base.row(pick(rng)));
    for (uint32_t bit = 0; bit < bits; ++bit) {
      bool v = (src[bit / 8] >> (7 - bit % 8)) & 1;
      if (u(rng) < 0.04) v = !v;
      if (u(rng) > density) v = false;  // thin some rows out to vary popcounts
      m.SetBit(i, bit, v);
    }
  }
  return m;
}

void ExpectSameCandidates(const CandidatePairs& got, const CandidatePairs& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t k = 0; k < got.size(); ++k) {
    ASSERT_EQ(got.left[k], want.left[k]) << what << " at " << k;
    ASSERT_EQ(got.right[k], want.right[k]) << what << " at " << k;
    ASSERT_EQ(got.similarity[k], want.similarity[k]) << what << " at " << k;  // bit-exact
  }
}

TEST(CandidatesTest, DiceGoldenValues) {
  BitMatrix m(3, 64);
  for (uint32_t b : {0u, 1u, 2u, 3u}) m.SetBit(0, b, true);  // {0,1,2,3}
  for (uint32_t b : {2u, 3u, 4u, 5u}) m.SetBit(1, b, true);  // {2,3,4,5}
  EXPECT_DOUBLE_EQ(Dice(m.row(0), m.row(1), 8), 0.5);        // 2*2/(4+4)
  EXPECT_DOUBLE_EQ(Dice(m.row(0), m.row(0), 8), 1.0);
  EXPECT_DOUBLE_EQ(Dice(m.row(2), m.row(2), 8), 0.0);  // both empty: 0, as anonlink
  EXPECT_DOUBLE_EQ(Dice(m.row(0), m.row(2), 8), 0.0);
}

// The core exactness property: every ISA, every bit length 64..4096 (also not multiples of the vector
// width), sizes that are not multiples of the tile or block, thresholds and top-k: identical to brute force.
TEST(CandidatesTest, EqualsBruteForceOnEveryIsa) {
  std::mt19937_64 rng(7);
  struct Case {
    uint32_t bits;
    size_t n_left, n_right;
  };
  for (Case c : {Case{64, 45, 37}, Case{100, 70, 33}, Case{513, 33, 71}, Case{1000, 61, 2100}, Case{1024, 97, 130},
                 Case{2047, 20, 45}, Case{4096, 17, 130}}) {
    BitMatrix base = BitMatrix::Random(12, c.bits, rng);
    BitMatrix left = Noisy(c.n_left, c.bits, base, 0.9, rng);
    BitMatrix right = Noisy(c.n_right, c.bits, base, 0.95, rng);
    for (double threshold : {0.3, 0.7, 0.8, 0.95, 1.0}) {
      for (size_t top_k : {size_t{0}, size_t{1}, size_t{3}}) {
        CandidatePairs want = BruteForceCandidates(left.view(), right.view(), threshold, top_k);
        if (threshold == 0.8 && top_k == 0) {
          EXPECT_GT(want.size(), 0u) << "the case must have matches";
        }
        for (Isa isa : SupportedIsas()) {
          for (int threads : {1, 2}) {
            CandidateOptions options{threshold, top_k, isa, threads};
            CandidateStats stats;
            auto got = FindCandidates(left.view(), right.view(), options, &stats);
            ASSERT_TRUE(got.has_value()) << got.error().message();
            ExpectSameCandidates(*got, want,
                                 "bits=" + std::to_string(c.bits) + " t=" + std::to_string(threshold) +
                                     " k=" + std::to_string(top_k) + " isa=" + std::string(IsaName(isa)));
            EXPECT_EQ(stats.isa, isa);
            EXPECT_EQ(stats.pairs_total, c.n_left * c.n_right);
            EXPECT_LE(stats.pairs_scored, stats.pairs_total);
          }
        }
      }
    }
  }
}

// Pairs (i, j) with j = i mod step, i mod step + step, ...: grouped by left row, as blocking gives them.
void PairsWithStep(uint32_t n_left, uint32_t n_right, uint32_t step, std::vector<uint32_t>& pl,
                   std::vector<uint32_t>& pr) {
  for (uint32_t i = 0; i < n_left; ++i) {
    for (uint32_t j = i % step; j < n_right; j += step) {
      pl.push_back(i);
      pr.push_back(j);
    }
  }
}

// Scoring blocked pairs gives exactly the brute-force candidates restricted to those pairs, on every ISA.
TEST(CandidatesTest, ScorePairsEqualsBruteForceOnTheGivenPairs) {
  std::mt19937_64 rng(11);
  BitMatrix base = BitMatrix::Random(6, 1000, rng);
  BitMatrix left = Noisy(40, 1000, base, 0.9, rng), right = Noisy(50, 1000, base, 0.9, rng);
  std::vector<uint32_t> pl, pr;
  PairsWithStep(40, 50, 3, pl, pr);  // a third of all pairs
  for (size_t top_k : {size_t{0}, size_t{2}}) {
    CandidatePairs all = BruteForceCandidates(left.view(), right.view(), 0.6, 0);
    CandidatePairs want;
    std::vector<size_t> per_left(40, 0);
    for (size_t k = 0; k < all.size(); ++k) {
      if (all.right[k] % 3 != all.left[k] % 3) continue;
      want.left.push_back(all.left[k]);
      want.right.push_back(all.right[k]);
      want.similarity.push_back(all.similarity[k]);
    }
    if (top_k != 0) {
      // With top-k: at most k per left row, and only from the given pairs.
      for (Isa isa : SupportedIsas()) {
        auto got = ScorePairs(left.view(), right.view(), pl, pr, {0.6, top_k, isa, 1});
        ASSERT_TRUE(got.has_value());
        std::vector<size_t> count(40, 0);
        for (size_t k = 0; k < got->size(); ++k) {
          ASSERT_LE(++count[got->left[k]], top_k);
          EXPECT_EQ(got->right[k] % 3, got->left[k] % 3);
        }
      }
      continue;
    }
    ASSERT_GT(want.size(), 0u);
    for (Isa isa : SupportedIsas()) {
      auto got = ScorePairs(left.view(), right.view(), pl, pr, {0.6, 0, isa, 1});
      ASSERT_TRUE(got.has_value()) << got.error().message();
      ExpectSameCandidates(*got, want, "ScorePairs isa=" + std::string(IsaName(isa)));
    }
  }
}

// More pairs than one parallel chunk (65,536), so chunks are cut at left-row boundaries and run on two
// threads; the result must still be every pair in order, exactly as brute force, also with top-k.
TEST(CandidatesTest, ScorePairsInParallelChunksEqualsBruteForce) {
  std::mt19937_64 rng(12);
  BitMatrix base = BitMatrix::Random(8, 256, rng);
  BitMatrix left = Noisy(301, 256, base, 0.9, rng), right = Noisy(433, 256, base, 0.9, rng);
  std::vector<uint32_t> pl, pr;
  PairsWithStep(301, 433, 1, pl, pr);  // every pair
  for (size_t top_k : {size_t{0}, size_t{2}}) {
    CandidatePairs want = BruteForceCandidates(left.view(), right.view(), 0.7, top_k);
    ASSERT_GT(want.size(), 500u);
    for (Isa isa : SupportedIsas()) {
      CandidateStats stats;
      auto got = ScorePairs(left.view(), right.view(), pl, pr, {0.7, top_k, isa, 2}, &stats);
      ASSERT_TRUE(got.has_value()) << got.error().message();
      ExpectSameCandidates(*got, want, "parallel ScorePairs isa=" + std::string(IsaName(isa)));
      EXPECT_EQ(stats.threads, 2);
    }
  }
}

TEST(CandidatesTest, APairCapStopsTheSearchWithAMessageNamingIt) {
  std::mt19937_64 rng(13);
  BitMatrix base = BitMatrix::Random(8, 256, rng);
  BitMatrix left = Noisy(301, 256, base, 0.9, rng), right = Noisy(433, 256, base, 0.9, rng);
  const size_t all = BruteForceCandidates(left.view(), right.view(), 0.7).size();
  ASSERT_GT(all, 500u);
  CandidateOptions options{0.7, 0, std::nullopt, 2, all};
  EXPECT_EQ(FindCandidates(left.view(), right.view(), options)->size(), all);  // at the cap: kept
  options.max_pairs = all - 1;
  auto over = FindCandidates(left.view(), right.view(), options);
  ASSERT_FALSE(over.has_value());
  EXPECT_NE(over.error().message().find("candidate pairs reach Dice 0.7: the cap on candidate pairs"),
            std::string::npos)
      << over.error().message();
  std::vector<uint32_t> pl, pr;
  PairsWithStep(301, 433, 1, pl, pr);
  EXPECT_FALSE(ScorePairs(left.view(), right.view(), pl, pr, options).has_value());
}

TEST(CandidatesTest, PopcountPruningSkipsPairsThatCannotMatch) {
  // Left rows with 10 bits set and right rows with 100 set: Dice <= 2*10/110 < 0.5, nothing is scored.
  BitMatrix left(5, 128), right(9, 128);
  for (size_t i = 0; i < 5; ++i) {
    for (uint32_t b = 0; b < 10; ++b) left.SetBit(i, b, true);
  }
  for (size_t j = 0; j < 9; ++j) {
    for (uint32_t b = 0; b < 100; ++b) right.SetBit(j, b, true);
  }
  CandidateStats stats;
  auto got = FindCandidates(left.view(), right.view(), {0.5, 0, std::nullopt, 1}, &stats);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), 0u);
  EXPECT_EQ(stats.pairs_scored, 0u);
  EXPECT_EQ(stats.pairs_total, 45u);
}

// Pairs exactly at the threshold where the kernel's partial-count bound is tight. 1024 bits: the left row
// has bits [0, 256) and the whole tail [768, 1024) (PruneTailWords: the last 256 bits). Right rows have
// 512 bits: the whole tail, `shared` of the left row's head bits and 256 - shared bits [256, ...), so
// Dice = (shared + 256) / 512 and the bound after the head (shared + min(256, 256)) equals the count.
// At threshold 0.75 the rows with shared = 128 (Dice exactly 0.75) must be found and shared = 127 not;
// nine of each (more than one batch of 4 or 8), interleaved.
TEST(CandidatesTest, PairsExactlyAtThresholdSurvivePartialCountPruning) {
  constexpr uint32_t kBits = 1024;
  BitMatrix left(1, kBits), right(18, kBits);
  for (uint32_t b = 0; b < 256; ++b) left.SetBit(0, b, true);
  for (uint32_t b = 768; b < kBits; ++b) left.SetBit(0, b, true);
  for (size_t j = 0; j < right.count(); ++j) {
    const uint32_t shared = j % 2 == 0 ? 128 : 127;
    for (uint32_t b = 0; b < shared; ++b) right.SetBit(j, b, true);
    for (uint32_t b = 256; b < 256 + (256 - shared); ++b) right.SetBit(j, b, true);
    for (uint32_t b = 768; b < kBits; ++b) right.SetBit(j, b, true);
  }
  CandidatePairs want = BruteForceCandidates(left.view(), right.view(), 0.75);
  ASSERT_EQ(want.size(), 9u);
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(want.right[k], 2 * k);
    EXPECT_EQ(want.similarity[k], 0.75);
  }
  for (Isa isa : SupportedIsas()) {
    auto got = FindCandidates(left.view(), right.view(), {0.75, 0, isa, 1});
    ASSERT_TRUE(got.has_value()) << got.error().message();
    ExpectSameCandidates(*got, want, "at threshold, isa=" + std::string(IsaName(isa)));
  }
}

TEST(CandidatesTest, TopKBreaksTiesByLowerRightRow) {
  BitMatrix left(1, 64), right(4, 64);
  for (uint32_t b = 0; b < 8; ++b) left.SetBit(0, b, true);
  for (size_t j = 0; j < 4; ++j) {
    for (uint32_t b = 0; b < 8; ++b) right.SetBit(j, b, true);  // all identical: Dice 1.0
  }
  auto got = FindCandidates(left.view(), right.view(), {0.5, 2, std::nullopt, 2});
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ(got->right[0], 0u);
  EXPECT_EQ(got->right[1], 1u);
}

TEST(CandidatesTest, RejectsBadThresholdAndDifferentLengths) {
  BitMatrix a(2, 64), b(2, 128);
  for (double t : {0.0, -0.1, 1.0001}) {
    auto r = FindCandidates(a.view(), a.view(), {t});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message().find("outside (0, 1]"), std::string::npos) << r.error().message();
    EXPECT_TRUE(r.error().IsUserError());
  }
  auto r = FindCandidates(a.view(), b.view(), {0.8});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "encodings have different lengths: 64 bits and 128 bits");
}

TEST(CandidatesTest, EmptySidesGiveNoPairs) {
  BitMatrix a(0, 1024), b(5, 1024);
  auto r = FindCandidates(a.view(), b.view(), {0.8});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->size(), 0u);
  r = FindCandidates(b.view(), a.view(), {0.8});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->size(), 0u);
}

}  // namespace
}  // namespace matchguard::similarity
