#include "src/pipeline/training.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace matchguard {
namespace {

// Starting match shares for each population's EM: a clear majority, a minority, a few. The best
// likelihood wins; the others show whether the solution depends on where EM started.
constexpr double kStartPriors[] = {0.5, 0.1, 0.01};
// With u known, the match share and m are identifiable from two free comparisons (the pattern table minus
// the non-match part must be of rank one); with one, EM creeps along a ridge of equally likely solutions.
// With u free too, a two-class latent model needs three.
constexpr size_t kMinFreeComparisons = 2;
constexpr size_t kMinFreeComparisonsFreeU = 3;
// Pseudo-pairs of non-matches, distributed as the random-pair u, added to every population's u estimate.
constexpr double kUPriorPairs = 1000;
// An identity comparison's "else" weight must be below this (bits): m(else) < u(else) / 2.
constexpr double kIdentityElseMaxWeight = -1.0;
// Starts whose level weights differ by more than this (bits) found different solutions.
constexpr double kStartsDisagreeBits = 1.0;
// ... and whose log-likelihoods differ by more than this (a flat likelihood is one solution, not two).
constexpr double kStartsDisagreeLogLikelihood = 1.0;
// EM's match count and the anchor's disagree when one exceeds the other by more than this factor.
constexpr double kAnchorDisagreeFactor = 2.0;

PatternCounts Masked(const PatternCounts& patterns, const std::vector<size_t>& masked) {
  std::map<Pattern, uint64_t> out;
  for (const auto& [p, n] : patterns) {
    Pattern q = p;
    for (size_t c : masked) q = WithLevel(q, c, kNullLevel);
    out[q] += n;
  }
  return ToPatternCounts(out);
}

uint64_t Total(const PatternCounts& counts) {
  uint64_t total = 0;
  for (const auto& [p, n] : counts) total += n;
  return total;
}

bool Contains(const std::vector<size_t>& v, size_t x) { return std::find(v.begin(), v.end(), x) != v.end(); }

double ElseWeight(const std::vector<std::vector<double>>& m, const std::vector<std::vector<double>>& u, size_t c) {
  const size_t last = m[c].size() - 1;
  return std::log2(m[c][last] / u[c][last]);
}

double LargestWeightGap(const Model& a, const Model& b) {
  double gap = 0;
  for (size_t c = 0; c < a.params.m.size(); ++c) {
    for (size_t l = 1; l < a.params.m[c].size(); ++l) {
      gap = std::max(gap, std::abs(std::log2(a.params.m[c][l] / b.params.m[c][l])));
    }
  }
  return gap;
}

// A population's m from EM, with the best of several starts.
struct PopulationFit {
  Model model;
  double matches = 0;      // in the population (its sample)
  std::string start_note;  // set when starts reached different solutions
};

Result<PopulationFit> FitPopulation(const ModelSpec& spec, const PatternCounts& patterns,
                                    const std::vector<std::vector<double>>& u, EmOptions em, double max_prior,
                                    bool free_u) {
  em.fix_u = !free_u;
  em.u_prior_pairs = free_u ? kUPriorPairs : 0;
  em.max_prior = max_prior;
  std::vector<Model> fits;
  for (double start : kStartPriors) {
    em.initial_prior = std::min(start, max_prior);
    MG_ASSIGN_OR_RETURN(Model fit, TrainModel(spec, patterns, u, em));
    fits.push_back(std::move(fit));
  }
  auto likelihood = [](const Model& m) { return m.em.log_likelihood.empty() ? -INFINITY : m.em.log_likelihood.back(); };
  size_t best = 0;
  for (size_t i = 1; i < fits.size(); ++i) {
    if (likelihood(fits[i]) > likelihood(fits[best])) best = i;
  }
  PopulationFit out;
  for (size_t i = 0; i < fits.size(); ++i) {
    if (i == best || LargestWeightGap(fits[i], fits[best]) <= kStartsDisagreeBits ||
        likelihood(fits[best]) - likelihood(fits[i]) < kStartsDisagreeLogLikelihood) {
      continue;
    }
    out.start_note = fmt::format(
        "EM started at a match share of {} reached another solution (log-likelihood {:.1f} "
        "lower); the best of {} starts is kept",
        kStartPriors[i], likelihood(fits[best]) - likelihood(fits[i]), fits.size());
  }
  out.model = std::move(fits[best]);
  out.matches = out.model.params.prior * static_cast<double>(Total(patterns));
  return out;
}

// Why a population's fit cannot be trusted, or "" when it can.
std::string RejectionReason(const PopulationFit& fit, const RulePairs& rule, const std::vector<std::vector<double>>& u,
                            const ModelSpec& spec, const TrainingOptions& options) {
  if (fit.matches < 1.0) return "no matches found among its pairs";
  if (fit.model.em.prior_capped) {
    return fmt::format(
        "EM put {:.0f} of its pairs in the match class, as many as the {:.0f} matches the files can "
        "hold (a degenerate solution)",
        fit.matches / rule.sampling, options.max_matches);
  }
  for (size_t c : options.identity) {
    if (Contains(rule.masked, c)) continue;
    double w = ElseWeight(fit.model.params.m, u, c);
    if (w > kIdentityElseMaxWeight) {
      return fmt::format(
          "a different {} would weigh only {:+.2f} bits (m {:.3f} vs u {:.3f}): the class EM found "
          "is not the same person",
          spec.comparisons[c].name, w, fit.model.params.m[c].back(), u[c].back());
    }
  }
  return "";
}

// Level counts, per comparison, of the candidate pairs exact on every comparison of an anchor.
struct AnchorCounts {
  uint64_t pairs = 0;
  std::vector<std::vector<double>> counts;  // [comparison][level]; level 0 counts the nulls
};

AnchorCounts CountAnchor(const ModelSpec& spec, const PatternCounts& blocked, const std::vector<size_t>& anchor) {
  AnchorCounts out;
  out.counts.resize(spec.comparisons.size());
  for (size_t c = 0; c < out.counts.size(); ++c) out.counts[c].assign(spec.comparisons[c].levels.size(), 0.0);
  for (const auto& [pattern, n] : blocked) {
    const Pattern p = pattern;  // a structured binding cannot be captured in C++20
    bool exact = std::all_of(anchor.begin(), anchor.end(), [&](size_t c) { return LevelOf(p, c) == 1; });
    if (!exact) continue;
    out.pairs += n;
    for (size_t c = 0; c < out.counts.size(); ++c) out.counts[c][LevelOf(p, c)] += static_cast<double>(n);
  }
  return out;
}

// m per comparison from two kinds of source. Evidence anchors are data: the level shares, among pairs that
// are matches by other evidence, of the comparisons the anchor leaves free. EM populations are an estimate
// a contaminated match class can bias (look-alike non-matches inflate the "else" levels), so their
// match-weighted average serves as the anchor's prior, worth kPopulationPriorPairs pairs: it decides where
// an anchor saw few pairs and is outweighed where it saw many.
class MEstimate {
 public:
  explicit MEstimate(const ModelSpec& spec) : comparisons_(spec.comparisons.size()) {
    for (size_t c = 0; c < comparisons_.size(); ++c) {
      comparisons_[c].population_sum.assign(spec.comparisons[c].levels.size(), 0.0);
      comparisons_[c].anchor_counts.assign(spec.comparisons[c].levels.size(), 0.0);
    }
  }
  void AddPopulation(size_t source, const std::vector<std::vector<double>>& m, const std::vector<size_t>& masked,
                     double matches) {
    for (size_t c = 0; c < comparisons_.size(); ++c) {
      if (Contains(masked, c)) continue;
      for (size_t l = 1; l < m[c].size(); ++l) comparisons_[c].population_sum[l] += matches * m[c][l];
      comparisons_[c].population_weight += matches;
      comparisons_[c].populations.emplace_back(source, matches);
    }
  }
  // The anchor's counts train comparison c (one anchor per comparison; its non-null pairs count).
  void AddAnchor(size_t source, const AnchorCounts& anchor, size_t c) {
    PerComparison& pc = comparisons_[c];
    pc.anchor_source = source;
    pc.anchor_counts = anchor.counts[c];
    pc.anchor_counts[0] = 0;
    for (double n : pc.anchor_counts) pc.anchor_pairs += n;
  }
  bool Trained(size_t c) const { return comparisons_[c].population_weight > 0 || comparisons_[c].anchor_pairs > 0; }
  double M(size_t c, size_t l) const {
    const PerComparison& pc = comparisons_[c];
    const double population_m = pc.population_weight > 0 ? pc.population_sum[l] / pc.population_weight : 0;
    if (pc.anchor_pairs <= 0) return population_m;
    const double pairs = SmoothedAnchorPairs(pc);
    if (pc.population_weight <= 0) return SmoothedAnchorCount(pc, l) / pairs;
    return (SmoothedAnchorCount(pc, l) + kPopulationPriorPairs * population_m) / (pairs + kPopulationPriorPairs);
  }
  // Where the populations' m(else) and an anchor's differ by more than kDisagreeBits, the comparison with the
  // largest difference, as a note (the anchor's figure is the one used); "" when they agree.
  std::string ElseDisagreement(const ModelSpec& spec) const {
    constexpr double kDisagreeBits = 1.0;
    std::string note;
    double largest = kDisagreeBits;
    for (size_t c = 0; c < comparisons_.size(); ++c) {
      const PerComparison& pc = comparisons_[c];
      if (pc.population_weight <= 0 || pc.anchor_pairs <= 0) continue;
      const size_t last = pc.anchor_counts.size() - 1;
      const double population = pc.population_sum[last] / pc.population_weight;
      const double anchored = SmoothedAnchorCount(pc, last) / SmoothedAnchorPairs(pc);
      const double bits = std::abs(std::log2(population / anchored));
      if (bits <= largest) continue;
      largest = bits;
      note = fmt::format(
          "EM populations put m({} else) at {:.4f}, the evidence anchors at {:.4f}: their match classes hold "
          "look-alike non-matches (or miss changed values); the anchors' figure is used",
          spec.comparisons[c].name, population, anchored);
    }
    return note;
  }
  // Each source's share of the m estimates, averaged over the trained comparisons.
  std::vector<double> SourceShares(size_t sources) const {
    std::vector<double> shares(sources, 0.0);
    size_t trained = 0;
    for (const PerComparison& pc : comparisons_) {
      if (pc.population_weight <= 0 && pc.anchor_pairs <= 0) continue;
      ++trained;
      const double prior_pairs = pc.population_weight > 0 ? kPopulationPriorPairs : 0;
      const double anchor_share = pc.anchor_pairs / (pc.anchor_pairs + prior_pairs);
      if (pc.anchor_pairs > 0) shares[pc.anchor_source] += anchor_share;
      for (const auto& [source, matches] : pc.populations) {
        shares[source] += (1 - anchor_share) * matches / pc.population_weight;
      }
    }
    for (double& s : shares) s = trained > 0 ? s / static_cast<double>(trained) : 0;
    return shares;
  }

