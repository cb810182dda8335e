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

namespace matchguard {
namespace {

struct MetaphoneCase {
  std::string name;
  std::string primary;
  std::string alternate;
};

// Traced by hand through Philips' published rules; the comment names the rule each case exercises.
TEST(DoubleMetaphoneTest, PublishedRules) {
  const MetaphoneCase cases[] = {
      {"Smith", "SM0", "XMT"},          // initial S before M; TH
      {"Schmidt", "XMT", "SMT"},        // initial SCH before a consonant; DT
      {"Thompson", "TMPS", "TMPS"},     // TH before OM; truncation to 4
      {"Jose", "HS", "HS"},             // Spanish JOSE
      {"Knight", "NT", "NT"},           // silent initial K; GH after I
      {"Xavier", "SF", "SFR"},          // initial X; French final -IER
      {"Caesar", "SSR", "SSR"},         // CAESAR
      {"Gough", "KF", "KF"},            // GH after U after G
      {"Laugh", "LF", "LF"},            // GH as F
      {"Hugh", "H", "H"},               // Parker's rule: silent GH
      {"Dumb", "TM", "TM"},             // silent B after M
      {"Edge", "AJ", "AJ"},             // initial vowel; DGE
      {"Czerny", "SRN", "XRN"},         // CZ
      {"Wright", "RT", "RT"},           // silent initial W
      {"Philips", "FLPS", "FLPS"},      // PH
      {"Tagliaro", "TKLR", "TLR"},      // Italian GLI
      {"Arnow", "ARN", "ARNF"},         // silent final W after a vowel
      {"Zhao", "J", "J"},               // pinyin ZH
      {"Campbell", "KMPL", "KMPL"},     // PB
      {"Aubrey", "APR", "APR"},         // vowels after the first are dropped
      {"Breaux", "PR", "PR"},           // French silent final X
      {"Jankelowicz", "JNKL", "ANKL"},  // initial J; WICZ
      {"Gallegos", "KLKS", "KKS"},      // Spanish LL
      {"san jacinto", "SNHS", "SNHS"},  // SAN + J; words kept apart by a space
      {"Johnson", "JNSN", "ANSN"},      // initial J
      {"Williams", "ALMS", "FLMS"},     // initial W before a vowel
      {"Jones", "JNS", "ANS"},
      {"Brown", "PRN", "PRN"},
      {"Michael", "MKL", "MXL"},        // CHAE
      {"Thomas", "TMS", "TMS"},         // TH before OM
      {"Accident", "AKST", "AKST"},     // ACC before I
      {"Bacci", "PX", "PX"},            // CC before I
      {"Rogier", "RJ", "RJR"},          // French -IER
      {"", "", ""},
      {"123", "", ""},
  };
  for (const auto& c : cases) {
    const DoubleMetaphoneCodes codes = DoubleMetaphoneBoth(c.name);
    EXPECT_EQ(codes.primary, c.primary) << c.name;
    EXPECT_EQ(codes.alternate, c.alternate) << c.name;
    EXPECT_EQ(DoubleMetaphone(c.name), c.primary) << c.name;
    EXPECT_EQ(DoubleMetaphone(std::string(c.name)), DoubleMetaphone("  " + c.name + "!")) << c.name;
  }
}

TEST(DoubleMetaphoneTest, NeverLongerThanFourAndLowerCaseWorks) {
  EXPECT_EQ(DoubleMetaphone("smith"), "SM0");
  for (const char* name : {"Wolfeschlegelsteinhausenbergerdorff", "abcdefghijklmnopqrstuvwxyz", "zzzzzzzzzzzz"}) {
    EXPECT_LE(DoubleMetaphone(name).size(), 4u) << name;
    EXPECT_LE(DoubleMetaphoneBoth(name).alternate.size(), 4u) << name;
  }
}

}  // namespace
}  // namespace matchguard
