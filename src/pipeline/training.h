// Unsupervised training of a Fellegi-Sunter model on blocked pairs.
//
// u comes from randomly sampled pairs (almost all non-matches). m cannot simply be fitted by EM on all
// blocked pairs with u fixed: blocking makes non-matches agree on the blocking fields far more often than u
// says, so EM takes them for matches (or, with u free, latches onto households). Instead m is fitted per
// blocking rule, as Splink does with its training rules: the candidate pairs that agree on a rule's key are
// ALL the pairs of the files that agree on it, in which EM fits m for every comparison the rule does not use
// (those it uses are masked out).
//
// Non-matches that share a key also agree more on fields correlated with it (the same 3-digit ZIP implies
// the same state and often city; the same first name implies the same sex), and with u pinned to the
// random pairs' values EM can only explain that agreement by calling nearly every pair a match, which
// leaves m(date of birth differs) near u and makes identity disagreements free. Two defences:
//   - the caller masks the rule's whole field FAMILY (RulePairs::masked), not only its fields;
//   - each fit is checked, and a population whose fit is REJECTED is refitted once with u estimated inside
//     it (pulled towards the random-pair u by a Dirichlet prior of 1,000 pseudo-pairs). u is not free by
//     default because in a small population of mostly matches a free u absorbs a sub-population of
//     matches (everyone who moved) into the non-match class.
// Each fit starts from several match shares and keeps the best likelihood. A fit is rejected when
//   - its match count reaches what the files can hold (the plausibility cap, max_matches), or
//   - an identity comparison (ssn, dob, mbi) it leaves free gets an "else" weight above -1 bit: the match
//     class it found does not behave like the same person (a different SSN should be strong evidence).
// The populations' m for a comparison is their average over the used ones that leave it free, weighted by
// their matches.
//
// Evidence anchors: the pairs that agree exactly on a high-precision deterministic rule (SSN and date of
// birth, else MBI and date of birth, else full name and date of birth) are almost all matches, so the level
// shares of every other comparison among them ARE its m. Field anchors do the same for the main anchor's
// own comparisons (the date of birth among pairs exact on SSN and names; the SSN among pairs exact on date
// of birth, names and street address). Anchors are preferred to EM because an EM match class takes in
// look-alike non-matches (same-name strangers, family members), which inflate the "else" levels of exactly
// the identity fields that tell them apart; the populations' average is kept as the anchors' prior, worth
// 100 pairs, and alone trains what no anchor does. The main anchor's pairs divided by its recall (from m
// and the null rates) also give a match count that cross-checks EM's.
//
// Family joints (see FamilyJoint) are fitted on the same anchor pairs (matches) and on the random pairs
// (non-matches): P(every present comparison of the family agrees), P(every one is "else").
//
// The prior is then the population one: the expected number of matches among ALL pairs of the files (a
// pair never generated is taken as a non-match), found by EM on the prior alone with m and u fixed, never
// above the plausibility cap. Disagreements (EM vs anchor by more than 2x, a binding cap, identity
// comparisons whose final m is close to u) become warnings in the model's TrainingReport.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "matchguard/status.h"
#include "src/model/fellegi_sunter.h"
#include "src/normalize/fields.h"

namespace matchguard {

// The candidate pairs (or a uniform sample of them) that agree on one blocking rule's key.
struct RulePairs {
  std::string rule;
  std::vector<size_t> masked;  // comparisons of the rule's field families (left out of its fit)
  PatternCounts patterns;      // their patterns, unmasked
  double sampling = 1.0;       // fraction of the candidates these patterns were drawn from
};

struct TrainingOptions {
  int max_iterations = 500;
  double tolerance = 1e-5;
  std::map<std::pair<size_t, int>, double> fixed_m;  // from the config, never re-estimated
  std::map<std::pair<size_t, int>, double> fixed_u;
  size_t min_rule_pairs = 30;  // a rule with fewer agreeing pairs trains nothing
  // Plausibility: the most matches the files can hold among all pairs (e.g. min(left, right) times a
  // duplicate factor); 0 means no cap.
  double max_matches = 0;
  // Comparisons that identify a person (ssn, dob, mbi): their "else" level must count against a match.
  std::vector<size_t> identity;
  // The evidence anchor: comparisons that must all be at their exact level (1); empty: no anchor.
  std::string anchor_name;
  std::vector<size_t> anchor;
  // Anchors for the main anchor's own comparisons, which it cannot train: the candidate pairs exact on
  // every one of `comparisons` are matches whatever their level of `trains`.
  struct FieldAnchor {
    size_t trains = 0;
    std::string name;  // e.g. "ssn+first_name+last_name"
    std::vector<size_t> comparisons;
  };
  std::vector<FieldAnchor> field_anchors;
  // Families of comparisons that change together (FamilyJoint; weights are fitted here). A family that
  // shares a comparison with the anchor, or is seen in too few anchor pairs, is left out.
  std::vector<FamilyJoint> families;
  // Pairs of the files that satisfy the anchor (counted by key frequencies, so blocking cannot miss any);
  // < 0: unknown, the anchor pairs among the candidates are counted instead.
  double anchor_pairs = -1;
};

// Sets the identity comparisons (ssn, dob, mbi) and the evidence anchors the compared fields allow:
// the anchor is SSN and date of birth, else MBI and date of birth, else first name, last name and date of
// birth; with an identifier in it, field anchors train the date of birth (identifier and both names exact)
// and the identifier (date of birth, both names and the street address exact: names and a birth date
// alone let same-name strangers in). `fields[c]` is comparison c's field, nullopt for a comparison of
// several fields. Returns the anchor's fields (empty when there is none); anchor_pairs is left as is.
std::vector<FieldKind> ChooseAnchors(const std::vector<std::optional<FieldKind>>& fields, TrainingOptions* training);

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
