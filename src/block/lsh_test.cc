#include "src/block/lsh.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <numeric>
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
  EXPECT_LT(pairs->left.size(), f.n * 2 * f.n / 100) << "reduction ratio below 0.99";
  EXPECT_GE(pairs->parameters.pair_at_threshold_recall, 0.999);
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

TEST(LshTest, ParametersReachTheRecallTargetAndLooserThresholdsNeedMoreWork) {
  Fixture f;
  LshProfile loose = ProfileEncodings(f.Left(), f.Right(), 0.7, 1),
             tight = ProfileEncodings(f.Left(), f.Right(), 0.9, 1);
  EXPECT_LT(loose.threshold_agreement, tight.threshold_agreement);
  ASSERT_EQ(loose.random_agreement.size(), 4000u);
  LshParameters pl = ChooseLshParameters(loose, 10000, 10000), pt = ChooseLshParameters(tight, 10000, 10000);
  EXPECT_GE(pl.pair_at_threshold_recall, 0.999);
  EXPECT_GE(pt.pair_at_threshold_recall, 0.999);
  EXPECT_GE(pl.expected_reduction_ratio, 0.99);
  EXPECT_GT(static_cast<double>(pl.bands) * pl.bits_per_band, static_cast<double>(pt.bands) * pt.bits_per_band);
}

// A profile like the generator's encodings at 1M x 1M (1,000 informative bits, a pair at Dice 0.8
// agreeing on 84% of them, unrelated pairs on 55-75%): 0.999 at the threshold would need more bands than
// the cap or more pairs than the budget (64 per record), so the choice stays within both and reports the
// recall it gets instead.
TEST(LshTest, LargeInputsStayWithinThePairBudget) {
  LshProfile profile;
  profile.informative.resize(1000);
  std::iota(profile.informative.begin(), profile.informative.end(), 0u);
  profile.threshold_agreement = 0.844;
  for (int k = 0; k < 4000; ++k) profile.random_agreement.push_back(0.55 + 0.2 * std::pow(k / 4000.0, 6));
  LshParameters p = ChooseLshParameters(profile, 1000000, 1000000);
  std::printf("1M x 1M: %u bands of %u bits, recall at the threshold %.4f, expected RR %.7f\n", p.bands,
              p.bits_per_band, p.pair_at_threshold_recall, p.expected_reduction_ratio);
  EXPECT_LE((1.0 - p.expected_reduction_ratio) * 1e12, 64e6);
  EXPECT_LE(p.bands, 4096u);
  EXPECT_GT(p.pair_at_threshold_recall, 0.5);
  EXPECT_LT(p.pair_at_threshold_recall, 0.999);
  // The same profile at 10k x 10k affords the full target.
  EXPECT_GE(ChooseLshParameters(profile, 10000, 10000).pair_at_threshold_recall, 0.999);
}

TEST(LshTest, SamplesOnlyInformativeBits) {
  Fixture f;
  for (size_t i = 0; i < 2 * f.n; ++i) f.right[i * Fixture::kStride] |= 0x80;  // bit 0 set in every right row
  for (size_t i = 0; i < f.n; ++i) f.left[i * Fixture::kStride] |= 0x80;       // and every left row
  LshProfile profile = ProfileEncodings(f.Left(), f.Right(), 0.8, 1);
  EXPECT_EQ(profile.informative.front(), 1u) << "a bit set in every record tells no pair apart";
  EXPECT_GT(profile.informative.size(), 1000u);
}