 private:
  static constexpr double kPopulationPriorPairs = 100;
  static constexpr double kPseudoPairsPerLevel = 0.5;
  struct PerComparison {
    std::vector<double> population_sum;
    double population_weight = 0;
    std::vector<std::pair<size_t, double>> populations;  // (source, matches)
    std::vector<double> anchor_counts;
    double anchor_pairs = 0;
    size_t anchor_source = 0;
  };
  // Half a pair per level keeps a level no anchor pair showed from weighing -20 bits.
  static double SmoothedAnchorCount(const PerComparison& pc, size_t l) {
    return pc.anchor_counts[l] + kPseudoPairsPerLevel;
  }
  static double SmoothedAnchorPairs(const PerComparison& pc) {
    return pc.anchor_pairs + kPseudoPairsPerLevel * static_cast<double>(pc.anchor_counts.size() - 1);
  }
  std::vector<PerComparison> comparisons_;
};

// The evidence anchors' sources: the main anchor trains every comparison outside it, each field anchor the
// one comparison it is for. Returns the main anchor's counts (empty when there is none).
AnchorCounts AddAnchors(const ModelSpec& spec, const PatternCounts& blocked, const TrainingOptions& options,
                        MEstimate* estimate, TrainingReport* report) {
  auto add = [&](std::string name, const std::vector<size_t>& comparisons, const std::vector<size_t>& trains) {
    AnchorCounts counts = CountAnchor(spec, blocked, comparisons);
    const auto pairs = static_cast<double>(counts.pairs);
    TrainingSource source{std::move(name), counts.pairs, pairs, 0, ""};
    if (counts.pairs < options.min_rule_pairs) {
      source.rejected = fmt::format("too few pairs agree exactly on it ({})", counts.pairs);
    } else {
      for (size_t c : trains) estimate->AddAnchor(report->sources.size(), counts, c);
    }
    report->sources.push_back(std::move(source));
    return counts;
  };
  AnchorCounts main;
  if (!options.anchor.empty()) {
    std::vector<size_t> others;
    for (size_t c = 0; c < spec.comparisons.size(); ++c) {
      if (!Contains(options.anchor, c)) others.push_back(c);
    }
    main = add("anchor: " + options.anchor_name, options.anchor, others);
  }
  for (const TrainingOptions::FieldAnchor& field : options.field_anchors) {
    add(fmt::format("anchor for {}: {}", spec.comparisons[field.trains].name, field.name), field.comparisons,
        {field.trains});
  }
  return main;
}

// Share of random pairs in which comparison c has a value on both sides.
double NonNullShare(const PatternCounts& random_pairs, size_t c) {
  double present = 0, total = 0;
  for (const auto& [p, n] : random_pairs) {
    total += static_cast<double>(n);
    if (LevelOf(p, c) != kNullLevel) present += static_cast<double>(n);
  }
  return total > 0 ? present / total : 1.0;
}

// Matches among all pairs implied by the anchor: its pairs over its recall among matches (each anchor
// comparison present on both sides and exact).
double AnchorMatches(const Model& model, const PatternCounts& random_pairs, const std::vector<size_t>& anchor,
                     double anchor_pairs) {
  double recall = 1.0;
  for (size_t c : anchor) recall *= NonNullShare(random_pairs, c) * model.params.m[c][1];
  return recall > 0 ? anchor_pairs / recall : -1;
}

// Shares, among pairs with at least two of the family's comparisons present, of those where all present
// ones agree and where all are "else". `keep` selects the pairs to count.
struct JointShares {
  double pairs = 0, all_agree = 0, all_else = 0;
};

template <typename Keep>
JointShares CountJoint(const ModelSpec& spec, const FamilyJoint& family, const PatternCounts& patterns, Keep keep) {
  JointShares out;
  for (const auto& [p, n] : patterns) {
    if (!keep(p)) continue;
    size_t present = 0;
    for (size_t c : family.comparisons) present += LevelOf(p, c) != kNullLevel ? 1 : 0;
    if (present < 2) continue;
    const int state = FamilyJointState(spec, family, p);
    out.pairs += static_cast<double>(n);
    out.all_agree += state > 0 ? static_cast<double>(n) : 0;
    out.all_else += state < 0 ? static_cast<double>(n) : 0;
  }
  return out;
}

std::vector<FamilyJoint> FitFamilies(const ModelSpec& spec, const PatternCounts& blocked,
                                     const PatternCounts& random_pairs, const TrainingOptions& options,
                                     std::vector<std::string>* notes) {
  std::vector<FamilyJoint> out;
  auto anchored = [&](Pattern p) {
    return std::all_of(options.anchor.begin(), options.anchor.end(), [&](size_t c) { return LevelOf(p, c) == 1; });
  };
  for (FamilyJoint family : options.families) {
    bool overlaps = std::any_of(family.comparisons.begin(), family.comparisons.end(),
                                [&](size_t c) { return Contains(options.anchor, c); });
    if (options.anchor.empty() || overlaps || family.comparisons.size() < 2) continue;
    JointShares m = CountJoint(spec, family, blocked, anchored);
    JointShares u = CountJoint(spec, family, random_pairs, [](Pattern) { return true; });
    if (m.pairs < static_cast<double>(options.min_rule_pairs) || u.pairs < 1) continue;
    auto weight = [&](double m_count, double u_count) {
      return std::log2(((m_count + 0.5) / (m.pairs + 1)) / ((u_count + 0.5) / (u.pairs + 1)));
    };
    family.all_agree_weight = weight(m.all_agree, u.all_agree);
    family.all_else_weight = weight(m.all_else, u.all_else);
    notes->push_back(fmt::format("family {}: all agree {:+.2f} bits, all else {:+.2f} bits (from {:.0f} anchor pairs)",
                                 family.name, family.all_agree_weight, family.all_else_weight, m.pairs));
    out.push_back(std::move(family));
  }
  return out;
}

std::string JoinNotes(const std::vector<std::string>& notes) {
  std::string out;
  for (const std::string& n : notes) out += (out.empty() ? "" : "; ") + n;
  return out;
}

}  // namespace

