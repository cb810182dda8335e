// Comparison levels: how similar two person records are, field by field, as a Fellegi-Sunter pattern.
//
// This layer sits below the model layer, so it speaks in its own small types: a LevelSpec per compared
// field, and a LevelPattern with exactly the layout of the model's Pattern (four bits per comparison,
// comparison i in bits [4i, 4i+4), level 0 = null); the pipeline turns LevelSpecs into a ModelSpec.
//
// DefaultLevelSpecs() turns the fields two PersonTables share into comparisons with ordered levels (level 0 is
// "null": a value is missing on either side; the last level is "else"). PairComparer then computes the
// Pattern of any record pair. It dictionary-encodes every compared column once (one id per distinct
// normalised value, shared by both tables), so equality is an integer test, term frequencies come for free,
// and the costly string comparisons (Jaro-Winkler, nicknames) run once per DISTINCT pair of values: their
// levels are memoised per thread, keyed by the two value ids.
//
// Levels per field (checked in this order; the first that holds wins):
//   first_name, middle_name: exact, jw_high (Jaro-Winkler >= name_jw_high), jw_low (>= name_jw_low),
//     nickname (Bill = William), initial (one side is one letter, the other starts with it),
//     swapped (first and last names exchanged; first_name only, needs last_name), else.
//   last_name: exact, jw_high, jw_low, surname_part (one surname is a word of the other: "smith" /
//     "smith jones", for surname changes; checked before Jaro-Winkler), swapped, else.
//   full_name: exact, jw_high, jw_low, surname_part, else.
//   dob (YYYY-MM-DD): exact, day_month_swapped, year_off_by_one (day and month equal), one_part_differs,
//     same_year (month and day both differ: a January 1st placeholder, say), else.
//   ssn: exact, transposition (one adjacent pair swapped), one_digit, else.
//   phone: exact, one_digit, else.   zip: exact, first3, else.
//   street, city: exact, jw (>= street_jw / city_jw), else.
//   sex, street_number, state, email, mbi: exact, else.
// The term-frequency level (tf_level) is "exact" for names, street and city.
//
// Thread-safety: a PairComparer is immutable after Create(); ComparePairs and Compare may run concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {

struct LevelThresholds {
  double name_jw_high = 0.92;
  double name_jw_low = 0.88;
  double street_jw = 0.90;
  double city_jw = 0.90;
};

inline constexpr size_t kMaxComparedFields = 16;

// One field's comparison: levels[0] == "null", levels.back() == "else".
struct LevelSpec {
  FieldKind field;
  std::string name;  // FieldKindName(field)
  std::vector<std::string> levels;
  int tf_level = -1;  // the "exact" level when it gets a term-frequency adjustment, else -1
  // Jaro-Winkler thresholds: names use both (jw_high, jw_low levels), street and city use jw_high (jw).
  double jw_high = 0.92;
  double jw_low = 0.88;
};

// One level per comparison, four bits each (the model's Pattern layout).
using LevelPattern = uint64_t;
inline int PatternLevel(LevelPattern p, size_t comparison) {
  return static_cast<int>((p >> (4 * comparison)) & 0xF);
}

// Which fields take part in matching. Fields absent from either table are skipped silently.
struct ComparisonOptions {
  // Fields to compare, in this order; empty means every comparable field (see DefaultComparedFields()).
  std::vector<FieldKind> fields;
  LevelThresholds thresholds;
};

// Every field that can be compared, in the order comparisons appear in a model (id is never compared).
const std::vector<FieldKind>& DefaultComparedFields();

// The level names (after "null") of a field's comparison, given which other fields are compared (the
// "swapped" level exists only when both first_name and last_name are).
std::vector<std::string> LevelNames(FieldKind field, bool first_and_last_compared);

// The comparisons for the fields both tables hold, with the thresholds of `options` (`right` == nullptr: dedupe, one table), in the order of
// `options.fields` (or DefaultComparedFields()). At most kMaxComparedFields comparisons.
std::vector<LevelSpec> DefaultLevelSpecs(const PersonTable& left, const PersonTable* right,
                                         const ComparisonOptions& options);

// Level of one field for two normalised values that are both non-empty and different (exact and null
// are decided before this is called). Record-level levels ("swapped") are not decided here.
// Exposed for tests.
int ValueLevel(const LevelSpec& spec, std::string_view a, std::string_view b);

class PairComparer {
 public:
  // Encodes the compared columns of `left` and `right` (`right` == nullptr: dedupe within `left`).
  // REQUIRES: `left` and `right` outlive the comparer and hold every field of `specs` (as
  // DefaultLevelSpecs guarantees).
  static Result<std::unique_ptr<PairComparer>> Create(const PersonTable& left, const PersonTable* right,
                                                      std::vector<LevelSpec> specs);
  ~PairComparer();
  PairComparer(const PairComparer&) = delete;
  PairComparer& operator=(const PairComparer&) = delete;

  const std::vector<LevelSpec>& specs() const { return specs_; }

  // The pattern of record `l` of the left table against record `r` of the right one (or of the left one
  // again when deduplicating).
  LevelPattern Compare(uint32_t l, uint32_t r) const;
  // Patterns of many pairs, in parallel. With `memoise`, costly value-pair levels are remembered per
  // thread (worth it when pairs repeat value pairs, as blocked pairs do; not for random pairs, whose value
  // pairs are mostly distinct and whose memo would only add cache misses). `out` has room for n.
  void ComparePairs(const uint32_t* left_rows, const uint32_t* right_rows, size_t n, LevelPattern* out,
                    bool memoise = true) const;

  // Frequency, among the non-missing values of both tables, of the value comparison `c` has for record
  // `l` of the left table (0 when it is missing). Used for term-frequency adjustments.
  double LeftValueFrequency(size_t comparison, uint32_t l) const;
  // Number of distinct non-missing values of a comparison (both tables together).
  size_t DistinctValues(size_t comparison) const;

 private:
  struct Column;
  struct Cache;
  PairComparer() = default;
  // Level of comparison `c` for value ids a and b (0 = missing).
  int Level(size_t c, uint32_t a, uint32_t b, Cache* cache) const;
  LevelPattern CompareWith(uint32_t l, uint32_t r, Cache* cache) const;

  std::vector<LevelSpec> specs_;
  std::vector<Column> columns_;
  size_t width_ = 0;                 // comparisons
  std::vector<uint32_t> left_rows_;  // value ids, row-major: row * width_ + comparison
  std::vector<uint32_t> right_rows_; // empty when deduplicating
  int first_c_ = -1, last_c_ = -1;  // comparisons of first_name and last_name, -1 if absent
  int first_swapped_level_ = -1, last_swapped_level_ = -1;
};

}  // namespace matchguard
