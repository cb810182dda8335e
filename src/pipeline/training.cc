#include "src/pipeline/training.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace matchguard {
namespace {

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

}  // namespace

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
  em.fix_u = true;
  em.fixed_m = options.fixed_m;
  em.fixed_u = options.fixed_u;

  std::vector<std::vector<double>> m_sum(comparisons);
  std::vector<double> m_weight(comparisons, 0.0);
  for (size_t c = 0; c < comparisons; ++c) m_sum[c].assign(spec.comparisons[c].levels.size(), 0.0);
  std::vector<std::string> notes;
  bool all_converged = true;
  int iterations = 0;
  for (const RulePairs& rule : rules) {
    PatternCounts subset = Masked(rule.patterns, rule.masked);
    uint64_t pairs = Total(subset);
    if (pairs < options.min_rule_pairs) {
      notes.push_back(fmt::format("rule {} trains nothing ({} pairs)", rule.rule, pairs));
      continue;
    }
    MG_ASSIGN_OR_RETURN(Model part, TrainModel(spec, subset, u, em));
    double matches = part.params.prior * static_cast<double>(pairs);
    if (matches < 1.0) {
      notes.push_back(fmt::format("rule {} trains nothing (no matches among {} pairs)", rule.rule, pairs));
      continue;
    }
    for (size_t c = 0; c < comparisons; ++c) {
      if (std::find(rule.masked.begin(), rule.masked.end(), c) != rule.masked.end()) continue;
      for (size_t l = 1; l < m_sum[c].size(); ++l) m_sum[c][l] += matches * part.params.m[c][l];
      m_weight[c] += matches;
    }
    all_converged &= part.em.converged;
    iterations += part.em.iterations;
    notes.push_back(fmt::format("rule {} ({} pairs, ~{:.0f} matches): {}", rule.rule, pairs,
                                matches / rule.sampling, part.em.note));
  }

  // Comparisons no rule could train keep what plain EM on all blocked pairs says (weaker; reported).
  EmOptions fixed = em;
  bool untrained = false;
  for (size_t c = 0; c < comparisons; ++c) {
    if (m_weight[c] == 0) {
      untrained = true;
      notes.push_back("no blocking rule leaves " + spec.comparisons[c].name +
                      " free to train; its m comes from EM on all blocked pairs");
      continue;
    }
    for (size_t l = 1; l < m_sum[c].size(); ++l) {
      auto key = std::make_pair(c, static_cast<int>(l));
      if (!fixed.fixed_m.contains(key)) fixed.fixed_m[key] = m_sum[c][l] / m_weight[c];
    }
  }
  if (!untrained) fixed.max_iterations = 1;  // everything is fixed: this only assembles the model
  MG_ASSIGN_OR_RETURN(Model model, TrainModel(spec, blocked, u, fixed));
  if (untrained) {
    all_converged &= model.em.converged || Total(blocked) == 0;
    iterations += model.em.iterations;
  }
  auto [prior, prior_iterations] =
      FitPopulationPrior(model, blocked, all_pairs, options.tolerance, options.max_iterations * 10);
  model.params.prior = prior;
  notes.push_back(fmt::format("prior {:.3g} over all {:.0f} pairs (~{:.0f} matches) in {} iterations", prior,
                              all_pairs, prior * all_pairs, prior_iterations));
  model.em.converged = all_converged;
  model.em.iterations = iterations + prior_iterations;
  std::string note;
  for (const std::string& n : notes) note += (note.empty() ? "" : "; ") + n;
  model.em.note = (all_converged ? "converged: " : "did NOT converge: ") + note;
  return model;
}

}  // namespace matchguard
