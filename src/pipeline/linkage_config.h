// The linkage part of a matchguard TOML config: blocking rules, comparisons, model and decision settings.
//
//   [blocking]                 rules = ["ssn", "dob", "soundex(last_name)+year(dob)"], max_pairs = 50000000
//   [comparisons.<field>]      enabled = false | jw_high = 0.92 | jw_low = 0.88 (names) | jw = 0.9 (street, city)
//   [model]                    max_iterations = 100, tolerance = 1e-5, random_pairs = 1000000, duplicate_factor = 1,
//                              m.<field>.<level> = 0.9, u.<field>.<level> = 0.01
//   [link]                     threshold = 0.5, one_to_one = true
// The [input] and [fields] tables belong to LoadInputConfig (src/normalize/config.h) and are skipped here.
// Any other key, an unknown field, and a malformed value are errors naming the file and line. Whether a
// fixed m/u names a level that exists is checked later, against the model's comparisons
// (CheckFixedProbabilities), because the levels depend on the fields the data holds.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/compare/levels.h"
#include "src/normalize/fields.h"

namespace matchguard {

inline constexpr uint64_t kDefaultMaxPairs = 100'000'000;
inline constexpr uint64_t kDefaultRandomPairs = 1'000'000;

struct ComparisonOverride {
  std::optional<bool> enabled;
  std::optional<double> jw_high;
  std::optional<double> jw_low;
  int line = 0;
};

struct FixedProbability {
  bool is_m = true;  // m, else u
  std::string comparison;
  std::string level;
  double value = 0.0;
  int line = 0;
};

struct LinkageConfig {
  std::string source_name;  // the file, for messages
  std::vector<std::string> blocking_rules;  // empty: choose from the data
  std::vector<int> blocking_rule_lines;
  uint64_t max_pairs = kDefaultMaxPairs;
  std::map<FieldKind, ComparisonOverride> comparisons;
  std::vector<FixedProbability> fixed;
  int max_iterations = 500;
  double tolerance = 1e-5;
  uint64_t random_pairs = kDefaultRandomPairs;
  // How many times more records per person than the files show the plausibility cap allows (see
  // TrainingOptions::max_matches): raise it when one person may have many records in a file.
  double duplicate_factor = 1.0;
  double threshold = 0.5;
  bool one_to_one = false;
};

Result<LinkageConfig> ParseLinkageConfig(std::string_view toml_text, const std::string& source_name);
Result<LinkageConfig> LoadLinkageConfig(FileSystem& fs, const std::string& path);

// Applies the comparison overrides to specs made by DefaultLevelSpecs: drops disabled comparisons and sets
// thresholds. A threshold for a field without that kind of level is an error naming the line.
Status ApplyComparisonOverrides(const LinkageConfig& config, std::vector<LevelSpec>* specs);

// Checks every fixed m/u against the comparisons in use: an unknown comparison or level is an error naming
// the line and listing what exists. On success fills {comparison index, level} -> value maps.
Status CheckFixedProbabilities(const LinkageConfig& config, const std::vector<LevelSpec>& specs,
                               std::map<std::pair<size_t, int>, double>* fixed_m,
                               std::map<std::pair<size_t, int>, double>* fixed_u);

}  // namespace matchguard
