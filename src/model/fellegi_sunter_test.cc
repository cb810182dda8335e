#include "src/model/fellegi_sunter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

ModelSpec ThreeComparisons() {
  ModelSpec spec;
  spec.comparisons.push_back({"first_name", {"null", "exact", "fuzzy", "else"}, 1});
  spec.comparisons.push_back({"dob", {"null", "exact", "one part differs", "else"}, -1});
  spec.comparisons.push_back({"ssn", {"null", "exact", "else"}, -1});
  return spec;
}

// Draws a level from `probs` (index 0 unused) or the null level with probability `null_rate`.
int Draw(std::mt19937_64& rng, const std::vector<double>& probs, double null_rate) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  if (unit(rng) < null_rate) return kNullLevel;
  double x = unit(rng);
  for (size_t l = 1; l < probs.size(); ++l) {
    if ((x -= probs[l]) < 0) return static_cast<int>(l);
  }
  return static_cast<int>(probs.size() - 1);
}

struct Truth {
  double prior = 0.05;
  std::vector<std::vector<double>> m = {{0, 0.85, 0.10, 0.05}, {0, 0.90, 0.07, 0.03}, {0, 0.95, 0.05}};
  std::vector<std::vector<double>> u = {{0, 0.01, 0.04, 0.95}, {0, 0.002, 0.05, 0.948}, {0, 0.001, 0.999}};
};

PatternCounts Simulate(const Truth& truth, size_t pairs, double prior, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::map<Pattern, uint64_t> counts;
  for (size_t i = 0; i < pairs; ++i) {
    const bool match = unit(rng) < prior;
    Pattern p = 0;
    for (size_t c = 0; c < truth.m.size(); ++c) {
      p = WithLevel(p, c, Draw(rng, match ? truth.m[c] : truth.u[c], 0.05));
    }
    ++counts[p];
  }
  return ToPatternCounts(counts);
}

TEST(FellegiSunterTest, PatternPacksFourBitsPerComparison) {
  Pattern p = WithLevel(WithLevel(0, 0, 3), 15, 14);
  EXPECT_EQ(LevelOf(p, 0), 3);
  EXPECT_EQ(LevelOf(p, 15), 14);
  EXPECT_EQ(LevelOf(WithLevel(p, 0, 1), 0), 1);
}

TEST(FellegiSunterTest, EmRecoversKnownMAndPriorWithUFromRandomPairs) {
  Truth truth;
  ModelSpec spec = ThreeComparisons();
  auto u = EstimateU(spec, Simulate(truth, 400000, 0.0, 7));
  for (size_t c = 0; c < spec.comparisons.size(); ++c) {
    for (size_t l = 1; l < truth.u[c].size(); ++l) EXPECT_NEAR(u[c][l], truth.u[c][l], 0.003) << c << "," << l;
  }
  auto model = TrainModel(spec, Simulate(truth, 200000, truth.prior, 11), u);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  EXPECT_TRUE(model->em.converged) << model->em.note;
  EXPECT_NEAR(model->params.prior, truth.prior, 0.003);
  for (size_t c = 0; c < spec.comparisons.size(); ++c) {
    for (size_t l = 1; l < truth.m[c].size(); ++l) {
      EXPECT_NEAR(model->params.m[c][l], truth.m[c][l], 0.02) << spec.comparisons[c].name << " level " << l;
    }
  }
  // The log-likelihood of EM never decreases.
  const auto& ll = model->em.log_likelihood;
  for (size_t i = 1; i < ll.size(); ++i) EXPECT_GE(ll[i], ll[i - 1] - 1e-6);
}

TEST(FellegiSunterTest, EmAlsoRecoversUWhenItIsFree) {
  Truth truth;
  ModelSpec spec = ThreeComparisons();
  EmOptions options;
  options.fix_u = false;
  std::vector<std::vector<double>> flat_u = {{0, 0.1, 0.2, 0.7}, {0, 0.1, 0.2, 0.7}, {0, 0.1, 0.9}};
  auto model = TrainModel(spec, Simulate(truth, 200000, 0.2, 3), flat_u, options);
  ASSERT_TRUE(model.has_value());
  EXPECT_NEAR(model->params.prior, 0.2, 0.01);
  EXPECT_NEAR(model->params.m[0][1], truth.m[0][1], 0.03);
  EXPECT_NEAR(model->params.u[1][3], truth.u[1][3], 0.03);
}

