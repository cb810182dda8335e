// Keying errors as people make them: a letter replaced by a neighbour on a QWERTY keyboard, a neighbour's
// letter inserted, a letter dropped, two adjacent letters swapped; digits replaced by a neighbour on a
// numeric keypad. Only ASCII letters are touched, so accented UTF-8 letters are never split.
//
// Thread-safety: pure functions of their arguments and the caller's Rng.
#pragma once

#include <string>
#include <string_view>

#include "src/synth/rng.h"

namespace matchguard::synth {

enum class TypoKind { kNone, kSubstitution, kInsertion, kDeletion, kTransposition };

// Keys next to `c` (a lower-case ASCII letter or a digit) on a QWERTY keyboard / numeric keypad; empty for
// other characters.
std::string_view KeyboardNeighbours(char c);

// Applies one typing error to `text` at a random ASCII letter (substitution 40%, insertion 20%, deletion
// 20%, transposition 20%), keeping the case of the letter it replaces. Returns kNone (and leaves `text`
// alone) when the text has fewer than two ASCII letters.
TypoKind ApplyTypo(std::string* text, Rng& rng);

// Replaces one digit of `digits` (only digits) by a keypad neighbour. False when there is no digit.
bool ApplyDigitTypo(std::string* digits, Rng& rng);

// Swaps two adjacent, different digits. False when all adjacent digits are equal.
bool TransposeAdjacentDigits(std::string* digits, Rng& rng);

}  // namespace matchguard::synth
