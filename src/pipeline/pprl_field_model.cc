#include "src/pipeline/pprl_field_model.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <unordered_map>

#include "src/block/blocking.h"

namespace matchguard {
namespace {

constexpr double kIdentical = 1.0 - 1e-12;  // Dice of two equal non-empty filters is exactly 1

std::string Fields(const std::vector<std::string>& fields) {
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

// The features of one comparison: "street+city+zip" -> {street, city, zip}.
std::vector<std::string> Members(const std::string& comparison) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t plus = comparison.find('+', start);
    out.push_back(comparison.substr(start, plus == std::string::npos ? std::string::npos : plus - start));
    if (plus == std::string::npos) return out;
    start = plus + 1;
  }
}

const uint64_t* Words(const ClkSet& set, size_t row) { return reinterpret_cast<const uint64_t*>(set.row(row)); }

// Bits set in each row of `set`.
std::vector<uint32_t> RowPopcounts(const ClkSet& set) {
  std::vector<uint32_t> counts(set.count);
  const size_t words = set.stride_bytes / 8;
  for (size_t i = 0; i < set.count; ++i) {
    uint32_t n = 0;
    for (size_t w = 0; w < words; ++w) n += static_cast<uint32_t>(std::popcount(Words(set, i)[w]));
    counts[i] = n;
  }
  return counts;
}

template <typename F>
void InArena(int threads, F&& body) {
  tbb::task_arena arena(threads > 0 ? threads : tbb::this_task_arena::max_concurrency());
  arena.execute(body);
}

// A 64-bit hash of each row's filters of one comparison (all its features); 0 when every one is empty (no key).
std::vector<uint64_t> FilterHashes(const std::vector<ClkSet>& sets) {
  std::vector<uint64_t> hashes(sets.front().count, 0);
  for (size_t i = 0; i < hashes.size(); ++i) {
    std::string bytes;
    for (const ClkSet& set : sets) bytes.append(reinterpret_cast<const char*>(set.row(i)), set.row_bytes());
    if (bytes.find_first_not_of('\0') == std::string::npos) continue;
    hashes[i] = std::hash<std::string>{}(bytes) | 1;
  }
  return hashes;
}

std::string LevelName(const std::vector<double>& bins, size_t i) { return fmt::format("dice >= {}", bins[i]); }

}  // namespace

Status ValidateFieldModelOptions(const FieldModelOptions& options) {
  if (options.fields.empty()) return Status::InvalidArgument("the field model needs at least one feature (--fields)");
  if (options.fields.size() > kMaxComparisons) {
    return Status::InvalidArgument(fmt::format("the field model takes at most {} features; {} given ({})",
                                               kMaxComparisons, options.fields.size(), Fields(options.fields)));
  }
  std::set<std::string> seen;
  for (const std::string& comparison : options.fields) {
    for (const std::string& f : Members(comparison)) {
      if (f.empty() || f.find('/') != std::string::npos) {
        return Status::InvalidArgument(fmt::format("--fields: '{}' is not a feature identifier", f));
      }
      if (!seen.insert(f).second) return Status::InvalidArgument(fmt::format("--fields: '{}' is listed twice", f));
    }
  }
  const size_t max_bins = static_cast<size_t>(kMaxLevels) - 3;  // null, identical and else take three
  if (options.bins.size() > max_bins) {
    return Status::InvalidArgument(fmt::format("at most {} Dice bins; {} given", max_bins, options.bins.size()));
  }
  for (size_t i = 0; i < options.bins.size(); ++i) {
    const double b = options.bins[i];
    if (!(b > 0.0 && b < 1.0) || (i > 0 && !(b < options.bins[i - 1]))) {
      return Status::InvalidArgument(
          fmt::format("Dice bin {} is {}; bins must be strictly decreasing values in (0, 1)", i + 1, b));
    }
  }
  if (!(options.min_probability > 0.0 && options.min_probability < 1.0)) {
    return Status::InvalidArgument(fmt::format("--min-probability {} is outside (0, 1)", options.min_probability));
  }
  return Status::Ok();
}

Result<FieldFilters> ReadFieldFilters(FileSystem& fs, const std::string& input, size_t rows,
                                      const std::vector<std::string>& fields) {
  FieldFilters out;
  for (const std::string& comparison : fields) {
    out.paths.emplace_back();
    out.sets.emplace_back();
    for (const std::string& field : Members(comparison)) {
      const std::string path = input + "." + field;
      if (!fs.Exists(path)) {
        return Error(Status::InvalidArgument(
            fmt::format("{}: no field-level filters for feature '{}' beside {} (write them with encode --field-level)",
                        path, field, input)));
      }
      MG_ASSIGN_OR_RETURN(ClkSet set, ReadClkFile(fs, path));
      if (set.count != rows) {
        return Error(Status::InvalidArgument(
            fmt::format("{}: {} field-level filters for feature '{}' but {} has {} encodings; both must hold the "
                        "same records in the same order",
                        path, set.count, field, input, rows)));
      }
      out.paths.back().push_back(path);
      out.sets.back().push_back(std::move(set));
    }
  }
  return out;
}