TEST(FellegiSunterTest, FixedValuesAreKept) {
  Truth truth;
  ModelSpec spec = ThreeComparisons();
  EmOptions options;
  options.fixed_m[{2, 1}] = 0.7;
  auto u = EstimateU(spec, Simulate(truth, 50000, 0.0, 5));
  auto model = TrainModel(spec, Simulate(truth, 50000, truth.prior, 6), u, options);
  ASSERT_TRUE(model.has_value());
  EXPECT_DOUBLE_EQ(model->params.m[2][1], 0.7);
  EXPECT_NEAR(model->params.m[2][2], 0.3, 1e-9);
}

TEST(FellegiSunterTest, ReportsNonConvergenceHonestly) {
  Truth truth;
  ModelSpec spec = ThreeComparisons();
  EmOptions options;
  options.max_iterations = 1;
  options.tolerance = 1e-12;
  auto model = TrainModel(spec, Simulate(truth, 20000, 0.1, 9), EstimateU(spec, Simulate(truth, 20000, 0, 8)), options);
  ASSERT_TRUE(model.has_value());
  EXPECT_FALSE(model->em.converged);
  EXPECT_THAT(model->em.note, HasSubstr("did NOT converge in 1 iterations"));
}

Model SmallModel() {
  Model model;
  model.spec = ThreeComparisons();
  model.params.prior = 0.01;
  model.params.m = {{0, 0.8, 0.1, 0.1}, {0, 0.9, 0.05, 0.05}, {0, 0.9, 0.1}};
  model.params.u = {{0, 0.01, 0.09, 0.9}, {0, 0.001, 0.1, 0.899}, {0, 0.0001, 0.9999}};
  return model;
}

TEST(FellegiSunterTest, WeightsAndProbabilities) {
  Model model = SmallModel();
  EXPECT_NEAR(PartialWeight(model, 0, 1), std::log2(0.8 / 0.01), 1e-12);
  EXPECT_EQ(PartialWeight(model, 0, kNullLevel), 0.0);
  Pattern all_exact = WithLevel(WithLevel(WithLevel(0, 0, 1), 1, 1), 2, 1);
  Pattern ssn_missing = WithLevel(WithLevel(0, 0, 1), 1, 1);
  EXPECT_NEAR(MatchWeight(model, all_exact) - MatchWeight(model, ssn_missing), PartialWeight(model, 2, 1), 1e-12);
  // Prior 0.01 and weight 0 give probability 0.01; the inverse round-trips.
  EXPECT_NEAR(MatchProbability(model, 0.0), 0.01, 1e-12);
  EXPECT_NEAR(MatchProbability(model, WeightForProbability(model, 0.9)), 0.9, 1e-9);
}

// dob and ssn as one family (standing in for an address's fields, which change together).
TEST(FellegiSunterTest, AFamilyCountsItsJointEventOnce) {
  Model model = SmallModel();
  model.families.push_back({"pair", {1, 2}, 12.0, -3.0});
  auto pattern = [](int first, int dob, int ssn) {
    return WithLevel(WithLevel(WithLevel(0, 0, first), 1, dob), 2, ssn);
  };
  // All present members differ: the joint "else" weight replaces their sum.
  EXPECT_NEAR(MatchWeight(model, pattern(1, 3, 2)), PartialWeight(model, 0, 1) - 3.0, 1e-12);
  // All present members agree (exact or close): the joint "agree" weight.
  EXPECT_NEAR(MatchWeight(model, pattern(1, 1, 1)), PartialWeight(model, 0, 1) + 12.0, 1e-12);
  EXPECT_NEAR(MatchWeight(model, pattern(1, 2, 1)), PartialWeight(model, 0, 1) + 12.0, 1e-12);
  // Mixed agreement keeps the sum when it lies between the joint weights; fewer than two present keeps it.
  EXPECT_NEAR(MatchWeight(model, pattern(1, 1, 2)),
              PartialWeight(model, 0, 1) + PartialWeight(model, 1, 1) + PartialWeight(model, 2, 2), 1e-12);
  EXPECT_NEAR(MatchWeight(model, pattern(1, 3, 0)), PartialWeight(model, 0, 1) + PartialWeight(model, 1, 3), 1e-12);
  EXPECT_EQ(FamilyJointState(model.spec, model.families[0], pattern(3, 2, 2)), 0);
  // ... but partial agreement is never more evidence than full agreement (nor less than none): with a joint
  // "agree" weight of 2 bits, an exact dob beside a different SSN adds at most 2.
  model.families[0].all_agree_weight = 2.0;
  ASSERT_GT(PartialWeight(model, 1, 1) + PartialWeight(model, 2, 2), 2.0);
  EXPECT_NEAR(MatchWeight(model, pattern(1, 1, 2)), PartialWeight(model, 0, 1) + 2.0, 1e-12);
  model.families[0].all_agree_weight = 12.0;
  // Saved and loaded with the model; a family naming a comparison that does not exist is refused.
  auto back = ModelFromJson(ModelToJson(model), "m.json");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  ASSERT_EQ(back->families.size(), 1u);
  EXPECT_DOUBLE_EQ(back->families[0].all_else_weight, -3.0);
  model.families[0].comparisons = {1, 7};
  auto bad = ModelFromJson(ModelToJson(model), "m.json");
  ASSERT_FALSE(bad.has_value());
  EXPECT_THAT(bad.error().message(), HasSubstr("families[0]"));
}

