// Normalisers for single person-field values, one small pure function per kind of value.
//
// Each function writes the normalised form of one raw value into `out` (cleared first) and returns true
// when the value is valid. A blank value is never valid; callers that must tell blank from invalid check
// TrimAscii(raw).empty() first. The output formats are the ones person.h documents for PersonTable.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {

// Names, city, street number: FoldText; valid when any letter or digit is left.
bool NormalizeName(std::string_view raw, std::string* out);
// Folded, and a full US or Australian state name replaced by its postal code ("New York" -> "ny").
bool NormalizeState(std::string_view raw, std::string* out);
// "YYYY-MM-DD" from ISO (YYYY-MM-DD, YYYY/MM/DD, optionally followed by a time), YYYYMMDD, a/b/YYYY and
// a-b-YYYY (or a.b.YYYY). `order` settles which of a and b is the month; kAuto reads slashes as month/day
// and dashes or dots as day-month, unless that reading has a month above 12 and the other does not.
// Years outside 1850..2100, months outside 1..12 and days the month lacks are invalid.
bool NormalizeDate(std::string_view raw, DateOrder order, std::string* out);
// "m" or "f" from M/F, Male/Female, Man/Woman, 1/2 and similar; anything else is invalid.
bool NormalizeSex(std::string_view raw, std::string* out);
// Nine digits (dashes and spaces removed, shorter digit strings left-padded with zeros); area 000, 666
// or 900-999, group 00 and serial 0000 are invalid.
bool NormalizeSsn(std::string_view raw, std::string* out);
// Five digits: ZIP+4 ("12345-6789" or nine digits) cut, one to four digits left-padded, "00000" invalid.
bool NormalizeZip(std::string_view raw, std::string* out);
// Folded, with USPS suffix and directional abbreviations ("North Main Street" -> "n main st").
bool NormalizeStreet(std::string_view raw, std::string* out);
// Digits only, the last ten (an extension after a letter is dropped); fewer than seven digits is invalid.
bool NormalizePhone(std::string_view raw, std::string* out);
// Trimmed and lower-cased; one '@' with a non-empty local part and a dotted domain, no spaces.
bool NormalizeEmail(std::string_view raw, std::string* out);
// Medicare Beneficiary Identifier: dashes and spaces removed, upper case, 11 characters following the CMS
// pattern (C A AN N A AN N A A N N, with letters S, L, O, I, B and Z excluded).
bool NormalizeMbi(std::string_view raw, std::string* out);

// Dispatches to the normaliser for `kind` (ids are only trimmed).
bool NormalizeValue(FieldKind kind, std::string_view raw, const NormalizeOptions& options, std::string* out);
// What a field with a declared format holds ("a date of birth", "an MBI"), or nullopt for free text (names,
// street, city, state, street number, id), whose values no format check can judge.
std::optional<std::string_view> DeclaredFormat(FieldKind kind);
// OK when `raw` is blank or valid for `kind`'s declared format (always for free text); otherwise
// InvalidArgument "the value is not <format>", which never quotes the value (it may identify a person). Used before
// a value is released, so that an SSN in an MBI column is never released as an MBI.
Status CheckDeclaredFormat(FieldKind kind, std::string_view raw, const NormalizeOptions& options = {});

// Convenience for tests and tools: the normalised value, or nullopt when blank or invalid.
std::optional<std::string> NormalizedValue(FieldKind kind, std::string_view raw, const NormalizeOptions& options = {});

}  // namespace matchguard