Status CheckFieldBitLengths(const FieldFilters& left, const FieldFilters& right,
                            const std::vector<std::string>& fields) {
  for (size_t c = 0; c < fields.size(); ++c) {
    const std::vector<std::string> members = Members(fields[c]);
    for (size_t f = 0; f < members.size(); ++f) {
      const ClkSet &l = left.sets[c][f], &r = right.sets[c][f];
      if (l.bits != r.bits) {
        return Status::InvalidArgument(fmt::format(
            "{}: feature '{}' has {}-bit filters but {} has {}-bit ones; each feature's filters must have one length",
            right.paths[c][f], members[f], r.bits, left.paths[c][f], l.bits));
      }
    }
  }
  return Status::Ok();
}

ModelSpec FieldModelSpec(const std::vector<std::string>& fields, const std::vector<double>& bins) {
  ModelSpec spec;
  for (const std::string& field : fields) {
    ComparisonSpec c{field, {"null", "identical"}, -1};
    for (size_t i = 0; i < bins.size(); ++i) c.levels.push_back(LevelName(bins, i));
    c.levels.push_back("else");
    spec.comparisons.push_back(std::move(c));
  }
  return spec;
}

int FieldLevel(double dice, const std::vector<double>& bins) {
  if (dice < 0) return kNullLevel;
  if (dice >= kIdentical) return 1;
  for (size_t i = 0; i < bins.size(); ++i) {
    if (dice >= bins[i]) return static_cast<int>(i) + 2;
  }
  return static_cast<int>(bins.size()) + 2;
}

std::vector<Pattern> FieldPatterns(const FieldFilters& left, const FieldFilters& right,
                                   const std::vector<uint32_t>& left_rows, const std::vector<uint32_t>& right_rows,
                                   const std::vector<double>& bins, int threads) {
  // Per comparison and feature: the filters' words and popcounts. A comparison's Dice is over the
  // concatenation of its features' filters: 2 (sum of common bits) / (sum of bits set).
  struct Feature {
    const ClkSet* left;
    const ClkSet* right;
    std::vector<uint32_t> left_bits, right_bits;
  };
  std::vector<std::vector<Feature>> comparisons(left.sets.size());
  for (size_t c = 0; c < comparisons.size(); ++c) {
    for (size_t f = 0; f < left.sets[c].size(); ++f) {
      comparisons[c].push_back(
          {&left.sets[c][f], &right.sets[c][f], RowPopcounts(left.sets[c][f]), RowPopcounts(right.sets[c][f])});
    }
  }
  std::vector<Pattern> patterns(left_rows.size(), 0);
  InArena(threads, [&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, left_rows.size(), 4096), [&](const tbb::blocked_range<size_t>& r) {
      for (size_t i = r.begin(); i < r.end(); ++i) {
        const uint32_t a = left_rows[i], b = right_rows[i];
        Pattern p = 0;
        for (size_t c = 0; c < comparisons.size(); ++c) {
          uint32_t common = 0, bits_a = 0, bits_b = 0;
          for (const Feature& f : comparisons[c]) {
            bits_a += f.left_bits[a];
            bits_b += f.right_bits[b];
            const uint64_t *x = Words(*f.left, a), *y = Words(*f.right, b);
            for (size_t w = 0; w < f.left->stride_bytes / 8; ++w) {
              common += static_cast<uint32_t>(std::popcount(x[w] & y[w]));
            }
          }
          // Empty on either side: the values were missing, no evidence (null).
          const double dice = bits_a == 0 || bits_b == 0 ? -1.0 : similarity::DiceFromCounts(common, bits_a + bits_b);
          p = WithLevel(p, c, FieldLevel(dice, bins));
        }
        patterns[i] = p;
      }
    });
  });
  return patterns;
}