TEST(FellegiSunterTest, RareValuesWeighMoreThanCommonOnes) {
  Model model = SmallModel();
  const double smith = TermFrequencyAdjustment(model, 0, 0.02);  // 2% of people
  const double zbigniew = TermFrequencyAdjustment(model, 0, 1e-5);
  EXPECT_LT(smith, 0.0);
  EXPECT_GT(zbigniew, 0.0);
  EXPECT_NEAR(zbigniew - smith, std::log2(0.02 / 1e-5), 1e-9);
  EXPECT_EQ(TermFrequencyAdjustment(model, 1, 1e-5), 0.0);  // dob has no tf level
}

TEST(FellegiSunterTest, JsonRoundTripAndExplain) {
  Model model = SmallModel();
  model.em.converged = true;
  model.em.iterations = 12;
  model.em.note = "converged";
  auto back = ModelFromJson(ModelToJson(model), "m.json");
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_TRUE(CheckModelMatchesSpec(*back, model.spec).ok());
  EXPECT_DOUBLE_EQ(back->params.m[1][2], 0.05);
  EXPECT_DOUBLE_EQ(back->params.prior, 0.01);
  EXPECT_EQ(back->em.iterations, 12);
  std::string text = ExplainModel(*back);
  EXPECT_THAT(text, HasSubstr("first_name"));
  EXPECT_THAT(text, HasSubstr("exact (tf)"));
  EXPECT_THAT(text, HasSubstr("EM: converged"));
}

TEST(FellegiSunterTest, BadModelFilesNameTheProblem) {
  EXPECT_THAT(ModelFromJson("{\n\"format\": \n", "m.json").error().message(),
              HasSubstr("m.json: line 3: not valid JSON"));
  EXPECT_THAT(ModelFromJson("{}", "m.json").error().message(), HasSubstr("not a matchguard model"));
  std::string json = ModelToJson(SmallModel());
  std::string bad = json;
  bad.replace(bad.find("\"m\": 0.8"), 8, "\"m\": 1.5");
  EXPECT_THAT(ModelFromJson(bad, "m.json").error().message(),
              HasSubstr("m.json: comparisons[0] ('first_name').levels[1]: 'm' is 1.5"));
}

TEST(FellegiSunterTest, RefusesModelTrainedOnOtherFields) {
  Model model = SmallModel();
  ModelSpec other = model.spec;
  other.comparisons[2].name = "zip";
  EXPECT_THAT(CheckModelMatchesSpec(model, other).message(), HasSubstr("'ssn' in the model but 'zip' here"));
  other.comparisons.pop_back();
  EXPECT_THAT(CheckModelMatchesSpec(model, other).message(), HasSubstr("trained on other fields"));
}

TEST(FellegiSunterTest, RejectsSpecsTheEngineCannotHold) {
  ModelSpec spec;
  EXPECT_FALSE(TrainModel(spec, {}, {}).has_value());
  spec.comparisons.push_back({"x", {"null", "else"}, -1});
  EXPECT_THAT(TrainModel(spec, {}, {{0, 1}}).error().message(), HasSubstr("expected 3 to 15"));
}

}  // namespace
}  // namespace matchguard
