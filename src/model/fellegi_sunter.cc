#include "src/model/fellegi_sunter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

namespace matchguard {
namespace {

// Probabilities never reach 0 or 1: a level seen in no pair would otherwise give an infinite weight.
constexpr double kMinProbability = 1e-9;

double Clamp(double p) { return std::clamp(p, kMinProbability, 1.0 - kMinProbability); }

size_t NumLevels(const ModelSpec& spec, size_t c) { return spec.comparisons[c].levels.size(); }

// Starting m: agreement levels likely for matches, decreasing geometrically to "else".
std::vector<std::vector<double>> InitialM(const ModelSpec& spec) {
  std::vector<std::vector<double>> m(spec.comparisons.size());
  for (size_t c = 0; c < spec.comparisons.size(); ++c) {
    const size_t levels = NumLevels(spec, c);
    m[c].assign(levels, 0.0);
    double total = 0.0;
    for (size_t l = 1; l < levels; ++l) {
      m[c][l] = l == 1 ? 0.9 : 0.1 * std::pow(0.5, static_cast<double>(l - 2));
      total += m[c][l];
    }
    for (size_t l = 1; l < levels; ++l) m[c][l] /= total;
  }
  return m;
}

// Products of m and u over the non-null levels of a pattern.
struct PatternLikelihood {
  double m = 1.0;
  double u = 1.0;
};

PatternLikelihood Likelihood(const FsParameters& params, Pattern p, size_t comparisons) {
  PatternLikelihood out;
  for (size_t c = 0; c < comparisons; ++c) {
    int level = LevelOf(p, c);
    if (level == kNullLevel) continue;
    out.m *= params.m[c][level];
    out.u *= params.u[c][level];
  }
  return out;
}

// Rescales row `probs` so the free (non-fixed) levels sum to 1 minus the fixed ones.
void NormaliseWithFixed(std::vector<double>& probs, size_t c, const std::map<std::pair<size_t, int>, double>& fixed) {
  double fixed_total = 0.0;
  double free_total = 0.0;
  for (size_t l = 1; l < probs.size(); ++l) {
    auto it = fixed.find({c, static_cast<int>(l)});
    if (it != fixed.end()) {
      probs[l] = it->second;
      fixed_total += it->second;
    } else {
      free_total += probs[l];
    }
  }
  const double room = std::max(0.0, 1.0 - fixed_total);
  for (size_t l = 1; l < probs.size(); ++l) {
    if (fixed.contains({c, static_cast<int>(l)})) continue;
    probs[l] = free_total > 0 ? Clamp(probs[l] / free_total * room) : Clamp(room / double(probs.size() - 1));
  }
}

Status ValidateSpec(const ModelSpec& spec) {
  if (spec.comparisons.empty()) return Status::InvalidArgument("the model has no comparisons");
  if (spec.comparisons.size() > kMaxComparisons) {
    return Status::InvalidArgument(fmt::format("the model has {} comparisons; at most {} are supported",
                                               spec.comparisons.size(), kMaxComparisons));
  }
  for (const ComparisonSpec& c : spec.comparisons) {
    if (c.levels.size() < 3 || c.levels.size() > static_cast<size_t>(kMaxLevels)) {
      return Status::InvalidArgument(
          fmt::format("comparison '{}' has {} levels; expected 3 to {} (null, at least one agreement level, else)",
                      c.name, c.levels.size(), kMaxLevels));
    }
  }
  return Status::Ok();
}

double EstimatePrior(const FsParameters& params, const PatternCounts& patterns, size_t comparisons) {
  double likely = 0.0;
  double total = 0.0;
  for (const auto& [p, n] : patterns) {
    PatternLikelihood lk = Likelihood(params, p, comparisons);
    if (lk.m > lk.u) likely += static_cast<double>(n);
    total += static_cast<double>(n);
  }
  return Clamp(total > 0 ? std::max(likely / total, 1e-4) : 0.1);
}

// One EM iteration: returns the new parameters and the log-likelihood under the old ones.
// Adds `strength` pairs distributed as `prior` to the level counts `counts` (level 0 untouched).
void AddPseudoCounts(std::vector<double>& counts, const std::vector<double>& prior, double strength) {
  if (strength <= 0) return;
  for (size_t l = 1; l < counts.size(); ++l) counts[l] += strength * prior[l];
}

std::pair<FsParameters, double> EmStep(const ModelSpec& spec, const FsParameters& params,
                                       const std::vector<std::vector<double>>& u_prior, const PatternCounts& patterns,
                                       const EmOptions& options) {
  const size_t comparisons = spec.comparisons.size();
  std::vector<std::vector<double>> m_num(comparisons), u_num(comparisons);
  for (size_t c = 0; c < comparisons; ++c) {
    m_num[c].assign(NumLevels(spec, c), 0.0);
    u_num[c].assign(NumLevels(spec, c), 0.0);
  }
  double matches = 0.0;
  double total = 0.0;
  double log_likelihood = 0.0;
  for (const auto& [p, n] : patterns) {
    PatternLikelihood lk = Likelihood(params, p, comparisons);
    const double a = params.prior * lk.m;
    const double b = (1.0 - params.prior) * lk.u;
    const double g = a / (a + b);
    const double count = static_cast<double>(n);
    log_likelihood += count * std::log(a + b);
    matches += count * g;
    total += count;
    for (size_t c = 0; c < comparisons; ++c) {
      int level = LevelOf(p, c);
      if (level == kNullLevel) continue;
      m_num[c][level] += count * g;
      u_num[c][level] += count * (1.0 - g);
    }
  }
  FsParameters next = params;
  next.prior = Clamp(std::min(matches / total, options.max_prior));
  for (size_t c = 0; c < comparisons; ++c) {
    next.m[c] = m_num[c];
    NormaliseWithFixed(next.m[c], c, options.fixed_m);
    if (!options.fix_u) {
      next.u[c] = u_num[c];
      AddPseudoCounts(next.u[c], u_prior[c], options.u_prior_pairs);
      NormaliseWithFixed(next.u[c], c, options.fixed_u);
    }
  }
  return {next, log_likelihood};
}

double MaxChange(const FsParameters& a, const FsParameters& b) {
  double change = std::abs(a.prior - b.prior);
  for (size_t c = 0; c < a.m.size(); ++c) {
    for (size_t l = 1; l < a.m[c].size(); ++l) {
      change = std::max({change, std::abs(a.m[c][l] - b.m[c][l]), std::abs(a.u[c][l] - b.u[c][l])});
    }
  }
  return change;
}

}  // namespace

PatternCounts ToPatternCounts(const std::map<Pattern, uint64_t>& counts) {
  return PatternCounts(counts.begin(), counts.end());
}

PatternCounts CountPatterns(const std::vector<Pattern>& patterns) {
  std::unordered_map<Pattern, uint64_t> counts;
  for (Pattern p : patterns) ++counts[p];
  PatternCounts out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::vector<double>> EstimateU(const ModelSpec& spec, const PatternCounts& random_pairs) {
  const size_t comparisons = spec.comparisons.size();
  std::vector<std::vector<double>> u(comparisons);
  for (size_t c = 0; c < comparisons; ++c) {
    const size_t levels = NumLevels(spec, c);
    std::vector<double> counts(levels, 0.0);
    for (const auto& [p, n] : random_pairs) {
      int level = LevelOf(p, c);
      if (level != kNullLevel && static_cast<size_t>(level) < levels) counts[level] += static_cast<double>(n);
    }
    // Laplace smoothing: every level keeps a small, non-zero probability.
    double total = 0.0;
    for (size_t l = 1; l < levels; ++l) total += counts[l] + 1.0;
    u[c].assign(levels, 0.0);
    for (size_t l = 1; l < levels; ++l) u[c][l] = Clamp((counts[l] + 1.0) / total);
  }
  return u;
}

Result<Model> TrainModel(const ModelSpec& spec, const PatternCounts& blocked_pairs, std::vector<std::vector<double>> u,
                         const EmOptions& options) {
  MG_RETURN_IF_ERROR(ValidateSpec(spec));
  if (u.size() != spec.comparisons.size()) {
    return Error(Status::Internal("u probabilities do not match the model's comparisons"));
  }
  Model model;
  model.spec = spec;
  model.params.m = InitialM(spec);
  model.params.u = std::move(u);
  for (size_t c = 0; c < spec.comparisons.size(); ++c) {
    NormaliseWithFixed(model.params.m[c], c, options.fixed_m);
    NormaliseWithFixed(model.params.u[c], c, options.fixed_u);
  }
  for (const auto& [p, n] : blocked_pairs) model.pairs_trained += n;
  if (model.pairs_trained == 0) {
    model.params.prior = options.initial_prior > 0 ? options.initial_prior : 1e-4;
    model.em.note = "no pairs to train on: m keeps its starting values";
    return model;
  }
  model.params.prior = options.initial_prior > 0 ? Clamp(options.initial_prior)
                                                 : EstimatePrior(model.params, blocked_pairs, spec.comparisons.size());
  model.params.prior = std::min(model.params.prior, Clamp(options.max_prior));
  const std::vector<std::vector<double>> u_prior = model.params.u;
  for (int it = 1; it <= options.max_iterations; ++it) {
    auto [next, log_likelihood] = EmStep(spec, model.params, u_prior, blocked_pairs, options);
    model.em.log_likelihood.push_back(log_likelihood);
    model.em.max_change = MaxChange(next, model.params);
    model.em.iterations = it;
    model.params = std::move(next);
    if (model.em.max_change < options.tolerance) {
      model.em.converged = true;
      break;
    }
  }
  model.em.prior_capped = options.max_prior < 1.0 && model.params.prior >= Clamp(options.max_prior) * (1 - 1e-6);
  model.em.note = model.em.converged ? fmt::format("converged after {} iterations (largest parameter change {:.2e})",
                                                   model.em.iterations, model.em.max_change)
                                     : fmt::format(
                                           "did NOT converge in {} iterations (largest parameter change {:.2e}, "
                                           "tolerance {:.0e}); weights may be unreliable",
                                           model.em.iterations, model.em.max_change, options.tolerance);
  return model;
}

double PartialWeight(const Model& model, size_t comparison, int level) {
  if (level == kNullLevel) return 0.0;
  return std::log2(model.params.m[comparison][level] / model.params.u[comparison][level]);
}

int FamilyJointState(const ModelSpec& spec, const FamilyJoint& family, Pattern pattern) {
  int present = 0, different = 0;
  for (size_t c : family.comparisons) {
    const int level = LevelOf(pattern, c);
    if (level == kNullLevel) continue;
    ++present;
    different += level == static_cast<int>(spec.comparisons[c].levels.size()) - 1 ? 1 : 0;
  }
  if (present < 2) return 0;
  return different == 0 ? 1 : (different == present ? -1 : 0);
}

double FamilyAdjustment(const Model& model, Pattern pattern, const double* comparison_weights) {
  double adjustment = 0.0;
  for (const FamilyJoint& family : model.families) {
    size_t present = 0;
    double summed = 0.0;
    for (size_t c : family.comparisons) {
      summed += comparison_weights[c];
      present += LevelOf(pattern, c) != kNullLevel ? 1 : 0;
    }
    if (present < 2) continue;
    const int state = FamilyJointState(model.spec, family, pattern);
    // Partial agreement is never more evidence than agreeing on everything, nor less than on nothing: five
    // of six address fields shared by two relatives would otherwise sum to four times the joint weight.
    const double low = std::min(family.all_agree_weight, family.all_else_weight);
    const double high = std::max(family.all_agree_weight, family.all_else_weight);
    const double joint = state > 0   ? family.all_agree_weight
                         : state < 0 ? family.all_else_weight
                                     : std::clamp(summed, low, high);
    adjustment += joint - summed;
  }
  return adjustment;
}

double MatchWeight(const Model& model, Pattern pattern) {
  double weights[kMaxComparisons] = {};
  double weight = 0.0;
  for (size_t c = 0; c < model.spec.comparisons.size(); ++c) {
    weights[c] = PartialWeight(model, c, LevelOf(pattern, c));
    weight += weights[c];
  }
  return weight + FamilyAdjustment(model, pattern, weights);
}

double TermFrequencyAdjustment(const Model& model, size_t comparison, double value_frequency) {
  const int level = model.spec.comparisons[comparison].tf_level;
  if (level <= 0 || value_frequency <= 0.0) return 0.0;
  return std::log2(model.params.u[comparison][level] / std::max(value_frequency, kMinProbability));
}

double PriorWeight(const Model& model) { return std::log2(model.params.prior / (1.0 - model.params.prior)); }

double MatchProbability(const Model& model, double match_weight) {
  const double total = PriorWeight(model) + match_weight;
  return 1.0 / (1.0 + std::exp2(-total));
}

double WeightForProbability(const Model& model, double probability) {
  const double p = Clamp(probability);
  return std::log2(p / (1.0 - p)) - PriorWeight(model);
}

nlohmann::ordered_json TrainingReportToJson(const TrainingReport& t) {
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const TrainingSource& s : t.sources) {
    sources.push_back({{"name", s.name},
                       {"pairs", s.pairs},
                       {"matches", s.matches},
                       {"weight", s.weight},
                       {"used", s.rejected.empty()},
                       {"rejected", s.rejected}});
  }
  return {{"sources", sources},
          {"max_matches", t.max_matches},
          {"em_matches", t.em_matches},
          {"anchor_matches", t.anchor_matches},
          {"warnings", t.warnings}};
}

namespace {

TrainingReport TrainingReportFromJson(const nlohmann::json& j) {
  TrainingReport t;
  if (!j.is_object()) return t;
  t.max_matches = j.value("max_matches", 0.0);
  t.em_matches = j.value("em_matches", 0.0);
  t.anchor_matches = j.value("anchor_matches", -1.0);
  if (j.contains("warnings") && j["warnings"].is_array()) {
    for (const auto& w : j["warnings"]) {
      if (w.is_string()) t.warnings.push_back(w.get<std::string>());
    }
  }
  if (j.contains("sources") && j["sources"].is_array()) {
    for (const auto& s : j["sources"]) {
      if (!s.is_object()) continue;
      t.sources.push_back({s.value("name", ""), s.value("pairs", uint64_t{0}), s.value("matches", 0.0),
                           s.value("weight", 0.0), s.value("rejected", "")});
    }
  }
  return t;
}

}  // namespace

std::string ModelToJson(const Model& model) {
  nlohmann::ordered_json j;
  j["format"] = "matchguard-model";
  j["version"] = 1;
  j["prior"] = model.params.prior;
  j["pairs_trained"] = model.pairs_trained;
  j["random_pairs_sampled"] = model.random_pairs_sampled;
  nlohmann::ordered_json comparisons = nlohmann::ordered_json::array();
  for (size_t c = 0; c < model.spec.comparisons.size(); ++c) {
    const ComparisonSpec& spec = model.spec.comparisons[c];
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (size_t l = 0; l < spec.levels.size(); ++l) {
      nlohmann::ordered_json level;
      level["name"] = spec.levels[l];
      if (l != kNullLevel) {
        level["m"] = model.params.m[c][l];
        level["u"] = model.params.u[c][l];
      }
      levels.push_back(level);
    }
    comparisons.push_back({{"name", spec.name}, {"tf_level", spec.tf_level}, {"levels", levels}});
  }
  j["comparisons"] = comparisons;
  j["em"] = {{"converged", model.em.converged},
             {"iterations", model.em.iterations},
             {"max_change", model.em.max_change},
             {"log_likelihood", model.em.log_likelihood},
             {"note", model.em.note}};
  nlohmann::ordered_json families = nlohmann::ordered_json::array();
  for (const FamilyJoint& f : model.families) {
    families.push_back({{"name", f.name},
                        {"comparisons", f.comparisons},
                        {"all_agree_weight", f.all_agree_weight},
                        {"all_else_weight", f.all_else_weight}});
  }
  j["families"] = families;
  j["training"] = TrainingReportToJson(model.training);
  return j.dump(2) + "\n";
}

namespace {

// Reads a probability at j[key], naming `where` in errors.
Result<double> ReadProbability(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || !j[key].is_number()) {
    return Error(Status::InvalidArgument(where + ": missing or non-numeric '" + key + "'"));
  }
  double v = j[key].get<double>();
  if (!(v > 0.0 && v < 1.0)) {
    return Error(
        Status::InvalidArgument(fmt::format("{}: '{}' is {}; expected a probability in (0, 1)", where, key, v)));
  }
  return v;
}

Result<ComparisonSpec> ReadComparison(const nlohmann::json& jc, size_t index, const std::string& source,
                                      FsParameters* params) {
  const std::string where = fmt::format("{}: comparisons[{}]", source, index);
  if (!jc.is_object() || !jc.contains("name") || !jc["name"].is_string() || !jc.contains("levels") ||
      !jc["levels"].is_array()) {
    return Error(Status::InvalidArgument(where + ": expected an object with 'name' and 'levels'"));
  }
  ComparisonSpec spec;
  spec.name = jc["name"].get<std::string>();
  spec.tf_level = jc.value("tf_level", -1);
  std::vector<double> m, u;
  for (size_t l = 0; l < jc["levels"].size(); ++l) {
    const auto& jl = jc["levels"][l];
    const std::string level_where = fmt::format("{} ('{}').levels[{}]", where, spec.name, l);
    if (!jl.is_object() || !jl.contains("name") || !jl["name"].is_string()) {
      return Error(Status::InvalidArgument(level_where + ": expected an object with a 'name'"));
    }
    spec.levels.push_back(jl["name"].get<std::string>());
    if (l == kNullLevel) {
      m.push_back(0.0);
      u.push_back(0.0);
      continue;
    }
    MG_ASSIGN_OR_RETURN(double mv, ReadProbability(jl, "m", level_where));
    MG_ASSIGN_OR_RETURN(double uv, ReadProbability(jl, "u", level_where));
    m.push_back(mv);
    u.push_back(uv);
  }
  if (spec.tf_level >= static_cast<int>(spec.levels.size())) {
    return Error(Status::InvalidArgument(where + ": 'tf_level' names a level that does not exist"));
  }
  params->m.push_back(std::move(m));
  params->u.push_back(std::move(u));
  return spec;
}

Result<std::vector<FamilyJoint>> ReadFamilies(const nlohmann::json& j, const ModelSpec& spec,
                                              const std::string& source) {
  std::vector<FamilyJoint> out;
  if (!j.contains("families")) return out;
  const auto& families = j["families"];
  if (!families.is_array()) return Error(Status::InvalidArgument(source + ": 'families' must be an array"));
  for (size_t i = 0; i < families.size(); ++i) {
    const auto& jf = families[i];
    const std::string where = fmt::format("{}: families[{}]", source, i);
    if (!jf.is_object() || !jf.contains("comparisons") || !jf["comparisons"].is_array() ||
        !jf.contains("all_agree_weight") || !jf["all_agree_weight"].is_number() || !jf.contains("all_else_weight") ||
        !jf["all_else_weight"].is_number()) {
      return Error(Status::InvalidArgument(
          where + ": expected an object with 'comparisons', 'all_agree_weight' and 'all_else_weight'"));
    }
    FamilyJoint f;
    f.name = jf.value("name", "");
    f.all_agree_weight = jf["all_agree_weight"].get<double>();
    f.all_else_weight = jf["all_else_weight"].get<double>();
    for (const auto& c : jf["comparisons"]) {
      if (!c.is_number_unsigned() || c.get<size_t>() >= spec.comparisons.size()) {
        return Error(Status::InvalidArgument(where + ": 'comparisons' names a comparison that does not exist"));
      }
      f.comparisons.push_back(c.get<size_t>());
    }
    if (f.comparisons.size() < 2 || std::abs(f.all_agree_weight) > 200 || std::abs(f.all_else_weight) > 200) {
      return Error(Status::InvalidArgument(where + ": needs two comparisons or more and weights within +-200 bits"));
    }
    out.push_back(std::move(f));
  }
  return out;
}

Result<Model> ModelFromParsedJson(const nlohmann::json& j, const std::string& source_name);

}  // namespace