std::vector<FieldKind> ChooseAnchors(const std::vector<std::optional<FieldKind>>& fields, TrainingOptions* training) {
  auto comparison_of = [&](FieldKind f) -> std::optional<size_t> {
    for (size_t c = 0; c < fields.size(); ++c) {
      if (fields[c] == f) return c;
    }
    return std::nullopt;
  };
  // The comparisons of `kinds` and their name ("ssn+dob"), or nothing when one is not compared.
  auto exact = [&](const std::vector<FieldKind>& kinds) -> std::optional<std::pair<std::vector<size_t>, std::string>> {
    std::vector<size_t> comparisons;
    std::string name;
    for (FieldKind f : kinds) {
      if (!comparison_of(f)) return std::nullopt;
      comparisons.push_back(*comparison_of(f));
      name += (name.empty() ? "" : "+") + std::string(FieldKindName(f));
    }
    return std::make_pair(std::move(comparisons), std::move(name));
  };
  for (FieldKind f : {FieldKind::kSsn, FieldKind::kDob, FieldKind::kMbi}) {
    if (comparison_of(f)) training->identity.push_back(*comparison_of(f));
  }
  const std::vector<std::vector<FieldKind>> anchors = {{FieldKind::kSsn, FieldKind::kDob},
                                                       {FieldKind::kMbi, FieldKind::kDob},
                                                       {FieldKind::kFirstName, FieldKind::kLastName, FieldKind::kDob}};
  for (const std::vector<FieldKind>& kinds : anchors) {
    auto anchor = exact(kinds);
    if (!anchor) continue;
    training->anchor = anchor->first;
    training->anchor_name = anchor->second;
    const FieldKind identifier = kinds.front();
    if (identifier != FieldKind::kSsn && identifier != FieldKind::kMbi) return kinds;
    auto add = [&](FieldKind trains, const std::vector<FieldKind>& by) {
      if (auto field_anchor = exact(by)) {
        training->field_anchors.push_back({*comparison_of(trains), field_anchor->second, field_anchor->first});
      }
    };
    add(FieldKind::kDob, {identifier, FieldKind::kFirstName, FieldKind::kLastName});
    std::vector<FieldKind> at_home = {FieldKind::kDob, FieldKind::kFirstName, FieldKind::kLastName};
    for (FieldKind f : {FieldKind::kStreetNumber, FieldKind::kStreet, FieldKind::kZip}) {
      if (comparison_of(f)) at_home.push_back(f);
    }
    if (at_home.size() > 3) add(identifier, at_home);
    return kinds;
  }
  return {};
}

