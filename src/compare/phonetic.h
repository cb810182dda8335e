// Phonetic codes for names: American Soundex, original NYSIIS and Double Metaphone (primary code).
//
// Inputs are names as the normalize layer leaves them (folded, usually lower-case ASCII); upper or lower
// case gives the same code. Characters other than the letters A-Z (digits, punctuation, non-ASCII) are
// ignored, so "o'brien" is coded like "obrien". Soundex and NYSIIS ignore spaces too ("van dyke" is coded
// like "vandyke"); Double Metaphone keeps one space between words, because some of its rules look at a
// leading "VAN " or "SAN ". A name with no letters gets the empty code "". Codes are upper-case ASCII.
//
// Thread-safety: pure functions; safe to call concurrently.
#pragma once

#include <string>
#include <string_view>

namespace matchguard {

// American Soundex (the National Archives rules: H and W do not separate letters with the same code,
// vowels do): a letter and three digits, zero-padded. "Robert" -> "R163", "Tymczak" -> "T522",
// "Pfister" -> "P236", "Honeyman" -> "H555".
std::string Soundex(std::string_view name);

// The original NYSIIS of Taft (1970), truncated to 6 characters.
std::string Nysiis(std::string_view name);

// Lawrence Philips' Double Metaphone, primary code, at most 4 characters ('0' stands for "th"). "Smith" ->
// "SM0", "Schmidt" -> "XMT", "Knight" -> "NT".
std::string DoubleMetaphone(std::string_view name);

// Both Double Metaphone codes (the alternate equals the primary when the name has no alternate reading).
struct DoubleMetaphoneCodes {
  std::string primary;
  std::string alternate;
};
DoubleMetaphoneCodes DoubleMetaphoneBoth(std::string_view name);

}  // namespace matchguard
