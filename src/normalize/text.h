// Text folding for person data: the one place where Unicode is reduced to comparable keys.
//
// FoldText applies Unicode NFKC, case folding and stripped diacritics (utf8proc), then the punctuation and
// spacing rules of person.h: letters and digits are kept, apostrophes are dropped ("O'Brien" -> "obrien"),
// every other character (hyphens, dots, commas, symbols, any white space) separates words, and words are
// joined by exactly one space with none at either end. Letters that Unicode does not decompose but people
// write without their stroke are mapped too ("Øre" -> "ore", "Łódź" -> "lodz", "Æsir" -> "aesir").
// Pure ASCII input never reaches utf8proc, nor does text whose only non-ASCII characters are Latin letters
// (U+00A0..U+024F), which are folded by a table computed with utf8proc once.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace matchguard {

std::string FoldText(std::string_view utf8);

// The same, writing into `out` (cleared first) so a loop over a column can reuse one buffer.
void FoldTextInto(std::string_view utf8, std::string* out);

namespace internal {
// FoldText without its ASCII and Latin fast paths, for tests that check the paths agree.
void FoldTextWithUtf8proc(std::string_view utf8, std::string* out);
}  // namespace internal

// Leading and trailing ASCII spaces, tabs, CR and LF removed.
std::string_view TrimAscii(std::string_view text);

}  // namespace matchguard
