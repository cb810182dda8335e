// Text that leaves matchguard for a terminal or a spreadsheet.
//
// The one place that decides which characters are control characters (so that a record id or a header
// cannot forge a line, move the cursor or reorder what a terminal shows) and which cells a spreadsheet
// would run as a formula (CSV injection). Readers refuse such record ids at input (src/io/record_ids.h),
// so ids stay joinable; released free-text values are neutralised with NeutralizeCell; everything printed
// to a terminal goes through EscapeControlCharacters. The rule is documented in docs/input-safety.md.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace matchguard {

// The byte length of the control character that `text` starts with, or 0 when it starts with none. Control
// characters are C0 (U+0000-U+001F, NUL, tab, CR and LF included), DEL, C1 (U+0080-U+009F), the line and
// paragraph separators (U+2028, U+2029) and the bidirectional controls (U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069) that let text display in another order than it is stored.
size_t ControlCharacterLength(std::string_view text);

// Byte offset of the first control character in `text`, or std::string_view::npos.
size_t FindControlCharacter(std::string_view text);

// `text` with every control character written as "\xNN" (one byte) or "\u{NNNN}", for terminals and logs.
std::string EscapeControlCharacters(std::string_view text);

// True when a spreadsheet would run `cell` as a formula: it starts with '=', '+', '-', '@', a tab, a CR or
// LF, or their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheets convert.
bool StartsLikeFormula(std::string_view cell);

// `cell` as it may be released in a CSV that analysts open in spreadsheets: prefixed with a single quote
// when StartsLikeFormula, unchanged otherwise (OWASP's CSV-injection rule). Used for free-text values
// only: record ids that start like a formula are refused at input instead, so ids join across files.
std::string NeutralizeCell(std::string_view cell);

}  // namespace matchguard
