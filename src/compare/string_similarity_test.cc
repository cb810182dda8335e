#include "src/compare/string_similarity.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "src/compare/string_similarity_reference.h"

namespace matchguard {
namespace {

struct SimilarityCase {
  std::string a;
  std::string b;
  double expected;
};

// Each case runs both ways round: every comparator is symmetric.
void ExpectSymmetric(double (*fn)(std::string_view, std::string_view), const SimilarityCase& c, double tol) {
  EXPECT_NEAR(fn(c.a, c.b), c.expected, tol) << "'" << c.a << "' vs '" << c.b << "'";
  EXPECT_NEAR(fn(c.b, c.a), c.expected, tol) << "'" << c.b << "' vs '" << c.a << "'";
}

double JaroWinklerDefault(std::string_view a, std::string_view b) { return JaroWinkler(a, b); }

TEST(JaroTest, GoldenValues) {
  const SimilarityCase cases[] = {
      {"MARTHA", "MARHTA", 0.9444}, {"DWAYNE", "DUANE", 0.8222}, {"DIXON", "DICKSONX", 0.7667},
      {"", "", 1.0},                {"", "A", 0.0},              {"A", "A", 1.0},
      {"A", "B", 0.0},              {"ABC", "ABC", 1.0},         {"ABC", "XYZ", 0.0},
      {"CRATE", "TRACE", 0.7333},   {"JONES", "JOHNSON", 0.7905}, {"ab", "ba", 0.0},
  };
  for (const auto& c : cases) ExpectSymmetric(Jaro, c, 5e-5);
}

TEST(JaroWinklerTest, GoldenValues) {
  const SimilarityCase cases[] = {
      {"MARTHA", "MARHTA", 0.9611}, {"DWAYNE", "DUANE", 0.84},   {"DIXON", "DICKSONX", 0.8133},
      {"", "", 1.0},                {"", "SMITH", 0.0},          {"S", "S", 1.0},
      {"S", "T", 0.0},              {"SMITH", "SMITH", 1.0},     {"JONES", "JOHNSON", 0.8324},
      {"SHACKLEFORD", "SHACKELFORD", 0.9818},
  };
  for (const auto& c : cases) ExpectSymmetric(JaroWinklerDefault, c, 5e-5);
}

TEST(JaroWinklerTest, PrefixIsCappedAtFourAndScaleAtAQuarter) {
  // Jaro("ABCDEX", "ABCDEY") = 0.8889; the bonus counts only 4 prefix characters.
  EXPECT_NEAR(JaroWinkler("ABCDEX", "ABCDEY"), 0.8889 + 0.4 * (1 - 0.8889), 1e-4);
  EXPECT_NEAR(JaroWinkler("ABCDEX", "ABCDEY", 1.0), 1.0, 1e-12);
  EXPECT_NEAR(JaroWinkler("ABCDEX", "ABCDEY", 0.0), Jaro("ABCDEX", "ABCDEY"), 1e-12);
}

TEST(JaroTest, Utf8ComparesCodePoints) {
  // "josé" has 4 code points, one differing from "jose": Jaro = (3/4 + 3/4 + 1) / 3.
  EXPECT_NEAR(Jaro("josé", "jose"), (0.75 + 0.75 + 1.0) / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(Jaro("müller", "müller"), 1.0);
  EXPECT_EQ(Levenshtein("müller", "muller"), 1);
  EXPECT_EQ(HammingDistance("zoë", "zoe"), 1);
  EXPECT_EQ(HammingDistance("zoë", "zo"), -1);
  EXPECT_TRUE(IsAdjacentTransposition("añb", "nab") == false);
  EXPECT_TRUE(IsAdjacentTransposition("añb", "ñab"));
  // Invalid UTF-8 bytes are compared as units and never crash.
  EXPECT_EQ(Levenshtein("a\xff", "a\xfe"), 1);
  EXPECT_EQ(Levenshtein("\xc3", "\xc3"), 0);
}

struct DistanceCase {
  std::string a;
  std::string b;
  int expected;
};

TEST(LevenshteinTest, GoldenValues) {
  const DistanceCase cases[] = {
      {"kitten", "sitting", 3}, {"", "", 0},          {"", "abc", 3},         {"a", "a", 0},
      {"a", "b", 1},            {"flaw", "lawn", 2},  {"ca", "abc", 3},       {"abcdef", "abcfed", 2},
      {"smith", "smtih", 2},    {"saturday", "sunday", 3}, {"gumbo", "gambol", 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Levenshtein(c.a, c.b), c.expected) << c.a << " / " << c.b;
    EXPECT_EQ(Levenshtein(c.b, c.a), c.expected) << c.b << " / " << c.a;
  }
}

TEST(DamerauLevenshteinTest, GoldenValuesOptimalStringAlignment) {
  const DistanceCase cases[] = {
      {"ca", "abc", 3},  {"abcdef", "abcfed", 2}, {"smith", "smtih", 1}, {"", "", 0},   {"", "ab", 2},
      {"ab", "ba", 1},   {"kitten", "sitting", 3}, {"abcd", "badc", 2},  {"a", "a", 0}, {"martha", "marhta", 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(DamerauLevenshtein(c.a, c.b), c.expected) << c.a << " / " << c.b;
    EXPECT_EQ(DamerauLevenshtein(c.b, c.a), c.expected) << c.b << " / " << c.a;
  }
}

int ReferenceLevenshtein(const std::string& a, const std::string& b) { return reference::EditDistance(a, b, false); }

TEST(LevenshteinTest, BitParallelPathMatchesDynamicProgrammingAroundWordLength) {
  std::mt19937 rng(7);
  for (size_t la : {1u, 2u, 31u, 63u, 64u, 65u, 100u}) {
    for (int trial = 0; trial < 20; ++trial) {
      std::string a(la, 'a');
      std::string b(la + rng() % 5, 'a');
      for (auto& ch : a) ch = static_cast<char>('a' + rng() % 4);
      for (auto& ch : b) ch = static_cast<char>('a' + rng() % 4);
      if (trial % 2) b.resize(rng() % (b.size() + 1));
      EXPECT_EQ(Levenshtein(a, b), ReferenceLevenshtein(a, b)) << a << " / " << b;
      EXPECT_EQ(Levenshtein(b, a), ReferenceLevenshtein(a, b));
      // Non-ASCII inputs take the code-point path: same answer on the same shape.
      std::string ua = "é" + a;
      std::string ub = "é" + b;
      EXPECT_EQ(Levenshtein(ua, ub), ReferenceLevenshtein(a, b));
    }
  }
}

TEST(JaccardBigramsTest, GoldenValues) {
  const SimilarityCase cases[] = {
      {"night", "nacht", 1.0 / 7.0},  // {ni,ig,gh,ht} vs {na,ac,ch,ht}: 1 shared of 7
      {"abc", "abc", 1.0},
      {"", "", 1.0},
      {"a", "a", 1.0},
      {"a", "b", 0.0},
      {"a", "ab", 0.0},
      {"aaaa", "aa", 1.0},  // sets, not multisets
      {"smith", "smyth", 2.0 / 6.0},
  };
  for (const auto& c : cases) ExpectSymmetric(JaccardBigrams, c, 1e-12);
}

TEST(IsAdjacentTranspositionTest, ExactlyOneSwappedPair) {
  EXPECT_TRUE(IsAdjacentTransposition("smith", "smtih"));
  EXPECT_TRUE(IsAdjacentTransposition("smtih", "smith"));
  EXPECT_TRUE(IsAdjacentTransposition("ab", "ba"));
  EXPECT_TRUE(IsAdjacentTransposition("1234", "1243"));
  EXPECT_FALSE(IsAdjacentTransposition("smith", "smith"));
  EXPECT_FALSE(IsAdjacentTransposition("abcd", "badc"));  // two swaps
  EXPECT_FALSE(IsAdjacentTransposition("abc", "cba"));    // not adjacent
  EXPECT_FALSE(IsAdjacentTransposition("abc", "ab"));
  EXPECT_FALSE(IsAdjacentTransposition("", ""));
  EXPECT_FALSE(IsAdjacentTransposition("a", "a"));
}

TEST(HammingDistanceTest, GoldenValues) {
  EXPECT_EQ(HammingDistance("karolin", "kathrin"), 3);
  EXPECT_EQ(HammingDistance("kathrin", "karolin"), 3);
  EXPECT_EQ(HammingDistance("", ""), 0);
  EXPECT_EQ(HammingDistance("123456789", "123456789"), 0);
  EXPECT_EQ(HammingDistance("abc", "abcd"), -1);
  EXPECT_EQ(HammingDistance("abcd", "abc"), -1);
}

double ReferenceJaro(const std::string& a, const std::string& b) { return reference::Jaro(a, b); }

TEST(JaroTest, BitMaskPathMatchesTheDefinitionAroundSixtyFourCharacters) {
  std::mt19937 rng(21);
  for (size_t la : {0u, 1u, 5u, 40u, 63u, 64u, 65u, 90u}) {
    for (int trial = 0; trial < 30; ++trial) {
      std::string a(la, 'a');
      std::string b(std::max<size_t>(1, la + rng() % 7) - 1, 'a');
      for (auto& ch : a) ch = static_cast<char>('a' + rng() % 5);
      for (auto& ch : b) ch = static_cast<char>('a' + rng() % 5);
      EXPECT_NEAR(Jaro(a, b), ReferenceJaro(a, b), 1e-12) << a << " / " << b;
      // The code-point path (one non-ASCII character on each side) agrees with the byte path.
      EXPECT_NEAR(Jaro(a + "é", b + "é"), ReferenceJaro(a + "#", b + "#"), 1e-12) << a << " / " << b;
    }
  }
}

TEST(JaroTest, SymmetricOnRandomStrings) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string a(rng() % 9, 'a');
    std::string b(rng() % 9, 'a');
    for (auto& ch : a) ch = static_cast<char>('a' + rng() % 3);
    for (auto& ch : b) ch = static_cast<char>('a' + rng() % 3);
    EXPECT_DOUBLE_EQ(Jaro(a, b), Jaro(b, a)) << a << " / " << b;
    EXPECT_EQ(DamerauLevenshtein(a, b), DamerauLevenshtein(b, a)) << a << " / " << b;
    EXPECT_LE(DamerauLevenshtein(a, b), Levenshtein(a, b));
  }
}

}  // namespace
}  // namespace matchguard
