#include "src/synth/tables.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <unordered_set>

#include "src/core/utf8.h"

namespace matchguard::synth {
namespace {

TEST(TablesTest, ListsAreLargeValidAndDistinct) {
  const Tables& t = Tables::Get();
  EXPECT_GE(t.first_names(false).size(), 200u);
  EXPECT_GE(t.first_names(true).size(), 200u);
  EXPECT_GE(t.surnames().size(), 500u);
  EXPECT_GE(t.street_names().size(), 100u);
  EXPECT_GE(t.cities().size(), 100u);
  std::unordered_set<std::string> seen;
  for (const std::string& s : t.surnames()) {
    EXPECT_TRUE(seen.insert(s).second) << s;
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
  EXPECT_EQ(t.first_names(false)[0].name, "James");
  EXPECT_EQ(t.first_names(true)[0].name, "Mary");
  EXPECT_EQ(t.surnames()[0], "Smith");
  // Accented, apostrophe and multi-word names are present as written.
  auto has = [&](std::string_view name) {
    return std::find(t.surnames().begin(), t.surnames().end(), name) != t.surnames().end();
  };
  EXPECT_TRUE(has("García"));
  EXPECT_TRUE(has("Núñez"));
  EXPECT_TRUE(has("O'Brien"));
  EXPECT_TRUE(has("De la Cruz"));
}

TEST(TablesTest, NicknamesComeFromTheNormalizeTable) {
  const Tables& t = Tables::Get();
  const auto& men = t.first_names(false);
  auto william = std::find_if(men.begin(), men.end(), [](const FirstName& n) { return n.name == "William"; });
  ASSERT_NE(william, men.end());
  EXPECT_NE(std::find(william->nicknames.begin(), william->nicknames.end(), "Bill"), william->nicknames.end());
  const auto& women = t.first_names(true);
  auto margaret = std::find_if(women.begin(), women.end(), [](const FirstName& n) { return n.name == "Margaret"; });
  ASSERT_NE(margaret, women.end());
  EXPECT_NE(std::find(margaret->nicknames.begin(), margaret->nicknames.end(), "Peggy"), margaret->nicknames.end());
  size_t with_nicknames = 0;
  for (const FirstName& n : men) with_nicknames += n.nicknames.empty() ? 0 : 1;
  EXPECT_GT(with_nicknames, 60u);
}

TEST(TablesTest, EverySuffixWordIsInTheUspsTable) {
  const Tables& t = Tables::Get();
  ASSERT_GE(t.suffixes().size(), 12u);
  EXPECT_EQ(t.suffixes()[0].word, "Street");
  EXPECT_EQ(t.suffixes()[0].abbreviation, "St");
}

TEST(TablesTest, ZipfHeadIsFarMoreCommonThanTail) {
  ZipfSampler z(200, 4.0, 1.05);
  EXPECT_GT(z.Probability(0), 20 * z.Probability(199));
  double total = 0;
  for (size_t r = 0; r < z.size(); ++r) total += z.Probability(r);
  EXPECT_NEAR(total, 1.0, 1e-12);
  // Draws follow the probabilities.
  std::vector<int> counts(200);
  Rng rng(11, Stream::kPerson, 0);
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) ++counts[z.Sample(rng)];
  EXPECT_NEAR(counts[0] / static_cast<double>(kDraws), z.Probability(0), 0.004);
  EXPECT_NEAR(counts[10] / static_cast<double>(kDraws), z.Probability(10), 0.002);
}

TEST(TablesTest, AccentHelpers) {
  std::string plain;
  AppendWithoutAccents(&plain, "Núñez-García Wiśniewski Ángel");
  EXPECT_EQ(plain, "Nunez-Garcia Wisniewski Angel");
  std::string upper;
  AppendUpper(&upper, "José o'brien");
  EXPECT_EQ(upper, "JOSÉ O'BRIEN");
  EXPECT_TRUE(HasAccent("Renée"));
  EXPECT_FALSE(HasAccent("Renee"));
}

}  // namespace
}  // namespace matchguard::synth
