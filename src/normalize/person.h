// PersonTable: the normalised view of a person file, computed once per column before any comparison.
//
// For every mapped field it holds one Column of normalised values in the source's row order; an empty value
// means missing (blank, or invalid and therefore treated as missing). The formats are:
//   names (first, middle, last, full), city, state: Unicode NFKC, case-folded, diacritics stripped,
//     punctuation removed (apostrophes dropped: "O'Brien" -> "obrien"; hyphens and other separators become
//     one space: "Mary-Jane" -> "mary jane"), spaces collapsed and trimmed.
//   state: as names, and full US or Australian state names become postal codes ("New York" -> "ny").
//   dob: "YYYY-MM-DD" (from ISO, MM/DD/YYYY, YYYYMMDD or DD-MM-YYYY; impossible dates are invalid).
//   sex: "m" or "f" (M/F/Male/Female/1/2 and similar); unknown is missing.
//   ssn: nine digits; shorter digit strings are left-padded with zeros; area 000, 666 or 900-999, group 00
//     or serial 0000 are invalid.
//   street: folded, USPS suffix and directional abbreviations ("Street" -> "st", "North" -> "n").
//   zip: five digits (ZIP+4 cut, shorter ones left-padded). phone: digits only, the last ten.
//   email: trimmed, lower case. mbi: 11 characters, upper case, dashes removed, validated.
//   street_number: digits and letters as given, folded. id: as given (trimmed).
// A full name with no first- and last-name columns beside it also gives first, last and (where some row
// has one and the file has no middle-name column) middle names: "Smith, John A" -> john / a / smith.
//
// Thread-safety: immutable after NormalizePeople returns.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "matchguard/status.h"
#include "src/io/table.h"
#include "src/normalize/fields.h"

namespace matchguard {

enum class DateOrder : uint8_t {
  kAuto,      // "a/b/yyyy" is read as month/day unless the first part exceeds 12
  kMonthDay,  // MM/DD/YYYY
  kDayMonth,  // DD/MM/YYYY
};

struct NormalizeOptions {
  DateOrder date_order = DateOrder::kAuto;
  // Refuse a file whose id column breaks the rules of src/io/record_ids.h. Only `inspect`, which reports
  // bad ids rather than stopping at them, turns this off.
  bool check_ids = true;
};

struct FieldStats {
  size_t filled = 0;   // non-blank in the source
  size_t invalid = 0;  // non-blank but rejected (and so treated as missing)
};

class PersonTable {
 public:
  size_t size() const { return num_rows_; }
  bool has(FieldKind kind) const { return present_[Index(kind)]; }
  // REQUIRES: has(kind).
  const Column& field(FieldKind kind) const { return columns_[Index(kind)]; }
  std::string_view value(FieldKind kind, size_t row) const { return columns_[Index(kind)][row]; }
  // The record's id: the id column as given, or the 1-based row number when the file has none.
  std::string_view id(size_t row) const { return ids_[row]; }
  const FieldStats& stats(FieldKind kind) const { return stats_[Index(kind)]; }
  const FieldMapping& mapping() const { return mapping_; }
  const std::string& source_name() const { return source_name_; }

 private:
  friend Result<PersonTable> NormalizePeople(const Table&, const FieldMapping&, const NormalizeOptions&);
  static size_t Index(FieldKind kind) { return static_cast<size_t>(kind); }

  size_t num_rows_ = 0;
  std::string source_name_;
  FieldMapping mapping_;
  Column ids_;
  std::array<bool, kFieldKindCount> present_{};
  std::array<Column, kFieldKindCount> columns_;
  std::array<FieldStats, kFieldKindCount> stats_{};
};

// Normalises every mapped column (in parallel over columns). Fails on bad record ids (unless
// options.check_ids is off) and on a mapping that names a column the table lacks; bad values of the other
// fields are counted in stats() and become missing.
Result<PersonTable> NormalizePeople(const Table& table, const FieldMapping& mapping,
                                    const NormalizeOptions& options = {});

}  // namespace matchguard
