// Probabilistic scoring of PPRL candidate pairs over field-level Bloom filters (`match --scoring model`).
//
// Each party's `encode --field-level` writes one filter file per feature beside its whole-record encodings
// (<input>.<feature>, rows aligned with <input>). For every candidate pair (whole-record Dice >= the match
// threshold) the Dice coefficient of each comparison's filters is binned into levels: null (empty on either
// side: the value was missing), identical (Dice 1), one level per Dice bin, then "else". A comparison is one
// feature or several taken together (FieldModelOptions::fields).
//
// The model is the plaintext engine's Fellegi-Sunter model (src/model), trained as the plaintext engine
// trains it (TrainOnBlockedPairs, src/pipeline/training.h): u from uniformly random pairs; m by EM
// (TrainModel, u fixed) on training populations that are unbiased for the other comparisons: for each
// comparison, ALL pairs of the two files whose filters are identical on it (found by hashing the filters),
// with that comparison masked; then the prior over all pairs of the two files, the candidates being the
// only pairs that can match. EM on the candidates themselves does not work: the candidates were chosen for
// being similar, so with u from random pairs EM takes nearly all of them for matches.
//
// Thread-safety: the functions keep no state; ScoreWithFieldModel uses up to `options.threads` threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/encode/clk_file.h"
#include "src/model/fellegi_sunter.h"
#include "src/pipeline/training.h"
#include "src/similarity/candidates.h"

namespace matchguard {

// The Dice bins below "identical" used when FieldModelOptions::bins is empty, in decreasing order.
inline const std::vector<double> kDefaultFieldDiceBins = {0.9, 0.8, 0.7, 0.6};

struct FieldModelOptions {
  // One comparison per entry: a feature identifier (filters at <input>.<identifier>), or several joined by
  // '+' ("street+city+zip"), compared by the Dice of their filters taken together: one piece of evidence
  // for features that agree or differ together (an address), which separate comparisons would count
  // several times over, as the model assumes comparisons independent given the match status.
  std::vector<std::string> fields;
  double min_probability = 0.5;
  int threads = 0;  // 0: every core oneTBB offers
  // Lower edges of the Dice levels between "identical" and "else", strictly decreasing, in (0, 1).
  // Empty: kDefaultFieldDiceBins.
  std::vector<double> bins;
  uint64_t random_pairs = 1'000'000;  // pairs sampled for u (all pairs when the files have fewer)
  uint64_t seed = 1;                  // of the random pairs: the output is deterministic for a seed
  // Training populations (see the header comment): a feature whose identical-filter pairs exceed this
  // number trains nothing (reported in the model's EM note).
  uint64_t max_rule_pairs = 5'000'000;
  int max_iterations = 500;
  double tolerance = 1e-5;
};

struct FieldModelResult {
  similarity::CandidatePairs pairs;  // candidates reaching min_probability; similarity = match probability
  int em_iterations = 0;
  bool em_converged = false;
  double prior = 0.0;
  std::string model_json;  // ModelToJson: the plaintext engine's model format (`explain` reads it)
};

// Scores the candidates of one pair of parties (left_input/right_input are the whole-record encodings
// files, whose field-level files sit beside them). Errors name the file.
Result<FieldModelResult> ScoreWithFieldModel(FileSystem& fs, const std::string& left_input,
                                             const std::string& right_input, const ClkSet& left, const ClkSet& right,
                                             const similarity::CandidatePairs& candidates,
                                             const FieldModelOptions& options);

// ---- The steps, exposed for tests ----

// One party's field-level filters: [comparison][feature], in the order of `fields`.
struct FieldFilters {
  std::vector<std::vector<std::string>> paths;
  std::vector<std::vector<ClkSet>> sets;
};

// Reads <input>.<field> for every field and checks that each holds `rows` filters (the whole-record file's
// count). Errors (InvalidArgument) name the file and the feature.
Result<FieldFilters> ReadFieldFilters(FileSystem& fs, const std::string& input, size_t rows,
                                      const std::vector<std::string>& fields);

// Checks that both parties' filters of each feature have the same bit length, naming both files if not.
Status CheckFieldBitLengths(const FieldFilters& left, const FieldFilters& right,
                            const std::vector<std::string>& fields);

// The model's comparisons: one per field with levels null, identical, one per bin, else.
// REQUIRES: bins valid (ValidateFieldModelOptions).
ModelSpec FieldModelSpec(const std::vector<std::string>& fields, const std::vector<double>& bins);

// The level of one per-field Dice value (negative: null) under `bins`.
int FieldLevel(double dice, const std::vector<double>& bins);

// The pattern of every pair (left_rows[i], right_rows[i]): per field, the level of its filters' Dice.
std::vector<Pattern> FieldPatterns(const FieldFilters& left, const FieldFilters& right,
                                   const std::vector<uint32_t>& left_rows, const std::vector<uint32_t>& right_rows,
                                   const std::vector<double>& bins, int threads);

// One training population per feature: ALL pairs of the two files whose filters of that feature are
// identical (non-empty), found by hashing the filters, with their patterns and that feature masked.
// Features with more than options.max_rule_pairs such pairs are skipped, with a note.
std::vector<RulePairs> TrainingRulePairs(const FieldFilters& left, const FieldFilters& right,
                                         const std::vector<std::string>& fields, const std::vector<double>& bins,
                                         const FieldModelOptions& options, std::vector<std::string>* notes);

// Fits the model with the plaintext engine's training (TrainOnBlockedPairs): u from `random`, m by EM
// (TrainModel, u fixed) on each rule's population, the prior over `all_pairs` pairs with the candidates as
// the only pairs that can match.
Result<Model> FitFieldModel(const ModelSpec& spec, const PatternCounts& candidates, const PatternCounts& random,
                            const std::vector<RulePairs>& rules, double all_pairs, const FieldModelOptions& options);

Status ValidateFieldModelOptions(const FieldModelOptions& options);

}  // namespace matchguard
