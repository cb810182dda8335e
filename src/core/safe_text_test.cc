#include "matchguard/safe_text.h"

#include <gtest/gtest.h>

namespace matchguard {
namespace {

TEST(SafeTextTest, FindsEveryKindOfControlCharacter) {
  const std::string_view controls[] = {std::string_view("a\0b", 3),
                                       "a\nb",
                                       "a\rb",
                                       "a\tb",
                                       "a\x1b[2Jb",
                                       "a\x7f",
                                       "a\xC2\x85",       // NEL (C1)
                                       "a\xE2\x80\xAE",   // right-to-left override
                                       "a\xE2\x81\xA6",   // left-to-right isolate
                                       "a\xE2\x80\xA8"};  // line separator
  for (std::string_view text : controls) EXPECT_EQ(FindControlCharacter(text), 1u) << EscapeControlCharacters(text);
  EXPECT_EQ(FindControlCharacter("plain text, Zoë and 東京"), std::string_view::npos);
  EXPECT_EQ(FindControlCharacter("\xE2\x82\xAC euro"), std::string_view::npos);  // U+20AC is not a control
}

TEST(SafeTextTest, EscapesControlCharactersSoALineCannotBeForged) {
  EXPECT_EQ(EscapeControlCharacters("E1\ncase 99: confirmed"), "E1\\x0Acase 99: confirmed");
  EXPECT_EQ(EscapeControlCharacters(std::string_view("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(EscapeControlCharacters("\x1b[31mred"), "\\x1B[31mred");
  EXPECT_EQ(EscapeControlCharacters("x\xE2\x80\xAEy"), "x\\u{202E}y");
  EXPECT_EQ(EscapeControlCharacters("Zoë"), "Zoë");
}

TEST(SafeTextTest, FormulaCellsAreNeutralisedWithAQuote) {
  for (std::string_view cell : {"=HYPERLINK(\"http://x\")", "+SUM(1)", "-2+3", "@SUM(1)", "\tx", "\r=1",
                                "\xEF\xBC\x9D"
                                "1+1"}) {
    EXPECT_TRUE(StartsLikeFormula(cell)) << cell;
    EXPECT_EQ(NeutralizeCell(cell), "'" + std::string(cell));
  }
  for (std::string_view cell : {"", "E1", "Smith", "1E3", "a=b", "'quoted"}) {
    EXPECT_FALSE(StartsLikeFormula(cell)) << cell;
    EXPECT_EQ(NeutralizeCell(cell), cell);
  }
}

}  // namespace
}  // namespace matchguard