Result<Model> ModelFromJson(std::string_view json, const std::string& source_name) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    size_t line = 1 + static_cast<size_t>(std::count(json.begin(), json.begin() + std::min(e.byte, json.size()), '\n'));
    return Error(Status::InvalidArgument(fmt::format("{}: line {}: not valid JSON", source_name, line)));
  } catch (const nlohmann::json::exception&) {
    return Error(Status::InvalidArgument(source_name + ": not valid JSON (a number out of range)"));
  }
  // Every read below checks its types, but a value of an unexpected type in an optional key must still be a
  // clean error rather than an exception.
  try {
    return ModelFromParsedJson(j, source_name);
  } catch (const nlohmann::json::exception&) {
    return Error(Status::InvalidArgument(source_name + ": a key holds a value of the wrong type"));
  }
}

namespace {

Result<Model> ModelFromParsedJson(const nlohmann::json& j, const std::string& source_name) {
  if (!j.is_object() || j.value("format", "") != "matchguard-model") {
    return Error(
        Status::InvalidArgument(source_name + ": not a matchguard model (expected \"format\": \"matchguard-model\")"));
  }
  if (j.value("version", 0) != 1) {
    return Error(Status::InvalidArgument(source_name + ": unsupported model version; expected 1"));
  }
  Model model;
  MG_ASSIGN_OR_RETURN(model.params.prior, ReadProbability(j, "prior", source_name));
  if (!j.contains("comparisons") || !j["comparisons"].is_array()) {
    return Error(Status::InvalidArgument(source_name + ": missing 'comparisons' array"));
  }
  for (size_t c = 0; c < j["comparisons"].size(); ++c) {
    MG_ASSIGN_OR_RETURN(ComparisonSpec spec, ReadComparison(j["comparisons"][c], c, source_name, &model.params));
    model.spec.comparisons.push_back(std::move(spec));
  }
  if (Status s = ValidateSpec(model.spec); !s.ok()) return Error(s.WithContext(source_name));
  model.pairs_trained = j.value("pairs_trained", uint64_t{0});
  model.random_pairs_sampled = j.value("random_pairs_sampled", uint64_t{0});
  if (j.contains("em") && j["em"].is_object()) {
    const auto& em = j["em"];
    model.em.converged = em.value("converged", false);
    model.em.iterations = em.value("iterations", 0);
    model.em.max_change = em.value("max_change", 0.0);
    model.em.note = em.value("note", "");
    if (em.contains("log_likelihood") && em["log_likelihood"].is_array()) {
      for (const auto& v : em["log_likelihood"]) {
        if (v.is_number()) model.em.log_likelihood.push_back(v.get<double>());
      }
    }
  }
  if (j.contains("training")) model.training = TrainingReportFromJson(j["training"]);
  MG_ASSIGN_OR_RETURN(model.families, ReadFamilies(j, model.spec, source_name));
  return model;
}

}  // namespace

