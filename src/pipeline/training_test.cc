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
  ASSERT_EQ(model->training.sources.size(), 2u);
  EXPECT_EQ(model->training.sources[0].name, "a");
  EXPECT_EQ(model->training.sources[0].rejected, "");
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

// A blocking rule on a name key in a dense region: its non-matches share the key AND (being neighbours
// with the same name) agree on "state" 90% of the time, where random pairs agree 5% of the time. With u
// pinned to the random pairs, EM can only explain that agreement by calling almost every pair a match,
// which makes a different date of birth nearly free. Comparisons: name (the rule's, masked), dob, ssn,
// state; levels null, exact, else.
struct DenseRule {
  ModelSpec spec;
  PatternCounts blocked, random;
  std::vector<RulePairs> rules;
};

DenseRule SimulateDenseRule(double pairs, double matches) {
  DenseRule d;
  for (const char* name : {"name", "dob", "ssn", "state"})
    d.spec.comparisons.push_back({name, {"null", "exact", "else"}, -1});
  const double m_exact[] = {0.95, 0.95, 0.93, 0.97};
  const double u_exact[] = {0.001, 0.0001, 0.00001, 0.05};
  const double u_block_state = 0.9;  // non-matches in the rule agree on state far more than random pairs
  std::map<Pattern, uint64_t> rule, random;
  for (int dob = 1; dob <= 2; ++dob) {
    for (int ssn = 1; ssn <= 2; ++ssn) {
      for (int state = 1; state <= 2; ++state) {
        auto share = [](double exact, int level) { return level == 1 ? exact : 1 - exact; };
        const double m = share(m_exact[1], dob) * share(m_exact[2], ssn) * share(m_exact[3], state);
        const double u_in_rule = share(u_exact[1], dob) * share(u_exact[2], ssn) * share(u_block_state, state);
        Pattern p = WithLevel(WithLevel(WithLevel(WithLevel(0, 0, 1), 1, dob), 2, ssn), 3, state);
        rule[p] = static_cast<uint64_t>(std::llround(matches * m + (pairs - matches) * u_in_rule));
        for (int name = 1; name <= 2; ++name) {
          double u =
              share(u_exact[0], name) * share(u_exact[1], dob) * share(u_exact[2], ssn) * share(u_exact[3], state);
          random[WithLevel(p, 0, name)] = static_cast<uint64_t>(std::llround(1e6 * u));
        }
      }
    }
  }
  d.blocked = ToPatternCounts(rule);
  d.random = ToPatternCounts(random);
  d.rules = {{"soundex(name)+first3(zip)", {0}, d.blocked, 1.0}};
  return d;
}

TrainingOptions DenseOptions(double max_matches) {
  TrainingOptions options;
  options.max_matches = max_matches;
  options.identity = {1, 2};
  return options;
}

