// String similarity measures used by comparison levels: Jaro, Jaro-Winkler, Levenshtein, optimal string
// alignment (restricted Damerau-Levenshtein), Jaccard over character bigrams, adjacent transpositions and
// Hamming distance.
//
// Inputs are UTF-8, usually already folded to ASCII by the normalize layer. When both inputs are ASCII the
// functions work on bytes without allocating (short strings use stack buffers: these run hundreds of
// millions of times per linkage); otherwise they decode to code points first and compare code points.
// Invalid UTF-8 bytes are compared as single units (each byte is its own "character").
//
// Every function is symmetric in its two arguments.
//
// Thread-safety: pure functions; safe to call concurrently.
#pragma once

#include <string_view>

namespace matchguard {

// Jaro similarity in [0, 1]: 1 for equal strings (including two empty ones), 0 when one is empty and the
// other is not, or when no characters match.
double Jaro(std::string_view a, std::string_view b);

// Jaro-Winkler: Jaro plus a bonus for a common prefix of up to 4 characters, `prefix_scale` per character
// (the standard 0.1; values above 0.25 are clamped to 0.25 so the result stays <= 1). The bonus is applied
// whatever the Jaro value (no boost threshold), as in Winkler's original description.
double JaroWinkler(std::string_view a, std::string_view b, double prefix_scale = 0.1);

// Edit distance with unit-cost insertions, deletions and substitutions.
int Levenshtein(std::string_view a, std::string_view b);

// Optimal string alignment distance: Levenshtein plus unit-cost transposition of two adjacent characters,
// where no substring is edited more than once (so OSA("ca", "abc") == 3, not 2).
int DamerauLevenshtein(std::string_view a, std::string_view b);

// Jaccard similarity of the sets of adjacent character pairs (bigrams): |A ∩ B| / |A ∪ B|. Two strings
// with no bigrams (length < 2) score 1 if equal and 0 otherwise.
double JaccardBigrams(std::string_view a, std::string_view b);

// True when a and b have the same length and differ exactly by swapping one pair of adjacent, distinct
// characters ("smith" / "smtih").
bool IsAdjacentTransposition(std::string_view a, std::string_view b);

// Number of positions (characters) that differ; -1 if the lengths in characters differ.
int HammingDistance(std::string_view a, std::string_view b);

}  // namespace matchguard
