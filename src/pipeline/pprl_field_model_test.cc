#include "src/pipeline/pprl_field_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

// ---- levels ----

TEST(FieldLevel, BinsDiceIntoLevels) {
  const std::vector<double> bins = {0.9, 0.7};
  EXPECT_EQ(FieldLevel(-1.0, bins), kNullLevel);
  EXPECT_EQ(FieldLevel(1.0, bins), 1);
  EXPECT_EQ(FieldLevel(0.95, bins), 2);
  EXPECT_EQ(FieldLevel(0.9, bins), 2);
  EXPECT_EQ(FieldLevel(0.75, bins), 3);
  EXPECT_EQ(FieldLevel(0.69, bins), 4);
  EXPECT_EQ(FieldLevel(0.0, bins), 4);
}

TEST(FieldModelSpec, OneComparisonPerFieldWithNamedLevels) {
  ModelSpec spec = FieldModelSpec({"dob", "first_name"}, {0.9, 0.7});
  ASSERT_EQ(spec.comparisons.size(), 2u);
  EXPECT_EQ(spec.comparisons[1].name, "first_name");
  EXPECT_THAT(spec.comparisons[0].levels,
              ::testing::ElementsAre("null", "identical", "dice >= 0.9", "dice >= 0.7", "else"));
  EXPECT_EQ(spec.comparisons[0].tf_level, -1);
}

TEST(FieldModelOptions, RejectsBadFieldsAndBins) {
  FieldModelOptions o;
  EXPECT_THAT(ValidateFieldModelOptions(o).message(), HasSubstr("at least one feature"));
  o.fields = {"dob", "dob"};
  EXPECT_THAT(ValidateFieldModelOptions(o).message(), HasSubstr("'dob' is listed twice"));
  o.fields = {"street+dob", "dob"};
  EXPECT_THAT(ValidateFieldModelOptions(o).message(), HasSubstr("'dob' is listed twice"));
  o.fields = {"street+", "dob"};
  EXPECT_THAT(ValidateFieldModelOptions(o).message(), HasSubstr("'' is not a feature identifier"));
  o.fields = {"dob"};
  o.bins = {0.7, 0.9};
  EXPECT_THAT(ValidateFieldModelOptions(o).message(), HasSubstr("strictly decreasing"));
  o.bins = {0.9, 1.0};
  EXPECT_FALSE(ValidateFieldModelOptions(o).ok());
  o.bins = {0.9, 0.5};
  EXPECT_TRUE(ValidateFieldModelOptions(o).ok());
  o.fields.assign(kMaxComparisons + 1, "x");
  EXPECT_THAT(ValidateFieldModelOptions(o).message(), HasSubstr("at most 16 features"));
}

// Features a and b; right row 0 equals left row 0 on a and keeps 5 of b's 10 bits; row 1 is empty on both.
TEST(FieldPatterns, DiceOfAComparisonIsOverAllItsFeatures) {
  auto filters = [](bool right) {
    FieldFilters out;
    out.paths = {{"x.a", "x.b"}};
    out.sets.resize(1);
    for (int f = 0; f < 2; ++f) {
      ClkSet set;
      set.Resize(64, 2);
      const int bits = right && f == 1 ? 5 : 10;
      for (int b = 0; b < bits; ++b) set.mutable_row(0)[b / 8] |= static_cast<uint8_t>(0x80 >> (b % 8));
      out.sets[0].push_back(std::move(set));
    }
    return out;
  };
  FieldFilters left = filters(false), right = filters(true);
  const std::vector<double> bins = {0.8, 0.6};
  // a and b together: 2 (10 + 5) / (20 + 15) = 0.857: "dice >= 0.8".
  EXPECT_THAT(FieldPatterns(left, right, {0, 1, 0}, {0, 1, 1}, bins, 1),
              ::testing::ElementsAre(WithLevel(0, 0, 2), WithLevel(0, 0, kNullLevel), WithLevel(0, 0, kNullLevel)));
  // b alone: 2 * 5 / 15 = 0.667: "dice >= 0.6"; a alone: identical.
  FieldFilters left_b = left, right_b = right;
  left_b.sets[0].erase(left_b.sets[0].begin());
  right_b.sets[0].erase(right_b.sets[0].begin());
  EXPECT_EQ(FieldPatterns(left_b, right_b, {0}, {0}, bins, 1), std::vector<Pattern>{WithLevel(0, 0, 3)});
  left.sets[0].pop_back();
  right.sets[0].pop_back();
  EXPECT_EQ(FieldPatterns(left, right, {0}, {0}, bins, 1), std::vector<Pattern>{WithLevel(0, 0, 1)});
}

