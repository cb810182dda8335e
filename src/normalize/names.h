// Built-in word tables for person data: given-name nicknames, USPS street words and state names.
//
// The nickname table pairs common English nicknames with their formal names (Bill -> William, Peggy ->
// Margaret); a nickname may belong to several formal names (Al: Albert, Alfred, Alan, Alexander). The street
// table is the commonest USPS Publication 28 (appendix C1) suffixes with their standard abbreviations, plus a
// few Australian and British suffixes common in FEBRL-style data. All names are folded (see text.h).
//
// Thread-safety: immutable tables and pure functions; the lookup indexes are built once, thread-safely.
#pragma once

#include <span>
#include <string_view>

namespace matchguard {

struct NicknamePair {
  std::string_view nickname;
  std::string_view formal;
};

struct StreetSuffix {
  std::string_view word;          // "street"
  std::string_view abbreviation;  // "st"
};

// Every (nickname, formal) pair, for example for a synthetic-data generator.
std::span<const NicknamePair> NicknamePairs();

// True when the folded given names `a` and `b` are equal, one is a nickname of the other, or both are
// nicknames of one formal name ("bill" ~ "william", "bill" ~ "will", "liz" ~ "beth").
bool NicknameEquivalent(std::string_view a, std::string_view b);

// The street suffixes (full word, USPS abbreviation).
std::span<const StreetSuffix> StreetSuffixes();

// The USPS abbreviation of a folded street suffix word, in full or in a common spelling ("avenue", "av",
// "aven", "ave" -> "ave"); empty when `word` is not a suffix.
std::string_view StreetSuffixAbbreviation(std::string_view word);
// The abbreviation of a folded directional ("north" or "n" -> "n", "southwest" -> "sw"); empty otherwise.
std::string_view DirectionalAbbreviation(std::string_view word);

// The postal code of a folded US or Australian state or territory name ("new york" -> "ny", "new south
// wales" -> "nsw"); any other text, codes included, is returned unchanged.
std::string_view StateAbbreviation(std::string_view name);

}  // namespace matchguard
