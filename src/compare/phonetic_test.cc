#include "src/compare/phonetic.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace matchguard {
namespace {

using Golden = std::vector<std::pair<std::string, std::string>>;

TEST(SoundexTest, NationalArchivesExamples) {
  const Golden cases = {
      {"Robert", "R163"},   {"Rupert", "R163"},    {"Rubin", "R150"},      {"Tymczak", "T522"},
      {"Pfister", "P236"},  {"Honeyman", "H555"},  {"Ashcraft", "A261"},   {"Ashcroft", "A261"},
      {"Lee", "L000"},      {"Gutierrez", "G362"}, {"Jackson", "J250"},    {"Washington", "W252"},
      {"Lloyd", "L300"},    {"A", "A000"},         {"vandeusen", "V532"},  {"van deusen", "V532"},
      {"O'Hara", "O600"},   {"", ""},              {"1234", ""},           {"smith", "S530"},
  };
  for (const auto& [name, code] : cases) EXPECT_EQ(Soundex(name), code) << name;
}

TEST(NysiisTest, OriginalAlgorithmTruncatedToSix) {
  const Golden cases = {
      {"Knight", "NAGT"},     {"Mitchell", "MATCAL"},  {"Macintosh", "MCANT"}, {"Worthy", "WARTY"},
      {"Ogata", "OGAT"},      {"Montgomery", "MANTGA"}, {"Costales", "CASTAL"}, {"Tu", "T"},
      {"Catherine", "CATARA"}, {"Katherine", "CATARA"}, {"Johnathan", "JANATA"}, {"Jonathan", "JANATA"},
      {"John", "JAN"},        {"Teresa", "TARAS"},     {"Theresa", "TARAS"},   {"Jessica", "JASAC"},
      {"Joshua", "JAS"},      {"Bishop", "BASAP"},     {"", ""},               {"--", ""},
  };
  for (const auto& [name, code] : cases) EXPECT_EQ(Nysiis(name), code) << name;
}

TEST(PhoneticTest, CaseAndPunctuationDoNotMatter) {
  EXPECT_EQ(Soundex("o'brien"), Soundex("OBRIEN"));
  EXPECT_EQ(Nysiis("o'brien"), Nysiis("OBRIEN"));
  EXPECT_EQ(Nysiis("mary-jane"), Nysiis("MARYJANE"));
}

}  // namespace
}  // namespace matchguard
