// `matchguard inspect`: what a person file holds, field by field, without revealing identifiers.
//
// InspectFile reads a delimited file (with the [input] and [fields] tables of an optional config), detects
// which columns hold which person fields, normalises them, and reports per field the fill rate, the number
// of distinct normalised values, how many values were invalid, and the most common values. The most common
// values are given only for fields that do not identify a person on their own (first, middle and last
// name, sex, city, state, zip), and only values seen at least kInspectMinShownCount times: ids, names in
// full, dates of birth, SSNs, MBIs, phones, emails and street addresses are reported as counts only.
// Record ids that the other commands would refuse (repeated, empty, control characters, formula-like) are
// counted and reported, not refused, and named by line only.
//
// Thread-safety: InspectFile may be called concurrently; the formatters are pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

// Smallest count a most-common value needs to be shown (the CMS cell-size rule suppresses 1 to 10).
inline constexpr uint64_t kInspectMinShownCount = 11;
inline constexpr size_t kInspectTopValues = 5;

struct InspectOptions {
  std::string path;         // the delimited file to describe
  std::string config_path;  // optional: TOML config whose [input] and [fields] tables apply
  std::string delimiter;    // optional: "comma", "tab", "pipe" or "semicolon"; overrides the config
};

struct InspectValueCount {
  std::string value;  // normalised
  uint64_t count = 0;
};

struct InspectField {
  std::string field;          // canonical name: "first_name", "dob", ...
  std::string column;         // the header it was read from; "(from full_name)" for names split from a full name
  uint64_t filled = 0;        // non-blank values in the file
  uint64_t invalid = 0;       // non-blank values rejected by the normaliser (treated as missing)
  uint64_t distinct = 0;      // distinct valid normalised values
  double fill_rate = 0.0;     // filled / rows
  bool values_shown = false;  // false for fields whose values identify a person
  std::vector<InspectValueCount> top_values;  // most common first; empty unless values_shown
};

// The id column's keys: the defects every keying command refuses (src/io/record_ids.h), counted.
struct InspectIds {
  std::string column;  // the id column's header; empty when the file has none (row numbers serve as ids)
  uint64_t repeated = 0, empty = 0, control = 0, formula = 0;
  std::string problem;  // what link, dedupe, encode and the others would say; empty when the ids are fine
};

struct InspectReport {
  std::string path;
  uint64_t rows = 0;
  std::vector<std::string> columns;           // the file's header, in order
  std::vector<std::string> unmapped_columns;  // header names no field was detected in
  std::vector<InspectField> fields;           // mapped fields, in canonical field order
  InspectIds ids;
};

// Fails with the file's or config's error (missing file, ragged row, bad config, unknown delimiter).
Result<InspectReport> InspectFile(FileSystem& fs, const InspectOptions& options);

// A human-readable table.
std::string FormatInspectText(const InspectReport& report);
// One JSON object (see docs/config.md for the keys).
std::string FormatInspectJson(const InspectReport& report);

}  // namespace matchguard