TEST(TrainingTest, CorrelatedAgreementInsideARuleDoesNotMakeEveryPairAMatch) {
  DenseRule d = SimulateDenseRule(300'000, 30'000);
  auto model = TrainOnBlockedPairs(d.spec, d.blocked, d.random, d.rules, 1e10, DenseOptions(100'000));
  ASSERT_TRUE(model.has_value()) << model.error().message();
  ASSERT_EQ(model->training.sources.size(), 1u);
  EXPECT_EQ(model->training.sources[0].rejected, "");
  EXPECT_NEAR(model->training.sources[0].matches, 30'000, 1'500);
  // A different date of birth and SSN must count heavily against a match (m(else) near 0.05, not ~0.9).
  EXPECT_NEAR(model->params.m[1][2], 0.05, 0.02);
  EXPECT_NEAR(model->params.m[2][2], 0.07, 0.02);
  EXPECT_LT(PartialWeight(*model, 1, 2), -3.0);
  // The only warning: the rule's own comparison is trained by no population.
  ASSERT_EQ(model->training.warnings.size(), 1u);
  EXPECT_THAT(model->training.warnings[0], ::testing::HasSubstr("leaves name free"));
  // The fit with u from random pairs collapsed; the refit with u estimated inside the population is kept.
  EXPECT_THAT(model->em.note, ::testing::HasSubstr("refit with u estimated inside"));
}

TEST(TrainingTest, AFitBeyondWhatTheFilesCanHoldIsRejectedAndWarned) {
  // The same rule, but the files can hold only 10,000 matches: the EM solution with 30,000 is implausible.
  DenseRule d = SimulateDenseRule(300'000, 30'000);
  auto model = TrainOnBlockedPairs(d.spec, d.blocked, d.random, d.rules, 1e10, DenseOptions(10'000));
  ASSERT_TRUE(model.has_value()) << model.error().message();
  ASSERT_EQ(model->training.sources.size(), 1u);
  EXPECT_THAT(model->training.sources[0].rejected, ::testing::HasSubstr("degenerate"));
  EXPECT_FALSE(model->training.warnings.empty());
  EXPECT_THAT(ExplainModel(*model), ::testing::HasSubstr("REJECTED"));
}

TEST(TrainingTest, TheAnchorGivesMForTheOtherFieldsAndAMatchCount) {
  DenseRule d = SimulateDenseRule(300'000, 30'000);
  TrainingOptions options = DenseOptions(100'000);
  options.anchor = {1, 2};  // dob and ssn exact
  options.anchor_name = "dob+ssn";
  auto model = TrainOnBlockedPairs(d.spec, d.blocked, d.random, d.rules, 1e10, options);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  ASSERT_EQ(model->training.sources.size(), 2u);
  EXPECT_EQ(model->training.sources[1].rejected, "");
  // The anchor's pairs are matches exact on dob and ssn: 30,000 * 0.95 * 0.93 (plus ~0 non-matches); divided
  // by that recall, about 30,000 matches, the same as EM's.
  EXPECT_NEAR(model->training.anchor_matches, 30'000, 1'500);
  EXPECT_NEAR(model->params.m[3][1], 0.97, 0.01);
}

// Comparisons name, dob, ssn, street (null, exact, else). 10,000 matches with m(ssn else) = 0.01, plus
// 2,000 look-alikes: strangers with the same name and date of birth, a different SSN and street. In the
// population blocked on dob, EM calls the look-alikes matches (name agreement is rare among random pairs),
// which puts m(ssn else) far above 0.01; pairs exact on dob, name AND street hold no look-alike.
struct LookAlikes {
  ModelSpec spec;
  PatternCounts blocked, random;
  std::vector<RulePairs> rules;
};

LookAlikes SimulateLookAlikes() {
  LookAlikes d;
  for (const char* name : {"name", "dob", "ssn", "street"})
    d.spec.comparisons.push_back({name, {"null", "exact", "else"}, -1});
  const double m_exact[] = {0.95, 0.95, 0.99, 0.90};
  const double u_exact[] = {0.001, 0.0001, 0.00001, 0.001};
  auto share = [](double exact, int level) { return level == 1 ? exact : 1 - exact; };
  std::map<Pattern, double> blocked;
  std::map<Pattern, uint64_t> random;
  for (int name = 1; name <= 2; ++name) {
    for (int dob = 1; dob <= 2; ++dob) {
      for (int ssn = 1; ssn <= 2; ++ssn) {
        for (int street = 1; street <= 2; ++street) {
          const int levels[] = {name, dob, ssn, street};
          Pattern p = 0;
          double m = 1, u = 1;
          for (size_t c = 0; c < 4; ++c) {
            p = WithLevel(p, c, levels[c]);
            m *= share(m_exact[c], levels[c]);
            u *= share(u_exact[c], levels[c]);
          }
          random[p] = static_cast<uint64_t>(std::llround(1e6 * u));
          // Blocked on dob: every match exact on dob, and 50,000 non-matches of the same birth date.
          if (dob == 1) blocked[p] += 10'000 * m + 50'000 * u / u_exact[1];
        }
      }
    }
  }
  const Pattern look_alike = WithLevel(WithLevel(WithLevel(WithLevel(0, 0, 1), 1, 1), 2, 2), 3, 2);
  blocked[look_alike] += 2'000;
  std::map<Pattern, uint64_t> counts;
  for (const auto& [p, n] : blocked) counts[p] = static_cast<uint64_t>(std::llround(n));
  d.blocked = ToPatternCounts(counts);
  d.random = ToPatternCounts(random);
  d.rules = {{"dob", {1}, d.blocked, 1.0}};
  return d;
}

TEST(TrainingTest, LookAlikesInAnEmPopulationDoNotSetTheIdentifiersM) {
  LookAlikes d = SimulateLookAlikes();
  TrainingOptions options = DenseOptions(100'000);
  options.anchor = {2, 1};  // ssn and dob exact
  options.anchor_name = "ssn+dob";
  auto without = TrainOnBlockedPairs(d.spec, d.blocked, d.random, d.rules, 1e10, options);
  ASSERT_TRUE(without.has_value()) << without.error().message();
  // The dob population alone says a different SSN is far more common among matches than it is.
  EXPECT_GT(without->params.m[2][2], 0.05);

  options.field_anchors = {{2, "dob+name+street", {1, 0, 3}}};
  auto model = TrainOnBlockedPairs(d.spec, d.blocked, d.random, d.rules, 1e10, options);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  EXPECT_NEAR(model->params.m[2][2], 0.01, 0.003);
  EXPECT_LT(PartialWeight(*model, 2, 2), -6.0);
  EXPECT_THAT(model->em.note, ::testing::HasSubstr("EM populations put m(ssn else)"));
  ASSERT_EQ(model->training.sources.size(), 3u);
  EXPECT_EQ(model->training.sources[2].name, "anchor for ssn: dob+name+street");
  EXPECT_EQ(model->training.sources[2].rejected, "");
  // The main anchor trains name and street, the field anchor ssn: together most of the m estimates.
  EXPECT_GT(model->training.sources[1].weight + model->training.sources[2].weight, 0.6);
}

}  // namespace
}  // namespace matchguard
