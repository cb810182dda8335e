// Keying errors as people make them: a letter replaced by a neighbour on a QWERTY keyboard, a neighbour's
// letter inserted, a letter dropped, two adjacent letters swapped; digits replaced by a neighbour on a
// numeric keypad. And the errors of other ways of capturing a name: optical character recognition of a
// paper form (look-alike glyphs), a name written as it sounds, a name cut short. Only ASCII letters are
// touched, and a cut never falls inside a UTF-8 character, so accented letters are never split.
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

// Replaces one look-alike group as OCR misreads it (rn/m, cl/d, vv/w, O/0, I/1, S/5, B/8, E/F, ...), the
// replacement taking the case of the letter it replaces. False when no group occurs in `text`.
bool ApplyOcrConfusion(std::string* text, Rng& rng);

// Respells one group of letters as it sounds (ph/f, ck/k, c/k, y/ie, ee/ea, son/sen, Mac/Mc, ...). False
// when no group occurs in `text`.
bool ApplyPhoneticMisspelling(std::string* text, Rng& rng);

// Keeps the first 3 to 6 characters (UTF-8 code points) of `text`, as a form box or a legacy field cut it.
// False when `text` is already that short.
bool TruncateName(std::string* text, Rng& rng);

// Replaces one digit by the digit it is misread as (1/7, 3/8, 5/6, 4/9, 0/8, 2/7). False when there is no digit.
bool ApplyOcrDigit(std::string* digits, Rng& rng);

}  // namespace matchguard::synth
