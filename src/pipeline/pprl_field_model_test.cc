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

// Every field of a shared person is kept (80%), loses 4 of 24 bits (15%: Dice 40/44, level "dice >= 0.9")
// or is missing (5%: null). So m(identical) = 0.80 / 0.95 and m(>= 0.9) = 0.15 / 0.95; a random pair shares a
// value 1 time in 100, so u(identical) is about 0.01 * 0.84 (plus the 0.2% of pairs that match).
TEST(ScoreWithFieldModel, EmRecoversKnownMAndUAndOrdersPairs) {
  Synthetic s = MakeSynthetic();
  auto scored = ScoreWithFieldModel(*s.fs, "left.bin", "right.bin", s.left, s.right, s.all_pairs, SyntheticOptions());
  ASSERT_TRUE(scored.has_value()) << scored.error().message();
  auto model = ModelFromJson(scored->model_json, "model.json");
  ASSERT_TRUE(model.has_value()) << model.error().message();
  const double m_identical = 0.80 / 0.95, m_typo = 0.15 / 0.95;
  const double u_identical = (1 - 200.0 / 90000) * 0.01 * m_identical + 200.0 / 90000 * m_identical;
  for (size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(model->params.m[c][1], m_identical, 0.08) << "comparison " << c;
    EXPECT_NEAR(model->params.m[c][2], m_typo, 0.08) << "comparison " << c;
    EXPECT_LT(model->params.m[c][6], 0.03) << "comparison " << c;  // else: a shared person never differs more
    EXPECT_NEAR(model->params.u[c][1], u_identical, 0.004) << "comparison " << c;
    EXPECT_GT(model->params.u[c][6], 0.98) << "comparison " << c;
  }
  auto probability = [&](int level_of_f0) {
    Pattern p = 0;
    for (size_t c = 1; c < 4; ++c) p = WithLevel(p, c, 1);
    return MatchProbability(*model, MatchWeight(*model, WithLevel(p, 0, level_of_f0)));
  };
  // Identical > a typo > missing (no evidence) > different.
  EXPECT_GT(probability(1), probability(2));
  EXPECT_GT(probability(2), probability(kNullLevel));
  EXPECT_GT(probability(kNullLevel), probability(6));
  EXPECT_GT(probability(1), 0.99);
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
