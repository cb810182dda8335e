#include "src/pipeline/training.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace matchguard {
namespace {

// Three comparisons with levels null, exact, close, else. Known m and u; every pattern's count is its
// expected count among 1,000 x 1,000 pairs holding 1,000 matches, so training should recover m closely.
const std::vector<std::vector<double>> kM = {{0, 0.90, 0.07, 0.03}, {0, 0.80, 0.15, 0.05}, {0, 0.70, 0.20, 0.10}};
const std::vector<std::vector<double>> kU = {{0, 0.01, 0.04, 0.95}, {0, 0.02, 0.08, 0.90}, {0, 0.05, 0.15, 0.80}};
constexpr double kPairs = 1e6;
constexpr double kMatches = 1e3;

ModelSpec Spec() {
  ModelSpec spec;
  for (const char* name : {"a", "b", "c"}) spec.comparisons.push_back({name, {"null", "exact", "close", "else"}, -1});
  return spec;
}

struct Simulated {
  PatternCounts all, blocked, random;
  std::vector<RulePairs> rules;
};

Simulated Simulate() {
  std::map<Pattern, uint64_t> all, random, blocked, rule_a, rule_b;
  for (int a = 1; a <= 3; ++a) {
    for (int b = 1; b <= 3; ++b) {
      for (int c = 1; c <= 3; ++c) {
        Pattern p = WithLevel(WithLevel(WithLevel(0, 0, a), 1, b), 2, c);
        double u = kU[0][a] * kU[1][b] * kU[2][c];
        double m = kM[0][a] * kM[1][b] * kM[2][c];
        auto n = static_cast<uint64_t>(std::llround((kPairs - kMatches) * u + kMatches * m));
        all[p] = n;
        random[p] = static_cast<uint64_t>(std::llround(kPairs * u));
        // Blocking on a exact, or b exact: each rule's pairs are all pairs agreeing on its key.
        if (a == 1 || b == 1) blocked[p] = n;
        if (a == 1) rule_a[p] = n;
        if (b == 1) rule_b[p] = n;
      }
    }
  }
  Simulated s;
  s.all = ToPatternCounts(all);
  s.blocked = ToPatternCounts(blocked);
  s.random = ToPatternCounts(random);
  s.rules = {{"a", {0}, ToPatternCounts(rule_a), 1.0}, {"b", {1}, ToPatternCounts(rule_b), 1.0}};
  return s;
}

TEST(TrainingTest, RecoversKnownMAndThePopulationPrior) {
  Simulated s = Simulate();
  TrainingOptions options;
  options.max_iterations = 2000;  // two free comparisons per rule: EM creeps
  auto model = TrainOnBlockedPairs(Spec(), s.blocked, s.random, s.rules, kPairs, options);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  EXPECT_TRUE(model->em.converged) << model->em.note;
  for (size_t c = 0; c < 3; ++c) {
    for (int l = 1; l <= 3; ++l) {
      EXPECT_NEAR(model->params.m[c][l], kM[c][l], 0.01) << "m of comparison " << c << " level " << l;
      EXPECT_NEAR(model->params.u[c][l], kU[c][l], 0.002) << "u of comparison " << c << " level " << l;
    }
  }
  // Matches not blocked by either rule (a and b both not exact) are lost to the prior's count, so the
  // prior is at least the blocked share of the true 1e-3 and at most the true value.
  const double blocked_share = 1 - (1 - kM[0][1]) * (1 - kM[1][1]);
  EXPECT_GT(model->params.prior, 1e-3 * blocked_share * 0.95);
  EXPECT_LT(model->params.prior, 1e-3 * 1.05);
  EXPECT_THAT(model->em.note, ::testing::HasSubstr("rule a"));
}

TEST(TrainingTest, FixedValuesFromTheConfigAreKept) {
  Simulated s = Simulate();
  TrainingOptions options;
  options.fixed_m[{2, 1}] = 0.5;
  auto model = TrainOnBlockedPairs(Spec(), s.blocked, s.random, s.rules, kPairs, options);
  ASSERT_TRUE(model.has_value());
  EXPECT_DOUBLE_EQ(model->params.m[2][1], 0.5);
}

TEST(TrainingTest, PopulationPriorCountsUnblockedPairsAsNonMatches) {
  Simulated s = Simulate();
  auto model = TrainOnBlockedPairs(Spec(), s.blocked, s.random, s.rules, kPairs, {});
  ASSERT_TRUE(model.has_value());
  // The same blocked pairs drawn from ten times more pairs: a smaller prior, and fewer expected matches.
  auto [prior, iterations] = FitPopulationPrior(*model, s.blocked, kPairs * 10, 1e-6, 1000);
  EXPECT_GT(iterations, 0);
  EXPECT_LT(prior, model->params.prior / 2);
  EXPECT_LT(prior * kPairs * 10, model->params.prior * kPairs);
  // Only blocked pairs exist: the prior is the match share among them.
  auto [blocked_prior, unused] = FitPopulationPrior(*model, s.blocked, 0, 1e-6, 1000);
  EXPECT_GT(blocked_prior, 0.03);
}

}  // namespace
}  // namespace matchguard
