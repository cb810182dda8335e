#include "src/normalize/names.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "src/normalize/text.h"

namespace matchguard {
namespace {

TEST(NicknameTest, TableIsLargeFoldedAndFreeOfSelfPairs) {
  EXPECT_GE(NicknamePairs().size(), 300u);
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const NicknamePair& pair : NicknamePairs()) {
    EXPECT_EQ(FoldText(pair.nickname), pair.nickname);
    EXPECT_EQ(FoldText(pair.formal), pair.formal);
    EXPECT_NE(pair.nickname, pair.formal);
    EXPECT_TRUE(seen.insert({pair.nickname, pair.formal}).second) << pair.nickname << " " << pair.formal;
  }
}

TEST(NicknameTest, EquivalentBothWays) {
  const std::pair<std::string_view, std::string_view> equivalent[] = {
      {"bill", "william"}, {"will", "william"},     {"billy", "william"}, {"bill", "will"},      {"bob", "robert"},
      {"rob", "robert"},   {"bobby", "robert"},     {"bob", "rob"},       {"peggy", "margaret"}, {"maggie", "margaret"},
      {"meg", "margaret"}, {"peggy", "meg"},        {"liz", "elizabeth"}, {"beth", "elizabeth"}, {"betty", "elizabeth"},
      {"liz", "beth"},     {"al", "alfred"},        {"al", "albert"},     {"fred", "al"},        {"ann", "ann"},
      {"nate", "nathan"},  {"nathan", "nathaniel"}, {"sandy", "sandra"},
  };
  for (const auto& [a, b] : equivalent) {
    EXPECT_TRUE(NicknameEquivalent(a, b)) << a << " ~ " << b;
    EXPECT_TRUE(NicknameEquivalent(b, a)) << b << " ~ " << a;
  }
}

TEST(NicknameTest, NotEquivalent) {
  const std::pair<std::string_view, std::string_view> different[] = {
      {"bill", "robert"}, {"albert", "alfred"}, {"william", "robert"},
      {"peggy", "liz"},   {"john", "jane"},     {"zzz", "zzz2"},
      {"", ""},           {"bill", ""},         {"smith", "smyth"},
  };
  for (const auto& [a, b] : different) {
    EXPECT_FALSE(NicknameEquivalent(a, b)) << a << " ~ " << b;
    EXPECT_FALSE(NicknameEquivalent(b, a)) << b << " ~ " << a;
  }
}

TEST(StreetSuffixTest, TableHasTheCommonUspsSuffixes) {
  EXPECT_GE(StreetSuffixes().size(), 60u);
  const std::pair<std::string_view, std::string_view> golden[] = {
      {"street", "st"},   {"avenue", "ave"},  {"road", "rd"},        {"drive", "dr"},    {"court", "ct"},
      {"place", "pl"},    {"lane", "ln"},     {"boulevard", "blvd"}, {"circuit", "cir"}, {"crescent", "cres"},
      {"terrace", "ter"}, {"highway", "hwy"}, {"parkway", "pkwy"},
  };
  for (const auto& [word, abbreviation] : golden) {
    bool found = false;
    for (const StreetSuffix& suffix : StreetSuffixes())
      found |= suffix.word == word && suffix.abbreviation == abbreviation;
    EXPECT_TRUE(found) << word;
    EXPECT_EQ(StreetSuffixAbbreviation(word), abbreviation);
    EXPECT_EQ(StreetSuffixAbbreviation(abbreviation), abbreviation);
  }
  EXPECT_EQ(StreetSuffixAbbreviation("av"), "ave");
  EXPECT_EQ(StreetSuffixAbbreviation("stanley"), "");
}

TEST(StreetSuffixTest, Directionals) {
  EXPECT_EQ(DirectionalAbbreviation("north"), "n");
  EXPECT_EQ(DirectionalAbbreviation("southwest"), "sw");
  EXPECT_EQ(DirectionalAbbreviation("ne"), "ne");
  EXPECT_EQ(DirectionalAbbreviation("main"), "");
}

}  // namespace
}  // namespace matchguard
