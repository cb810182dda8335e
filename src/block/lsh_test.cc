#include "src/block/lsh.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace matchguard {
namespace {

// 256 random 1024-bit rows with about 40% of bits set, and a right side holding a noisy copy of each
// (about 6% of set bits dropped and as many added: Dice ~0.94) followed by fresh random rows.
struct Fixture {
  static constexpr size_t kStride = 128;
  std::vector<uint8_t> left, right;
  size_t n = 256;
  Fixture() {
    std::mt19937_64 rng(5);
    std::bernoulli_distribution on(0.4), flip(0.025);
    left.assign(n * kStride, 0);
    right.assign(2 * n * kStride, 0);
    for (size_t i = 0; i < n; ++i) {
      for (uint32_t b = 0; b < 1024; ++b) {
        const bool v = on(rng);
        if (v) left[i * kStride + b / 8] |= static_cast<uint8_t>(0x80 >> (b % 8));
        if (v != flip(rng)) right[i * kStride + b / 8] |= static_cast<uint8_t>(0x80 >> (b % 8));
        if (on(rng)) right[(n + i) * kStride + b / 8] |= static_cast<uint8_t>(0x80 >> (b % 8));
      }
    }
  }
  BitRows Left() const { return {left.data(), n, kStride, 1024}; }
  BitRows Right() const { return {right.data(), 2 * n, kStride, 1024}; }
};

TEST(LshTest, FindsNoisyCopiesAndFewOtherPairs) {
  Fixture f;
  auto pairs = LshCandidatePairs(f.Left(), f.Right(), 0.8);
  ASSERT_TRUE(pairs.has_value()) << pairs.error().message();
  std::set<std::pair<uint32_t, uint32_t>> got;
  for (size_t k = 0; k < pairs->left.size(); ++k) got.insert({pairs->left[k], pairs->right[k]});
  EXPECT_EQ(got.size(), pairs->left.size()) << "pairs must be unique";
  size_t found = 0;
  for (uint32_t i = 0; i < f.n; ++i) found += got.count({i, i});
  EXPECT_EQ(found, f.n) << "pairs completeness";  // every true pair
  EXPECT_LT(pairs->left.size(), f.n + f.n * 2 * f.n / 1000) << "reduction ratio below 0.999";
  EXPECT_GE(pairs->parameters.pair_at_threshold_recall, 0.995);
  EXPECT_TRUE(std::is_sorted(pairs->left.begin(), pairs->left.end()));
}

TEST(LshTest, SameSeedSameResultAndExplicitParameters) {
  Fixture f;
  auto a = LshCandidatePairs(f.Left(), f.Right(), 0.8, {10, 16, 9});
  auto b = LshCandidatePairs(f.Left(), f.Right(), 0.8, {10, 16, 9});
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->left, b->left);
  EXPECT_EQ(a->right, b->right);
  EXPECT_EQ(a->parameters.bands, 10u);
  EXPECT_EQ(a->parameters.bits_per_band, 16u);
}

TEST(LshTest, ParametersGrowWithTheThreshold) {
  LshParameters loose = ChooseLshParameters(0.6, 0.4, 1024), tight = ChooseLshParameters(0.9, 0.4, 1024);
  EXPECT_LE(loose.bits_per_band, tight.bits_per_band);  // looser: shorter keys
  EXPECT_GE(loose.pair_at_threshold_recall, 0.99);
  EXPECT_GE(tight.pair_at_threshold_recall, 0.995);
}

TEST(LshTest, RejectsMismatchedLengthsAndTooManyBits) {
  Fixture f;
  BitRows other = f.Right();
  other.bits = 512;
  EXPECT_FALSE(LshCandidatePairs(f.Left(), other, 0.8).has_value());
  auto r = LshCandidatePairs(f.Left(), f.Right(), 0.8, {4, 65, 1});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("at most 64"), std::string::npos);
}

}  // namespace
}  // namespace matchguard
