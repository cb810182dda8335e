// Fellegi-Sunter models: comparison levels, m and u probabilities, EM training on pattern counts,
// match weights and probabilities, term-frequency adjustments, and the model's JSON form.
//
// A record pair is summarised by a Pattern: one level per comparison. Level 0 of every comparison means
// "null" (a value is missing on either side) and adds no evidence. EM runs on the counts of distinct
// patterns (fastLink's insight), so training cost does not grow with the number of pairs.
//
// Thread-safety: a trained Model is immutable; scoring functions are pure and may run concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "matchguard/training_report.h"

namespace matchguard {

inline constexpr size_t kMaxComparisons = 16;
inline constexpr int kMaxLevels = 15;
inline constexpr int kNullLevel = 0;

// One field's comparison and its levels, from most to least similar after the null level:
// levels[0] == "null", ..., levels.back() == "else".
struct ComparisonSpec {
  std::string name;                 // e.g. "first_name"
  std::vector<std::string> levels;  // level names; size() <= kMaxLevels
  // The level meaning "the values are equal", whose weight gets a term-frequency adjustment; -1 for none.
  int tf_level = -1;
};

struct ModelSpec {
  std::vector<ComparisonSpec> comparisons;  // size() <= kMaxComparisons
};

// One level per comparison, four bits each, comparison i in bits [4i, 4i+4).
using Pattern = uint64_t;
inline int LevelOf(Pattern p, size_t comparison) { return static_cast<int>((p >> (4 * comparison)) & 0xF); }
inline Pattern WithLevel(Pattern p, size_t comparison, int level) {
  return (p & ~(Pattern{0xF} << (4 * comparison))) | (static_cast<Pattern>(level) << (4 * comparison));
}

// Distinct patterns with the number of pairs showing each, sorted by pattern for determinism.
using PatternCounts = std::vector<std::pair<Pattern, uint64_t>>;
// Builds sorted PatternCounts from an unsorted map.
PatternCounts ToPatternCounts(const std::map<Pattern, uint64_t>& counts);
// Counts the patterns of a list of pairs.
PatternCounts CountPatterns(const std::vector<Pattern>& patterns);

struct FsParameters {
  double prior = 0.0;                  // probability that a compared (blocked) pair is a match
  std::vector<std::vector<double>> m;  // [comparison][level], level 0 unused
  std::vector<std::vector<double>> u;
};

struct EmOptions {
  int max_iterations = 100;
  double tolerance = 1e-5;  // stop when no parameter moves more than this
  bool fix_u = true;        // keep u from random pairs (recommended); false also re-estimates u
  // With fix_u false: the starting u counts as this many pseudo-pairs of non-matches in every M-step (a
  // Dirichlet prior), so a population with few non-matches keeps u near its starting value while a large
  // one learns its own (e.g. the raised agreement of non-matches that share a blocking key).
  double u_prior_pairs = 0.0;
  double initial_prior = 0.0;  // 0: start from an estimate based on the pair counts
  // Plausibility constraint: the match share never exceeds this (e.g. the matches the files can hold
  // divided by the pairs). EmReport::prior_capped says when the constraint was binding.
  double max_prior = 1.0;
  // Values fixed by configuration: {comparison, level} -> probability. They are never re-estimated.
  std::map<std::pair<size_t, int>, double> fixed_m;
  std::map<std::pair<size_t, int>, double> fixed_u;
};

struct EmReport {
  bool converged = false;
  int iterations = 0;
  double max_change = 0.0;             // largest parameter change in the last iteration
  std::vector<double> log_likelihood;  // per iteration
  bool prior_capped = false;           // the final prior sits at EmOptions::max_prior
  std::string note;                    // honest remarks ("did not converge in 100 iterations", ...)
};

// Comparisons of fields that change together (an address: street, city, ZIP, state, phone move at once).
// Summing their partial weights counts one event several times: a person who moved would lose ~20 bits
// for six "different" address fields, and two relatives at one address would gain ~40 bits for six equal
// ones. When at least two of a family's comparisons are non-null in a pair and ALL of those agree (are at
// a level other than "else"), or all are at "else", the family contributes the weight of that joint event,
// log2(P(joint | match) / P(joint | non-match)), estimated from the evidence anchor's pairs and the random
// pairs. Mixed agreement keeps the summed weights, clamped between those two: agreeing on part of the
// family is never stronger evidence than agreeing on all of it.
struct FamilyJoint {
  std::string name;                 // e.g. "address"
  std::vector<size_t> comparisons;  // at least two
  double all_agree_weight = 0.0;    // every present comparison agrees (exact or close)
  double all_else_weight = 0.0;
};

struct Model {
  ModelSpec spec;
  FsParameters params;
  EmReport em;
  std::vector<FamilyJoint> families;  // empty: every comparison counts independently
  TrainingReport training;
  uint64_t pairs_trained = 0;         // blocked pairs EM saw
  uint64_t random_pairs_sampled = 0;  // pairs used for u
};

// u probabilities from the patterns of randomly sampled pairs (almost all non-matches), smoothed so no
// level has probability 0. REQUIRES: every pattern's levels are within the spec.
std::vector<std::vector<double>> EstimateU(const ModelSpec& spec, const PatternCounts& random_pairs);

// Fits m (and the prior, and u unless fix_u) by EM on the blocked pairs' patterns, starting from `u`.
Result<Model> TrainModel(const ModelSpec& spec, const PatternCounts& blocked_pairs, std::vector<std::vector<double>> u,
                         const EmOptions& options = {});

// Weights are log2 Bayes factors. A pair's match weight is the sum of its partial weights (plus any
// term-frequency adjustments) and EXCLUDES the prior; MatchProbability adds the prior.
// Sum over comparisons of log2(m/u) for the pattern's levels (null levels add 0), with family joints applied.
double MatchWeight(const Model& model, Pattern pattern);
// The correction that replaces a family's summed weights (comparison_weights[c] for each of its
// comparisons, term frequencies included) by its joint weight when the pair's levels call for it (see
// FamilyJoint); 0 otherwise. Summed over the model's families.
double FamilyAdjustment(const Model& model, Pattern pattern, const double* comparison_weights);
// Whether a family's non-null levels in `pattern` all agree (+1, no "else"), are all "else" (-1), or neither (0);
// 0 also when fewer than two are non-null.
int FamilyJointState(const ModelSpec& spec, const FamilyJoint& family, Pattern pattern);
// Partial weight of one comparison at one level.
double PartialWeight(const Model& model, size_t comparison, int level);
// Extra weight when comparison `c` agrees exactly on a value whose frequency among all records is
// `value_frequency`: log2(u_exact / value_frequency), so a rare name counts more than a common one.
double TermFrequencyAdjustment(const Model& model, size_t comparison, double value_frequency);
// Prior weight log2(prior / (1 - prior)).
double PriorWeight(const Model& model);
// Posterior match probability of a pair with this match weight: logistic(PriorWeight + match_weight).
double MatchProbability(const Model& model, double match_weight);
// The match weight (prior excluded) a pair needs to reach `probability`.
double WeightForProbability(const Model& model, double probability);

// JSON form of a model (spec, parameters, EM report). Loading validates shape and ranges and names the
// file and the offending key.
std::string ModelToJson(const Model& model);
Result<Model> ModelFromJson(std::string_view json, const std::string& source_name);
Status SaveModel(FileSystem& fs, const std::string& path, const Model& model);
Result<Model> LoadModel(FileSystem& fs, const std::string& path);
// Refuses a model whose comparisons or levels differ from `spec`, saying which.
Status CheckModelMatchesSpec(const Model& model, const ModelSpec& spec);

// Human-readable table of every level's m, u and weight, the prior and how EM converged.
std::string ExplainModel(const Model& model);
// The training report as text (one line per population, the match counts, warnings) and as JSON.
std::string ExplainTraining(const TrainingReport& training);
nlohmann::ordered_json TrainingReportToJson(const TrainingReport& training);

}  // namespace matchguard