Status SaveModel(FileSystem& fs, const std::string& path, const Model& model) {
  return fs.WriteFileAtomically(path, ModelToJson(model));
}

Result<Model> LoadModel(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return ModelFromJson(text, path);
}

Status CheckModelMatchesSpec(const Model& model, const ModelSpec& spec) {
  auto names = [](const ModelSpec& s) {
    std::string out;
    for (const auto& c : s.comparisons) out += (out.empty() ? "" : ", ") + c.name;
    return out;
  };
  if (model.spec.comparisons.size() != spec.comparisons.size()) {
    return Status::InvalidArgument(fmt::format(
        "the model was trained on other fields: it compares [{}] but this data gives [{}]; retrain or use --config "
        "to select the same fields",
        names(model.spec), names(spec)));
  }
  for (size_t c = 0; c < spec.comparisons.size(); ++c) {
    const ComparisonSpec& a = model.spec.comparisons[c];
    const ComparisonSpec& b = spec.comparisons[c];
    if (a.name != b.name) {
      return Status::InvalidArgument(
          fmt::format("the model was trained on other fields: comparison {} is '{}' in the model but '{}' here", c + 1,
                      a.name, b.name));
    }
    if (a.levels != b.levels) {
      return Status::InvalidArgument(
          fmt::format("the model's levels for '{}' differ from this configuration's; retrain the model", a.name));
    }
  }
  return Status::Ok();
}

