#include "src/synth/typos.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "src/core/utf8.h"

namespace matchguard::synth {
namespace {

// Optimal string alignment distance (edits: insert, delete, substitute, swap adjacent).
size_t Osa(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(TyposTest, KeyboardNeighboursAreSymmetric) {
  for (char c = 'a'; c <= 'z'; ++c) {
    ASSERT_FALSE(KeyboardNeighbours(c).empty()) << c;
    for (char n : KeyboardNeighbours(c)) {
      EXPECT_NE(KeyboardNeighbours(n).find(c), std::string_view::npos) << c << " next to " << n;
    }
  }
  for (char c = '0'; c <= '9'; ++c) {
    for (char n : KeyboardNeighbours(c)) {
      EXPECT_NE(KeyboardNeighbours(n).find(c), std::string_view::npos) << c << " next to " << n;
    }
  }
  EXPECT_EQ(KeyboardNeighbours('q'), "wa");
  EXPECT_EQ(KeyboardNeighbours('5'), "2468");
  EXPECT_TRUE(KeyboardNeighbours('-').empty());
}

TEST(TyposTest, EveryTypoIsOneEditAndEveryKindOccurs) {
  int seen[5] = {};
  for (uint64_t i = 0; i < 4000; ++i) {
    Rng rng(7, Stream::kRight, i);
    std::string text = "Margaret";
    TypoKind kind = ApplyTypo(&text, rng);
    ++seen[static_cast<int>(kind)];
    if (kind == TypoKind::kNone) {
      EXPECT_EQ(text, "Margaret");
      continue;
    }
    // One edit, ignoring case (an edit at the capital may move it).
    EXPECT_EQ(Osa(Lower(text), "margaret"), 1u) << text;
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(text[0]))) << text;
  }
  for (int k = 1; k < 5; ++k) EXPECT_GT(seen[k], 400) << "kind " << k;
  EXPECT_LT(seen[0], 400);  // few draws are no-ops (a transposition of "rg" is fine; of "aa" would not be)
}

TEST(TyposTest, AccentedLettersAreNeverSplit) {
  for (uint64_t i = 0; i < 2000; ++i) {
    Rng rng(3, Stream::kRight, i);
    std::string text = "Núñez-García";
    ApplyTypo(&text, rng);
    EXPECT_TRUE(IsValidUtf8(text)) << text;
  }
  std::string one = "É";
  Rng rng(1, Stream::kRight, 1);
  EXPECT_EQ(ApplyTypo(&one, rng), TypoKind::kNone);
  EXPECT_EQ(one, "É");
}

TEST(TyposTest, DigitTypoChangesOneDigitToAKeypadNeighbour) {
  for (uint64_t i = 0; i < 500; ++i) {
    Rng rng(5, Stream::kRight, i);
    std::string ssn = "123456789";
    ASSERT_TRUE(ApplyDigitTypo(&ssn, rng));
    int changed = 0;
    for (size_t k = 0; k < ssn.size(); ++k) {
      if (ssn[k] == "123456789"[k]) continue;
      ++changed;
      EXPECT_NE(KeyboardNeighbours("123456789"[k]).find(ssn[k]), std::string_view::npos);
    }
    EXPECT_EQ(changed, 1);
  }
  std::string none;
  Rng rng(5, Stream::kRight, 0);
  EXPECT_FALSE(ApplyDigitTypo(&none, rng));
}

TEST(TyposTest, TranspositionSwapsTwoAdjacentDifferentDigits) {
  for (uint64_t i = 0; i < 500; ++i) {
    Rng rng(9, Stream::kRight, i);
    std::string ssn = "112345678";
    ASSERT_TRUE(TransposeAdjacentDigits(&ssn, rng));
    size_t first = 0;
    while (ssn[first] == "112345678"[first]) ++first;
    EXPECT_EQ(ssn[first], "112345678"[first + 1]);
    EXPECT_EQ(ssn[first + 1], "112345678"[first]);
    EXPECT_EQ(ssn.substr(first + 2), std::string("112345678").substr(first + 2));
  }
  std::string same = "7777";
  Rng rng(9, Stream::kRight, 0);
  EXPECT_FALSE(TransposeAdjacentDigits(&same, rng));
}

TEST(TyposTest, OcrConfusesLookAlikeGlyphs) {
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 400; ++i) {
    Rng rng(i, Stream::kRight, 0);
    std::string text = "Mary";
    ASSERT_TRUE(ApplyOcrConfusion(&text, rng));
    ASSERT_NE(text, "Mary");
    seen.insert(text);
  }
  EXPECT_TRUE(seen.count("Rnary")) << "m read as rn, keeping the capital";
  EXPECT_TRUE(seen.count("Mory") == 0);  // not a look-alike of a
  Rng rng(1, Stream::kRight, 0);
  std::string nothing = "Ajax";  // a, j, a, x: no look-alike group
  EXPECT_FALSE(ApplyOcrConfusion(&nothing, rng));
  EXPECT_EQ(nothing, "Ajax");
  std::string accented = "Núñez";
  for (int i = 0; i < 50; ++i) {
    std::string t = accented;
    ApplyOcrConfusion(&t, rng);
    ASSERT_TRUE(IsValidUtf8(t)) << t;
  }
}

