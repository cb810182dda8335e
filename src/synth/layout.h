// How a generated person file is written: its columns, their headers and the formats of their values.
//
// A layout is plain data, one ColumnSpec per column after the id, so each profile (profile.h) states its
// files' headers and formats as a table and one renderer writes every profile's rows. Format variations
// that are not errors (an SSN with or without dashes, "Street" or "St") are drawn from the record's Rng,
// in column order, and only for a column whose `share` is above 0: a layout that does not vary draws
// nothing, so the bytes of one layout never depend on another's.
//
// Thread-safety: plain values and pure functions of their arguments and the caller's Rng.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "src/synth/rng.h"

namespace matchguard::synth {

struct Observed;

enum class ColumnFormat : uint8_t {
  kFirstName,
  kMiddleName,
  kLastName,
  kFullName,      // "SMITH JR, WILLIAM J" (share: surname first) or "WILLIAM J SMITH JR"
  kDobIso,        // 1980-03-04
  kDobUs,         // 03/04/1980
  kDobCompact,    // 19800304
  kDobTimestamp,  // 1980-03-04 00:00:00
  kSexLetter,     // M / F
  kSexWord,       // Male / Female
  kSexDigit,      // 1 / 2 (ISO 5218)
  kSsn,           // 123456789 (share: 123-45-6789)
  kSsnSpaced,     // 123456789 (share: 123 45 6789)
  kSsnNumber,     // a number: leading zeros dropped (012345678 -> 12345678)
  kStreet,        // 1234 Oak St (share: 1234 Oak Street)
  kHouseNumber,   // 1234
  kStreetName,    // Oak St (share: Oak Street)
  kCity,
  kState,
  kZip,             // 02134
  kZipPlus4,        // 02134 (share: 02134-5678)
  kZipPlus4Digits,  // 02134 (share: 021345678)
  kZipNumber,       // a number: leading zeros dropped (2134)
  kPhone,           // 212-555-0134 (share: (212) 555-0134)
  kPhoneDigits,     // 2125550134
  kPhoneDotted,     // 212.555.0134
  kMbi,             // 1EG4TE5MK73 (share: 1EG4-TE5-MK73)
};

enum class TextCase : uint8_t { kAsWritten, kUpper, kUpperAscii /* accents dropped: an ASCII-only system */ };

struct ColumnSpec {
  std::string_view header;
  ColumnFormat format;
  double share = 0;                           // the format's variation (see ColumnFormat); 0 draws nothing
  TextCase text_case = TextCase::kAsWritten;  // names, streets and cities only (other values are codes)
  std::string_view missing;                   // written for a missing value ("U", "0"); blank by default
};

struct FileLayout {
  std::string_view id_header;
  char id_prefix;  // ids are the prefix and a 1-based number: E1, E2, ...
  std::span<const ColumnSpec> columns;
};

// "record_id,first_name,..." (no line end).
std::string LayoutHeader(const FileLayout& layout);

// Appends ",value" for every column of `layout` (everything after the id), drawing format variations
// from `rng`. `scratch` is a buffer the caller keeps between rows.
void AppendColumns(const FileLayout& layout, const Observed& record, Rng& rng, std::string* out, std::string* scratch);

}  // namespace matchguard::synth