std::string ExplainTraining(const TrainingReport& t) {
  std::string out;
  if (!t.sources.empty()) {
    out +=
        "training sources (m: level shares among the evidence anchors' pairs, with the EM populations' "
        "match-weighted\naverage as their prior; weight: each source's share of the m estimates):\n";
    for (const TrainingSource& s : t.sources) {
      out += fmt::format("  {:<56} {:>10} pairs {:>10.0f} matches  {}\n", s.name, s.pairs, s.matches,
                         s.rejected.empty() ? fmt::format("used, weight {:.2f}", s.weight) : "REJECTED: " + s.rejected);
    }
  }
  if (t.max_matches > 0) {
    out += fmt::format("matches among all pairs: EM {:.0f}", t.em_matches);
    if (t.anchor_matches >= 0) out += fmt::format(", evidence anchor {:.0f}", t.anchor_matches);
    out += fmt::format(", at most {:.0f} (what the files can hold)\n", t.max_matches);
  }
  for (const std::string& w : t.warnings) out += "WARNING: " + w + "\n";
  return out;
}

std::string ExplainModel(const Model& model) {
  std::ostringstream out;
  out << fmt::format("Fellegi-Sunter model: {} comparisons, trained on {} blocked pairs, u from {} random pairs\n",
                     model.spec.comparisons.size(), model.pairs_trained, model.random_pairs_sampled);
  out << fmt::format("prior (share of compared pairs that match): {:.6f}  (prior weight {:+.2f})\n", model.params.prior,
                     PriorWeight(model));
  out << "EM: " << (model.em.note.empty() ? "not run" : model.em.note) << "\n";
  out << ExplainTraining(model.training) << "\n";
  out << fmt::format("{:<16} {:<22} {:>10} {:>10} {:>9}\n", "comparison", "level", "m", "u", "weight");
  for (size_t c = 0; c < model.spec.comparisons.size(); ++c) {
    const ComparisonSpec& spec = model.spec.comparisons[c];
    for (size_t l = 1; l < spec.levels.size(); ++l) {
      std::string level = spec.levels[l];
      if (static_cast<int>(l) == spec.tf_level) level += " (tf)";
      out << fmt::format("{:<16} {:<22} {:>10.6f} {:>10.6f} {:>+9.2f}\n", l == 1 ? spec.name : "", level,
                         model.params.m[c][l], model.params.u[c][l], PartialWeight(model, c, static_cast<int>(l)));
    }
  }
  for (const FamilyJoint& f : model.families) {
    std::string names;
    for (size_t c : f.comparisons) names += (names.empty() ? "" : ", ") + model.spec.comparisons[c].name;
    out << fmt::format("\nfamily {} ({}): all agree {:+.2f}, all else {:+.2f} (replaces the summed weights)", f.name,
                       names, f.all_agree_weight, f.all_else_weight);
  }
  out << "\nnull levels (a value missing on either side) add no weight. (tf): exact agreement is adjusted by the\n"
         "value's frequency, so rare values weigh more than common ones.\n";
  return out.str();
}

}  // namespace matchguard