TEST(TyposTest, PhoneticSpellingsSoundAlike) {
  std::set<std::string> seen;
  for (uint64_t i = 0; i < 400; ++i) {
    Rng rng(i, Stream::kRight, 1);
    std::string text = "Catherine";
    ASSERT_TRUE(ApplyPhoneticMisspelling(&text, rng));
    seen.insert(text);
  }
  EXPECT_TRUE(seen.count("Katherine"));
  EXPECT_TRUE(seen.count("Catherine") == 0);
  Rng rng(2, Stream::kRight, 1);
  std::string smith = "Smith";
  for (int i = 0; i < 20 && smith == "Smith"; ++i) {
    smith = "Smith";
    ApplyPhoneticMisspelling(&smith, rng);
  }
  EXPECT_TRUE(smith == "Smyth" || smith == "Smit" || smith == "Zmith") << smith;
}

TEST(TyposTest, TruncationKeepsThreeToSixCharactersAndWholeLetters) {
  std::set<size_t> lengths;
  for (uint64_t i = 0; i < 200; ++i) {
    Rng rng(i, Stream::kRight, 2);
    std::string text = "Christopher";
    ASSERT_TRUE(TruncateName(&text, rng));
    ASSERT_EQ(std::string("Christopher").substr(0, text.size()), text);
    lengths.insert(text.size());
    std::string accented = "Núñez-García";
    ASSERT_TRUE(TruncateName(&accented, rng));
    ASSERT_TRUE(IsValidUtf8(accented)) << accented;
  }
  EXPECT_EQ(lengths, (std::set<size_t>{3, 4, 5, 6}));
  Rng rng(1, Stream::kRight, 2);
  std::string short_name = "Al";
  EXPECT_FALSE(TruncateName(&short_name, rng));
  EXPECT_EQ(short_name, "Al");
}

TEST(TyposTest, OcrDigitsAreLookAlikes) {
  for (uint64_t i = 0; i < 200; ++i) {
    Rng rng(i, Stream::kRight, 3);
    std::string digits = "123456789";
    ASSERT_TRUE(ApplyOcrDigit(&digits, rng));
    size_t changed = 0;
    for (size_t k = 0; k < digits.size(); ++k) {
      if (digits[k] == "123456789"[k]) continue;
      ++changed;
      std::string pair = {"123456789"[k], digits[k]};
      EXPECT_TRUE(pair == "17" || pair == "27" || pair == "38" || pair == "49" || pair == "56" || pair == "65" ||
                  pair == "71" || pair == "83" || pair == "94")
          << pair;
    }
    EXPECT_EQ(changed, 1u);
  }
  Rng rng(1, Stream::kRight, 3);
  std::string none = "XXXXX";
  EXPECT_FALSE(ApplyOcrDigit(&none, rng));
}

}  // namespace
}  // namespace matchguard::synth
