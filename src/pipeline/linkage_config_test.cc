#include "src/pipeline/linkage_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

std::string ConfigError(std::string_view text) {
  auto config = ParseLinkageConfig(text, "c.toml");
  EXPECT_FALSE(config.has_value());
  return config.has_value() ? "" : config.error().message();
}

TEST(LinkageConfigTest, ReadsEverySection) {
  auto config = ParseLinkageConfig(R"toml(
[input]
delimiter = "tab"
[fields]
first_name = "Given"
[blocking]
rules = ["ssn", "soundex(last_name)+year(dob)"]
max_pairs = 1000
[comparisons.first_name]
jw_high = 0.95
jw_low = 0.9
[comparisons.sex]
enabled = false
[model]
max_iterations = 50
random_pairs = 5000
m.first_name.exact = 0.9
u.dob.exact = 0.001
[link]
threshold = 0.8
one_to_one = true
)toml",
                                   "c.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_THAT(config->blocking_rules, ::testing::ElementsAre("ssn", "soundex(last_name)+year(dob)"));
  EXPECT_THAT(config->blocking_rule_lines, ::testing::ElementsAre(7, 7));
  EXPECT_EQ(config->max_pairs, 1000u);
  EXPECT_EQ(config->max_iterations, 50);
  EXPECT_EQ(config->random_pairs, 5000u);
  EXPECT_DOUBLE_EQ(config->threshold, 0.8);
  EXPECT_TRUE(config->one_to_one);
  ASSERT_EQ(config->fixed.size(), 2u);
  EXPECT_EQ(config->fixed[0].line, 17);
  EXPECT_EQ(*config->comparisons.at(FieldKind::kFirstName).jw_high, 0.95);
  EXPECT_FALSE(*config->comparisons.at(FieldKind::kSex).enabled);
}

TEST(LinkageConfigTest, ErrorsNameTheLine) {
  EXPECT_THAT(ConfigError("[link]\nthreshold = 2\n"), HasSubstr("c.toml:2: link.threshold must be a number"));
  EXPECT_THAT(ConfigError("[link]\nthreshold = \"high\"\n"), HasSubstr("c.toml:2:"));
  EXPECT_THAT(ConfigError("\n[comparisons.shoe_size]\nenabled = true\n"),
              HasSubstr("c.toml:2: unknown field comparisons.shoe_size"));
  EXPECT_THAT(ConfigError("[comparisons.dob]\ncolour = 1\n"), HasSubstr("c.toml:2: unknown key comparisons.dob.colour"));
  EXPECT_THAT(ConfigError("[blocking]\nrules = [\"ssn\", \"wibble(dob)\"]\n"), HasSubstr("c.toml:2:"));
  EXPECT_THAT(ConfigError("[model]\nmax_iterations = -3\n"), HasSubstr("c.toml:2: model.max_iterations must be a positive"));
  EXPECT_THAT(ConfigError("[model]\nm.first_name.exact = 1.5\n"), HasSubstr("c.toml:2: model.m.first_name.exact"));
  EXPECT_THAT(ConfigError("[linking]\nx = 1\n"), HasSubstr("c.toml:1: unknown table or key linking"));
  EXPECT_THAT(ConfigError("[link\nthreshold = 0.5\n"), HasSubstr("c.toml:1: malformed TOML"));
}

std::vector<LevelSpec> TwoSpecs() {
  return {LevelSpec{FieldKind::kFirstName, "first_name", LevelNames(FieldKind::kFirstName, false), 1},
          LevelSpec{FieldKind::kSex, "sex", LevelNames(FieldKind::kSex, false), -1}};
}

TEST(LinkageConfigTest, FixedProbabilitiesAreCheckedAgainstTheComparisons) {
  auto config = ParseLinkageConfig("[model]\nm.first_name.nickname = 0.05\nu.sex.exact = 0.5\n", "c.toml");
  ASSERT_TRUE(config.has_value());
  std::map<std::pair<size_t, int>, double> m, u;
  ASSERT_TRUE(CheckFixedProbabilities(*config, TwoSpecs(), &m, &u).ok());
  EXPECT_EQ(m.at({0, 4}), 0.05);
  EXPECT_EQ(u.at({1, 1}), 0.5);

  auto bad_level = ParseLinkageConfig("[model]\n\nm.first_name.twin = 0.05\n", "c.toml");
  Status s = CheckFixedProbabilities(*bad_level, TwoSpecs(), &m, &u);
  EXPECT_THAT(s.message(), HasSubstr("c.toml:3: model.m.first_name.twin: unknown level twin"));
  EXPECT_THAT(s.message(), HasSubstr("exact, jw_high"));
  auto bad_field = ParseLinkageConfig("[model]\nu.ssn.exact = 0.05\n", "c.toml");
  EXPECT_THAT(CheckFixedProbabilities(*bad_field, TwoSpecs(), &m, &u).message(),
              HasSubstr("c.toml:2: model.u.ssn.exact: no comparison ssn is in use (compared: first_name, sex)"));
}

TEST(LinkageConfigTest, OverridesDisableAndSetThresholds) {
  auto config = ParseLinkageConfig("[comparisons.sex]\nenabled = false\n[comparisons.first_name]\njw_low = 0.8\n",
                                   "c.toml");
  ASSERT_TRUE(config.has_value());
  std::vector<LevelSpec> specs = TwoSpecs();
  ASSERT_TRUE(ApplyComparisonOverrides(*config, &specs).ok());
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].jw_low, 0.8);

  auto wrong = ParseLinkageConfig("[comparisons.sex]\njw = 0.9\n", "c.toml");
  specs = TwoSpecs();
  EXPECT_THAT(ApplyComparisonOverrides(*wrong, &specs).message(),
              HasSubstr("c.toml:1: comparisons.sex has no Jaro-Winkler level"));
}

}  // namespace
}  // namespace matchguard