std::pair<double, int> FitPopulationPrior(const Model& model, const PatternCounts& blocked, double all_pairs,
                                          double tolerance, int max_iterations) {
  std::vector<std::pair<double, double>> ratios;  // (likelihood ratio, count)
  double blocked_total = 0;
  for (const auto& [p, n] : blocked) {
    ratios.emplace_back(std::exp2(MatchWeight(model, p)), static_cast<double>(n));
    blocked_total += static_cast<double>(n);
  }
  all_pairs = std::max(all_pairs, blocked_total);
  if (all_pairs <= 0) return {1e-9, 0};
  double prior = std::clamp(std::min(blocked_total, std::sqrt(all_pairs)) / all_pairs * 0.5, 1e-12, 0.5);
  int it = 0;
  for (it = 1; it <= max_iterations; ++it) {
    double matches = 0;
    for (const auto& [ratio, count] : ratios) {
      double odds = prior / (1 - prior) * ratio;
      matches += count * odds / (1 + odds);
    }
    double next = std::clamp(matches / all_pairs, 1e-12, 1 - 1e-9);
    double change = std::abs(next - prior) / prior;
    prior = next;
    if (change < tolerance) break;
  }
  return {prior, std::min(it, max_iterations)};
}

Result<Model> TrainOnBlockedPairs(const ModelSpec& spec, const PatternCounts& blocked,
                                  const PatternCounts& random_pairs, const std::vector<RulePairs>& rules,
                                  double all_pairs, const TrainingOptions& options) {
  const size_t comparisons = spec.comparisons.size();
  std::vector<std::vector<double>> u = EstimateU(spec, random_pairs);
  for (const auto& [key, value] : options.fixed_u) u[key.first][key.second] = value;

  EmOptions em;
  em.max_iterations = options.max_iterations;
  em.tolerance = options.tolerance;
  em.fixed_m = options.fixed_m;
  em.fixed_u = options.fixed_u;

  TrainingReport report;
  report.max_matches = options.max_matches;
  MEstimate estimate(spec);
  std::vector<std::string> notes;
  bool all_converged = true;
  int iterations = 0;
  for (const RulePairs& rule : rules) {
    PatternCounts subset = Masked(rule.patterns, rule.masked);
    const uint64_t pairs = Total(subset);
    TrainingSource source{rule.rule, pairs, 0, 0, ""};
    if (pairs < options.min_rule_pairs) {
      source.rejected = fmt::format("too few pairs to train on ({})", pairs);
      report.sources.push_back(source);
      continue;
    }
    if (const size_t free = comparisons - rule.masked.size(); free < kMinFreeComparisons) {
      source.rejected = fmt::format("it leaves {} comparison(s) free; EM needs {} to tell m from the match share", free,
                                    kMinFreeComparisons);
      report.sources.push_back(source);
      continue;
    }
    // Matches in this population can be at most the files' cap, scaled to the sample.
    const double cap =
        options.max_matches > 0 ? std::min(1.0, options.max_matches * rule.sampling / static_cast<double>(pairs)) : 1.0;
    MG_ASSIGN_OR_RETURN(PopulationFit fit, FitPopulation(spec, subset, u, em, cap, /*free_u=*/false));
    source.rejected = RejectionReason(fit, rule, u, spec, options);
    if (!source.rejected.empty() && comparisons - rule.masked.size() >= kMinFreeComparisonsFreeU) {
      // Its non-matches may agree on the free comparisons more than random pairs do: refit with u
      // estimated inside the population, and keep that only if it passes the same checks.
      MG_ASSIGN_OR_RETURN(PopulationFit refit, FitPopulation(spec, subset, u, em, cap, /*free_u=*/true));
      std::string again = RejectionReason(refit, rule, u, spec, options);
      if (again.empty()) {
        notes.push_back("rule " + rule.rule +
                        ": refit with u estimated inside its population (with u from random "
                        "pairs " +
                        source.rejected + ")");
        fit = std::move(refit);
      }
      source.rejected = again;
    }
    source.matches = fit.matches / rule.sampling;
    all_converged &= fit.model.em.converged;
    iterations += fit.model.em.iterations;
    if (!fit.start_note.empty()) notes.push_back("rule " + rule.rule + ": " + fit.start_note);
    if (source.rejected.empty())
      estimate.AddPopulation(report.sources.size(), fit.model.params.m, rule.masked, fit.matches);
    report.sources.push_back(source);
  }

  const AnchorCounts anchor = AddAnchors(spec, blocked, options, &estimate, &report);
  if (std::string note = estimate.ElseDisagreement(spec); !note.empty()) notes.push_back(note);
  const std::vector<double> shares = estimate.SourceShares(report.sources.size());
  for (size_t i = 0; i < shares.size(); ++i) report.sources[i].weight = shares[i];

  // Comparisons no population could train keep what plain EM on all blocked pairs says (weaker; reported).
  EmOptions assemble = em;
  bool untrained = false;
  for (size_t c = 0; c < comparisons; ++c) {
    if (!estimate.Trained(c)) {
      untrained = true;
      report.warnings.push_back("no usable training population leaves " + spec.comparisons[c].name +
                                " free; its m comes from EM on all blocked pairs, which blocking biases");
      continue;
    }
    for (size_t l = 1; l < spec.comparisons[c].levels.size(); ++l) {
      auto key = std::make_pair(c, static_cast<int>(l));
      if (!assemble.fixed_m.contains(key)) assemble.fixed_m[key] = estimate.M(c, l);
    }
  }
  if (!untrained) assemble.max_iterations = 1;  // everything is fixed: this only assembles the model
  MG_ASSIGN_OR_RETURN(Model model, TrainModel(spec, blocked, u, assemble));
  if (untrained) {
    all_converged &= model.em.converged || Total(blocked) == 0;
    iterations += model.em.iterations;
  }

  model.families = FitFamilies(spec, blocked, random_pairs, options, &notes);
  auto [prior, prior_iterations] =
      FitPopulationPrior(model, blocked, all_pairs, options.tolerance, options.max_iterations * 10);
  report.em_matches = prior * all_pairs;
  if (!options.anchor.empty() && anchor.pairs >= options.min_rule_pairs) {
    double anchor_pairs = options.anchor_pairs >= 0 ? options.anchor_pairs : static_cast<double>(anchor.pairs);
    report.anchor_matches = AnchorMatches(model, random_pairs, options.anchor, anchor_pairs);
  }
  if (options.max_matches > 0 && report.em_matches > options.max_matches) {
    const double fallback =
        report.anchor_matches > 0 ? std::min(report.anchor_matches, options.max_matches) : options.max_matches;
    report.warnings.push_back(
        fmt::format("EM expects {:.0f} matches, more than the {:.0f} the files can hold; the prior uses {:.0f} ({})",
                    report.em_matches, options.max_matches, fallback,
                    report.anchor_matches > 0 ? "the evidence anchor's estimate" : "the cap"));
    prior = fallback / all_pairs;
  } else if (report.anchor_matches > 0 &&
             std::max(report.anchor_matches, report.em_matches) >
                 kAnchorDisagreeFactor * std::min(report.anchor_matches, report.em_matches)) {
    report.warnings.push_back(fmt::format(
        "EM expects {:.0f} matches but the evidence anchor ({}) implies {:.0f}: check the model before trusting "
        "its probabilities",
        report.em_matches, options.anchor_name, report.anchor_matches));
  }
  for (size_t c : options.identity) {
    double w = ElseWeight(model.params.m, model.params.u, c);
    if (w > kIdentityElseMaxWeight) {
      report.warnings.push_back(fmt::format("a different {} weighs only {:+.2f} bits: it barely counts against a match",
                                            spec.comparisons[c].name, w));
    }
  }
  model.params.prior = prior;
  notes.push_back(fmt::format("prior {:.3g} over all {:.0f} pairs (~{:.0f} matches) in {} iterations", prior, all_pairs,
                              prior * all_pairs, prior_iterations));
  size_t used = 0;
  for (const TrainingSource& s : report.sources) used += s.rejected.empty() ? 1 : 0;
  notes.insert(notes.begin(), fmt::format("m from {} of {} training populations", used, report.sources.size()));
  model.em.converged = all_converged;
  model.em.iterations = iterations + prior_iterations;
  model.em.note = (all_converged ? "converged: " : "did NOT converge: ") + JoinNotes(notes);
  model.training = std::move(report);
  return model;
}

}  // namespace matchguard
