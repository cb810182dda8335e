// Unsupervised training of a Fellegi-Sunter model on blocked pairs.
//
// u comes from randomly sampled pairs (almost all non-matches). m cannot simply be fitted by EM on all
// blocked pairs with u fixed: blocking makes non-matches agree on the blocking fields far more often than u
// says, so EM takes them for matches (or, with u free, latches onto households). Instead m is fitted per
// blocking rule, as Splink does with its training rules: the candidate pairs that agree on a rule's key are
// ALL the pairs of the files that agree on it (every such pair is generated), an unbiased population in which
// EM with u fixed fits m for every comparison the rule does not use (those it uses are masked out). A
// comparison's m is the average over the rules that do not use it, weighted by each rule's estimated matches.
//
// The prior is then the population one: the expected number of matches among ALL pairs of the files (a
// pair never generated is taken as a non-match), found by EM on the prior alone with m and u fixed. Scoring
// a candidate with this prior and the full likelihood ratio is the posterior over all pairs, so being
// blocked together on a common date of birth earns no credit beyond the date's own weight.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "matchguard/status.h"
#include "src/model/fellegi_sunter.h"

namespace matchguard {

// The candidate pairs (or a uniform sample of them) that agree on one blocking rule's key.
struct RulePairs {
  std::string rule;
  std::vector<size_t> masked;  // comparisons whose fields the rule uses
  PatternCounts patterns;      // their patterns, unmasked
  double sampling = 1.0;       // fraction of the candidates these patterns were drawn from
};

struct TrainingOptions {
  int max_iterations = 500;
  double tolerance = 1e-5;
  std::map<std::pair<size_t, int>, double> fixed_m;  // from the config, never re-estimated
  std::map<std::pair<size_t, int>, double> fixed_u;
  size_t min_rule_pairs = 30;  // a rule with fewer agreeing pairs trains nothing
};

// `blocked`: patterns of all candidate pairs; `all_pairs`: pairs of the files (n_left * n_right, or
// n (n - 1) / 2 for dedupe).
Result<Model> TrainOnBlockedPairs(const ModelSpec& spec, const PatternCounts& blocked,
                                  const PatternCounts& random_pairs, const std::vector<RulePairs>& rules,
                                  double all_pairs, const TrainingOptions& options);

// The population prior for fixed m and u: EM on the prior alone over the blocked patterns, with the
// all_pairs - blocked pairs never generated counted as non-matches. Returns the prior and the iterations.
std::pair<double, int> FitPopulationPrior(const Model& model, const PatternCounts& blocked, double all_pairs,
                                          double tolerance, int max_iterations);

}  // namespace matchguard