// ---- EM on simulated patterns: known m and u, counts at their expectations ----

const std::vector<std::vector<double>> kM = {{0, 0.85, 0.10, 0.05}, {0, 0.75, 0.20, 0.05}, {0, 0.90, 0.06, 0.04}};
const std::vector<std::vector<double>> kU = {{0, 0.02, 0.08, 0.90}, {0, 0.01, 0.05, 0.94}, {0, 0.10, 0.20, 0.70}};

// Candidates are the pairs identical on a or b; the training populations are all pairs identical on a, and
// all pairs identical on b (as TrainingRulePairs finds them).
TEST(FitFieldModel, RecoversKnownMAndPriorAndOrdersPairs) {
  const ModelSpec spec = FieldModelSpec({"a", "b", "c"}, {0.8});
  const double pairs = 1e6, matches = 2e3;
  std::map<Pattern, uint64_t> candidates, random, rule_a, rule_b;
  for (int a = 1; a <= 3; ++a) {
    for (int b = 1; b <= 3; ++b) {
      for (int c = 1; c <= 3; ++c) {
        const Pattern p = WithLevel(WithLevel(WithLevel(0, 0, a), 1, b), 2, c);
        const double u = kU[0][a] * kU[1][b] * kU[2][c], m = kM[0][a] * kM[1][b] * kM[2][c];
        const auto n = static_cast<uint64_t>(std::llround((pairs - matches) * u + matches * m));
        random[p] = static_cast<uint64_t>(std::llround(pairs * u));
        if (a == 1 || b == 1) candidates[p] = n;
        if (a == 1) rule_a[p] = n;
        if (b == 1) rule_b[p] = n;
      }
    }
  }
  FieldModelOptions options;
  options.max_iterations = 2000;
  const std::vector<RulePairs> rules = {{"identical a", {0}, ToPatternCounts(rule_a), 1.0},
                                        {"identical b", {1}, ToPatternCounts(rule_b), 1.0}};
  auto model = FitFieldModel(spec, ToPatternCounts(candidates), ToPatternCounts(random), rules, pairs, options);
  ASSERT_TRUE(model.has_value()) << model.error().message();
  EXPECT_TRUE(model->em.converged) << model->em.note;
  for (size_t c = 0; c < 3; ++c) {
    for (int l = 1; l <= 3; ++l) {
      EXPECT_NEAR(model->params.m[c][l], kM[c][l], 0.02) << "comparison " << c << " level " << l;
      EXPECT_NEAR(model->params.u[c][l], kU[c][l], 0.005) << "comparison " << c << " level " << l;
    }
  }
  // Matches identical on neither a nor b are not candidates: the prior counts the others.
  const double candidate_share = 1 - (1 - kM[0][1]) * (1 - kM[1][1]);
  EXPECT_NEAR(model->params.prior, matches / pairs * candidate_share, 1e-4);
  uint64_t random_total = 0;
  for (const auto& [p, n] : random) random_total += n;
  EXPECT_EQ(model->random_pairs_sampled, random_total);

  auto probability = [&](int a, int b, int c) {
    return MatchProbability(*model, MatchWeight(*model, WithLevel(WithLevel(WithLevel(0, 0, a), 1, b), 2, c)));
  };
  // The posterior the true parameters give (with the model's prior), within a little.
  const double odds = model->params.prior / (1 - model->params.prior) * (kM[0][1] / kU[0][1]) * (kM[1][1] / kU[1][1]) *
                      (kM[2][1] / kU[2][1]);
  EXPECT_NEAR(probability(1, 1, 1), odds / (1 + odds), 0.01);
  EXPECT_GT(probability(1, 1, 1), probability(2, 1, 1));
  EXPECT_GT(probability(2, 1, 1), probability(3, 1, 1));
  // A missing value (null) is no evidence: between agreeing and disagreeing on it.
  EXPECT_GT(probability(1, 1, 1), probability(1, 1, 0));
  EXPECT_GT(probability(1, 1, 0), probability(1, 1, 3));
  EXPECT_LT(probability(3, 3, 3), 1e-4);
}