// Realistic CLK-like records: each of four fields contributes the bit positions of its value (values
// drawn from small vocabularies, so unrelated records often share a field, as real names and postcodes
// do), each value setting 60 of 1024 bits. The right side holds, for each of 1,500 left records, a
// copy with one field replaced by a typo (a third of its bits moved), plus 1,500 unrelated records.
TEST(LshTest, RealisticEncodingsPairsCompletenessAndReductionRatio) {
  constexpr uint32_t kBits = 1024, kPerValue = 60;
  constexpr size_t kStride = 128, n = 1500;
  const uint32_t vocab[4] = {300, 800, 90, 1000};  // first name, surname, birth year, postcode
  std::mt19937_64 rng(11);
  auto value_bits = [&](uint32_t field, uint32_t value, uint32_t salt) {
    std::mt19937_64 g((uint64_t{field} << 40) ^ (uint64_t{value} << 8) ^ salt);
    std::vector<uint32_t> out(kPerValue);
    for (auto& b : out) b = static_cast<uint32_t>(g() % kBits);
    return out;
  };
  std::vector<uint8_t> left(n * kStride, 0), right(2 * n * kStride, 0);
  auto set = [](std::vector<uint8_t>& m, size_t row, uint32_t b) {
    m[row * kStride + b / 8] |= static_cast<uint8_t>(0x80u >> (b % 8));
  };
  for (size_t i = 0; i < n; ++i) {
    const uint32_t typo_field = static_cast<uint32_t>(rng() % 4);
    for (uint32_t field = 0; field < 4; ++field) {
      const auto value = static_cast<uint32_t>(rng() % vocab[field]);
      const auto bits = value_bits(field, value, 0);
      const auto typo = value_bits(field, value, 1);
      for (uint32_t k = 0; k < kPerValue; ++k) {
        set(left, i, bits[k]);
        set(right, i, field == typo_field && k < kPerValue / 3 ? typo[k] : bits[k]);
      }
      for (uint32_t b : value_bits(field, static_cast<uint32_t>(rng() % vocab[field]), 0)) set(right, n + i, b);
    }
  }
  const BitRows l{left.data(), n, kStride, kBits}, r{right.data(), 2 * n, kStride, kBits};
  auto dice = [&](size_t i, size_t j) {
    uint32_t common = 0, sum = 0;
    for (size_t k = 0; k < kStride; ++k) {
      common +=
          static_cast<uint32_t>(std::popcount(static_cast<uint8_t>(left[i * kStride + k] & right[j * kStride + k])));
      sum += static_cast<uint32_t>(std::popcount(left[i * kStride + k]) + std::popcount(right[j * kStride + k]));
    }
    return 2.0 * common / sum;
  };
  auto pairs = LshCandidatePairs(l, r, 0.8);
  ASSERT_TRUE(pairs.has_value()) << pairs.error().message();
  std::set<std::pair<uint32_t, uint32_t>> got;
  for (size_t k = 0; k < pairs->left.size(); ++k) got.insert({pairs->left[k], pairs->right[k]});
  size_t found = 0, at_threshold = 0, at_threshold_found = 0;
  for (uint32_t i = 0; i < n; ++i) {
    found += got.count({i, i});
    if (dice(i, i) >= 0.8) {
      ++at_threshold;
      at_threshold_found += got.count({i, i});
    }
  }
  const double pc = static_cast<double>(found) / n;
  const double rr = 1.0 - static_cast<double>(got.size()) / (2.0 * n * n);
  std::printf("realistic: %u bands of %u bits, PC %.4f, RR %.5f, %zu of %zu true pairs >= 0.8 found\n",
              pairs->parameters.bands, pairs->parameters.bits_per_band, pc, rr, at_threshold_found, at_threshold);
  EXPECT_GE(pc, 0.99);
  EXPECT_EQ(at_threshold_found, at_threshold) << "a true pair above the threshold was lost";
  EXPECT_GE(rr, 0.99);
  EXPECT_GE(pairs->parameters.expected_reduction_ratio, 0.99);
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

TEST(LshTest, MorePairsThanTheCapIsACleanRefusal) {
  Fixture f;
  LshOptions options{8, 4, 1};  // 4 bits per band: nearly every pair shares a bucket
  options.max_pairs = 1000;
  auto r = LshCandidatePairs(f.Left(), f.Right(), 0.8, options);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.error().message().find("more than 1000 candidate pairs"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("--lsh-bits"), std::string::npos);
  options.max_pairs = 1'000'000;  // the same run under a cap it fits
  auto fits = LshCandidatePairs(f.Left(), f.Right(), 0.8, options);
  ASSERT_TRUE(fits.has_value());
  EXPECT_GT(fits->left.size(), 1000u);
}

}  // namespace
}  // namespace matchguard
