#include "src/normalize/text.h"

#include <gtest/gtest.h>

namespace matchguard {
namespace {

struct FoldCase {
  std::string_view input;
  std::string_view folded;
};

TEST(FoldTextTest, GoldenTable) {
  const FoldCase cases[] = {
      {"José Ñúñez-García", "jose nunez garcia"},
      {"ÅSA", "asa"},
      {"Ｆｕｌｌｗｉｄｔｈ", "fullwidth"},
      {"O'Brien", "obrien"},
      {"O’Brien", "obrien"},
      {"Mary-Jane", "mary jane"},
      {"  Smith ,  John  ", "smith john"},
      {"St. John", "st john"},
      {"MÜLLER", "muller"},
      {"Straße", "strasse"},
      {"Øre Łódź", "ore lodz"},
      {"Æsir", "aesir"},
      {"Zoë\tvan  der\nBerg", "zoe van der berg"},
      {"ﬁnn", "finn"},  // ligature fi, NFKC
      {"Ⅻ", "xii"},     // roman numeral, NFKC compatibility
      {"Dvořák", "dvorak"},
      {"Σωκράτης", "σωκρατησ"},  // non-Latin letters stay, case folded (final sigma too)
      {"---", ""},
      {"", ""},
      {"a1-b2", "a1 b2"},
  };
  for (const FoldCase& c : cases) EXPECT_EQ(FoldText(c.input), c.folded) << c.input;
}

TEST(FoldTextTest, AsciiAndUnicodePathsAgree) {
  // The same text, once pure ASCII and once with a non-ASCII character that folds away, folds alike.
  EXPECT_EQ(FoldText("Anne-Marie O'Neil, Jr."), "anne marie oneil jr");
  EXPECT_EQ(FoldText("Anne-Marie O'Neil, Jr.\u00A0"), "anne marie oneil jr");
}

// The table-driven Latin path must agree with utf8proc for every code point it covers, alone, between
// words, and followed by a combining mark (which forces the full path for the whole text).
TEST(FoldTextTest, LatinFastPathAgreesWithUtf8proc) {
  for (char32_t cp = 0x80; cp < 0x300; ++cp) {
    std::string ch;
    if (cp < 0x800) {
      ch = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    }
    for (const std::string& text : {ch, "Ab" + ch + "Cd", ch + " x-" + ch, ch + "\u0301", "O'" + ch + "'N"}) {
      std::string slow;
      internal::FoldTextWithUtf8proc(text, &slow);
      EXPECT_EQ(FoldText(text), slow) << "U+" << std::hex << static_cast<uint32_t>(cp);
    }
  }
}

TEST(FoldTextTest, InvalidUtf8KeepsTheAsciiLetters) {
  EXPECT_EQ(FoldText("ab\xFF"
                     "cd"),
            "ab cd");
}

TEST(FoldTextTest, FoldTextIntoReusesTheBuffer) {
  std::string out = "stale";
  FoldTextInto("New", &out);
  EXPECT_EQ(out, "new");
}

TEST(TrimAsciiTest, TrimsSpacesTabsAndLineEnds) {
  EXPECT_EQ(TrimAscii(" \t x y \r\n"), "x y");
  EXPECT_EQ(TrimAscii("   "), "");
}

}  // namespace
}  // namespace matchguard