// ---- ScoreWithFieldModel on synthetic field-level filters in a memory file system ----

constexpr uint32_t kBits = 128;
constexpr int kValues = 100;  // each field takes one of 100 values, so random pairs agree 1 time in 100

// A filter for `value` with 24 bits set, deterministic per (field, value).
std::vector<uint32_t> BitsOf(int field, int value) {
  std::mt19937 rng(static_cast<uint32_t>(field * 1000 + value + 1));
  std::vector<uint32_t> bits;
  while (bits.size() < 24) {
    uint32_t b = rng() % kBits;
    if (std::find(bits.begin(), bits.end(), b) == bits.end()) bits.push_back(b);
  }
  return bits;
}

void SetBits(ClkSet& set, size_t row, const std::vector<uint32_t>& bits) {
  for (uint32_t b : bits) set.mutable_row(row)[b / 8] |= static_cast<uint8_t>(0x80 >> (b % 8));
}

struct Synthetic {
  std::unique_ptr<FileSystem> fs = NewMemoryFileSystem();
  ClkSet left, right;
  similarity::CandidatePairs all_pairs;
  std::vector<uint32_t> match_of_left;  // right row of left row i's match; UINT32_MAX for none
};

// 300 left and 300 right records, 200 shared people; four fields. A shared person's right-hand filter of a
// field is kept (prob. 0.8), loses 4 of its 24 bits (0.15: a typo) or is empty (0.05: missing). Every pair is a
// candidate. The whole-record files only supply the record counts.
Synthetic MakeSynthetic() {
  Synthetic s;
  const size_t n = 300, shared = 200, fields = 4;
  std::mt19937 rng(7);
  std::vector<std::vector<int>> left_values(n, std::vector<int>(fields)), right_values = left_values;
  for (auto& row : left_values)
    for (int& v : row) v = static_cast<int>(rng() % kValues);
  for (auto& row : right_values)
    for (int& v : row) v = static_cast<int>(rng() % kValues);
  std::vector<uint32_t> perm(n);
  for (uint32_t i = 0; i < n; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  s.match_of_left.assign(n, UINT32_MAX);
  for (size_t i = 0; i < shared; ++i) {
    s.match_of_left[i] = perm[i];
    right_values[perm[i]] = left_values[i];
  }
  s.left.Resize(kBits, n);
  s.right.Resize(kBits, n);
  for (size_t f = 0; f < fields; ++f) {
    ClkSet l, r;
    l.Resize(kBits, n);
    r.Resize(kBits, n);
    for (size_t i = 0; i < n; ++i) SetBits(l, i, BitsOf(static_cast<int>(f), left_values[i][f]));
    for (size_t j = 0; j < n; ++j) {
      std::vector<uint32_t> bits = BitsOf(static_cast<int>(f), right_values[j][f]);
      const uint32_t roll = rng() % 100;
      if (roll < 5) continue;                       // missing
      if (roll < 20) bits.resize(bits.size() - 4);  // a typo: Dice 40/44
      SetBits(r, j, bits);
    }
    const std::string name = "f" + std::to_string(f);
    EXPECT_TRUE(WriteClkFile(*s.fs, "left.bin." + name, l, ClkFormat::kBinary).ok());
    EXPECT_TRUE(WriteClkFile(*s.fs, "right.bin." + name, r, ClkFormat::kBinary).ok());
  }
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t j = 0; j < n; ++j) {
      s.all_pairs.left.push_back(i);
      s.all_pairs.right.push_back(j);
      s.all_pairs.similarity.push_back(0.5);
    }
  }
  return s;
}

FieldModelOptions SyntheticOptions() {
  FieldModelOptions o;
  o.fields = {"f0", "f1", "f2", "f3"};
  o.threads = 2;
  return o;
}