std::vector<RulePairs> TrainingRulePairs(const FieldFilters& left, const FieldFilters& right,
                                         const std::vector<std::string>& fields, const std::vector<double>& bins,
                                         const FieldModelOptions& options, std::vector<std::string>* notes) {
  std::vector<RulePairs> rules;
  for (size_t f = 0; f < fields.size(); ++f) {
    const std::vector<uint64_t> left_keys = FilterHashes(left.sets[f]), right_keys = FilterHashes(right.sets[f]);
    std::unordered_map<uint64_t, std::vector<uint32_t>> right_rows;
    for (size_t j = 0; j < right_keys.size(); ++j) {
      if (right_keys[j] != 0) right_rows[right_keys[j]].push_back(static_cast<uint32_t>(j));
    }
    uint64_t pairs = 0;
    for (uint64_t key : left_keys) {
      auto it = key == 0 ? right_rows.end() : right_rows.find(key);
      if (it != right_rows.end()) pairs += it->second.size();
    }
    if (pairs > options.max_rule_pairs) {
      notes->push_back(fmt::format("identical {} trains nothing ({} pairs, over the budget of {})", fields[f], pairs,
                                   options.max_rule_pairs));
      continue;
    }
    std::vector<uint32_t> pair_left, pair_right;
    pair_left.reserve(pairs);
    pair_right.reserve(pairs);
    for (size_t i = 0; i < left_keys.size(); ++i) {
      auto it = left_keys[i] == 0 ? right_rows.end() : right_rows.find(left_keys[i]);
      if (it == right_rows.end()) continue;
      for (uint32_t j : it->second) {
        pair_left.push_back(static_cast<uint32_t>(i));
        pair_right.push_back(j);
      }
    }
    RulePairs rule;
    rule.rule = "identical " + fields[f];
    rule.masked = {f};
    rule.patterns = CountPatterns(FieldPatterns(left, right, pair_left, pair_right, bins, options.threads));
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<Model> FitFieldModel(const ModelSpec& spec, const PatternCounts& candidates, const PatternCounts& random,
                            const std::vector<RulePairs>& rules, double all_pairs, const FieldModelOptions& options) {
  TrainingOptions training;
  training.max_iterations = options.max_iterations;
  training.tolerance = options.tolerance;
  // A comparison of one feature named like a person field ("ssn", "dob", "first_name") can anchor m as in
  // the plaintext engine; "identical" is level 1, the anchors' exact level.
  std::vector<std::optional<FieldKind>> kinds;
  for (const std::string& field : options.fields) {
    kinds.push_back(field.find('+') == std::string::npos ? DetectFieldKind(field) : std::nullopt);
  }
  ChooseAnchors(kinds, &training);
  MG_ASSIGN_OR_RETURN(Model model, TrainOnBlockedPairs(spec, candidates, random, rules, all_pairs, training));
  for (const auto& [p, n] : random) model.random_pairs_sampled += n;
  return model;
}

Result<FieldModelResult> ScoreWithFieldModel(FileSystem& fs, const std::string& left_input,
                                             const std::string& right_input, const ClkSet& left, const ClkSet& right,
                                             const similarity::CandidatePairs& candidates,
                                             const FieldModelOptions& options) {
  MG_RETURN_IF_ERROR(ValidateFieldModelOptions(options));
  const std::vector<double>& bins = options.bins.empty() ? kDefaultFieldDiceBins : options.bins;
  MG_ASSIGN_OR_RETURN(FieldFilters left_filters, ReadFieldFilters(fs, left_input, left.count, options.fields));
  MG_ASSIGN_OR_RETURN(FieldFilters right_filters, ReadFieldFilters(fs, right_input, right.count, options.fields));
  MG_RETURN_IF_ERROR(CheckFieldBitLengths(left_filters, right_filters, options.fields));

  const ModelSpec spec = FieldModelSpec(options.fields, bins);
  const std::vector<Pattern> patterns =
      FieldPatterns(left_filters, right_filters, candidates.left, candidates.right, bins, options.threads);
  CandidatePairs sample = SampleRandomPairs(left.count, right.count, options.random_pairs, options.seed);
  const PatternCounts random =
      CountPatterns(FieldPatterns(left_filters, right_filters, sample.left, sample.right, bins, options.threads));
  const double all_pairs = static_cast<double>(left.count) * static_cast<double>(right.count);
  std::vector<std::string> notes;
  const std::vector<RulePairs> rules =
      TrainingRulePairs(left_filters, right_filters, options.fields, bins, options, &notes);
  MG_ASSIGN_OR_RETURN(Model model, FitFieldModel(spec, CountPatterns(patterns), random, rules, all_pairs, options));
  for (const std::string& note : notes) model.em.note += "; " + note;

  FieldModelResult result;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const double probability = MatchProbability(model, MatchWeight(model, patterns[i]));
    if (probability < options.min_probability) continue;
    result.pairs.left.push_back(candidates.left[i]);
    result.pairs.right.push_back(candidates.right[i]);
    result.pairs.similarity.push_back(probability);
  }
  result.em_iterations = model.em.iterations;
  result.em_converged = model.em.converged;
  result.prior = model.params.prior;
  result.model_json = ModelToJson(model);
  return result;
}

}  // namespace matchguard