TEST(ScoreWithFieldModel, SeparatesMatchesOnSyntheticFilters) {
  Synthetic s = MakeSynthetic();
  auto scored = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, SyntheticOptions());
  ASSERT_TRUE(scored.has_value()) << scored.error().message();
  EXPECT_TRUE(scored->em_converged);
  EXPECT_GT(scored->em_iterations, 0);
  // 200 matches among 90,000 pairs.
  EXPECT_NEAR(scored->prior, 200.0 / 90000.0, 0.0005);
  size_t tp = 0;
  for (size_t k = 0; k < scored->pairs.size(); ++k) {
    EXPECT_GE(scored->pairs.similarity[k], 0.5);
    tp += s.match_of_left[scored->pairs.left[k]] == scored->pairs.right[k];
  }
  const size_t fp = scored->pairs.size() - tp;
  EXPECT_GE(tp, 190u) << "recall too low";
  EXPECT_LE(fp, 5u) << "precision too low";
  // The fitted model is the plaintext engine's JSON and reads back.
  auto model = ModelFromJson(scored->model_json, "model.json");
  ASSERT_TRUE(model.has_value()) << model.error().message();
  EXPECT_EQ(model->spec.comparisons.size(), 4u);
  EXPECT_EQ(model->random_pairs_sampled, 90000u);  // fewer pairs than asked: all of them
  // Identical filters are strong evidence, a missing value none.
  EXPECT_GT(PartialWeight(*model, 0, 1), 4.0);
  EXPECT_LT(PartialWeight(*model, 0, 4), 0.0);
}

TEST(ScoreWithFieldModel, FeaturesJoinedByPlusFormOneComparison) {
  Synthetic s = MakeSynthetic();
  FieldModelOptions o = SyntheticOptions();
  o.fields = {"f0+f1", "f2", "f3"};
  auto scored = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, o);
  ASSERT_TRUE(scored.has_value()) << scored.error().message();
  auto model = ModelFromJson(scored->model_json, "model.json");
  ASSERT_TRUE(model.has_value()) << model.error().message();
  ASSERT_EQ(model->spec.comparisons.size(), 3u);
  EXPECT_EQ(model->spec.comparisons[0].name, "f0+f1");
  size_t tp = 0;
  for (size_t k = 0; k < scored->pairs.size(); ++k)
    tp += s.match_of_left[scored->pairs.left[k]] == scored->pairs.right[k];
  EXPECT_GE(tp, 190u);
  EXPECT_LE(scored->pairs.size() - tp, 5u);
}

TEST(ScoreWithFieldModel, IsDeterministicAcrossThreadCounts) {
  Synthetic s = MakeSynthetic();
  FieldModelOptions one = SyntheticOptions(), two = SyntheticOptions();
  one.threads = 1;
  auto a = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, one);
  auto b = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, two);
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->pairs, b->pairs);
  EXPECT_EQ(a->model_json, b->model_json);
}

TEST(ScoreWithFieldModel, MissingFieldFileNamesItAndTheFeature) {
  Synthetic s = MakeSynthetic();
  FieldModelOptions o = SyntheticOptions();
  o.fields.push_back("zip");
  auto r = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, o);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(r.error().IsUserError());
  EXPECT_THAT(r.error().message(), HasSubstr("left.bin.zip: no field-level filters for feature 'zip'"));
  EXPECT_THAT(r.error().message(), HasSubstr("encode --field-level"));
}

// Scores the synthetic files after replacing one of them with `set`; returns the error.
Status ErrorAfterReplacing(const std::string& path, const ClkSet& set) {
  Synthetic s = MakeSynthetic();
  EXPECT_TRUE(WriteClkFile(*s.fs, path, set, ClkFormat::kBinary).ok());
  auto r = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, SyntheticOptions());
  return r.has_value() ? Status::Ok() : r.error();
}

TEST(ScoreWithFieldModel, RowCountMismatchNamesBothFiles) {
  ClkSet short_set;
  short_set.Resize(kBits, 299);
  Status error = ErrorAfterReplacing("right.bin.f1", short_set);
  EXPECT_TRUE(error.IsUserError());
  EXPECT_THAT(error.message(),
              HasSubstr("right.bin.f1: 299 field-level filters for feature 'f1' but right.bin has 300 encodings"));
}

TEST(ScoreWithFieldModel, BitLengthMismatchNamesBothFiles) {
  ClkSet wide;
  wide.Resize(256, 300);
  Status error = ErrorAfterReplacing("right.bin.f2", wide);
  EXPECT_TRUE(error.IsUserError());
  EXPECT_THAT(error.message(),
              HasSubstr("right.bin.f2: feature 'f2' has 256-bit filters but left.bin.f2 has 128-bit ones"));
}

TEST(ScoreWithFieldModel, NoCandidatesGivesNoPairs) {
  Synthetic s = MakeSynthetic();
  auto r = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, {}, SyntheticOptions());
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->pairs.size(), 0u);
}

}  // namespace
}  // namespace matchguard
