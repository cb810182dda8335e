// Pair counting (PlanBlocking, ChooseBlockingRules) and pair generation (GenerateCandidates).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <random>
#include <unordered_set>

#include "src/block/block_index.h"
#include "src/block/blocking.h"

namespace matchguard {
namespace {

using block_internal::BuildRuleIndex;
using block_internal::kNoBlock;
using block_internal::RuleIndex;

constexpr size_t kMaxRows = 0xFFFFFFFEu;
// Left rows per parallel task when generating pairs; the output order does not depend on it.
constexpr size_t kRowsPerTask = 8192;

RuleCount CountRule(const RuleIndex& index, const BlockingRule& rule, uint64_t too_loose_pairs) {
  RuleCount count;
  count.rule = rule.name.empty() ? BlockingRuleToString(rule) : rule.name;
  for (size_t b = 0; b < index.num_blocks(); ++b) {
    const uint64_t pairs = index.BlockPairs(b);
    count.pairs += pairs;
    count.largest_block = std::max(count.largest_block, pairs);
  }
  count.too_loose = count.pairs > too_loose_pairs;
  return count;
}

std::string RuleLabel(const BlockingRule& rule) { return rule.name.empty() ? BlockingRuleToString(rule) : rule.name; }

// Visits the pairs that rule `k` contributes for left row `l` and that no earlier rule produces.
template <typename Fn>
void ForNewPairs(const std::vector<RuleIndex>& indexes, size_t k, uint32_t l, Fn&& fn) {
  const RuleIndex& index = indexes[k];
  const uint32_t block = index.left_block[l];
  if (block == kNoBlock) return;
  const uint32_t* begin = index.right_rows.data() + index.right_starts[block];
  const uint32_t* end = index.right_rows.data() + index.right_starts[block + 1];
  if (index.dedupe) begin = std::upper_bound(begin, end, l);  // rows in a block ascend
  for (const uint32_t* it = begin; it != end; ++it) {
    const uint32_t r = *it;
    bool earlier = false;
    for (size_t j = 0; j < k && !earlier; ++j) {
      const uint32_t bj = indexes[j].left_block[l];
      earlier = bj != kNoBlock && bj == indexes[j].BlockOfRight(r);
    }
    if (!earlier) fn(r);
  }
}

Status CheckInputs(const FieldColumns& left, const FieldColumns* right, const std::vector<BlockingRule>& rules) {
  for (const FieldColumns* table : {&left, right}) {
    if (table == nullptr) continue;
    if (table->rows > kMaxRows) {
      return Status::InvalidArgument(table->source_name + ": " + std::to_string(table->rows) +
                                     " rows; blocking handles at most " + std::to_string(kMaxRows));
    }
    for (const BlockingRule& rule : rules) {
      if (auto missing = block_internal::MissingField(*table, rule)) {
        return Status::InvalidArgument("blocking rule '" + RuleLabel(rule) + "' reads field '" +
                                       std::string(FieldKindName(*missing)) + "', which " +
                                       (table->source_name.empty() ? "a table" : table->source_name) +
                                       " does not have");
      }
    }
  }
  return Status::Ok();
}

std::string TooManyPairs(const BlockingRule& rule, uint64_t pairs, uint64_t max_pairs, bool alone) {
  return std::string("blocking would compare too many pairs: ") +
         (alone ? "rule '" + RuleLabel(rule) + "' alone gives " : "the rules up to and including '" +
                                                                      RuleLabel(rule) + "' give ") +
         std::to_string(pairs) + " pairs, more than the limit of " + std::to_string(max_pairs) +
         "; use a tighter rule (add a part such as year(dob)) or raise the limit";
}

}  // namespace

FieldColumns ColumnsOf(const PersonTable& table) {
  FieldColumns columns;
  columns.rows = table.size();
  columns.source_name = table.source_name();
  for (size_t k = 0; k < kFieldKindCount; ++k) {
    const auto kind = static_cast<FieldKind>(k);
    if (table.has(kind)) columns.columns[k] = &table.field(kind);
  }
  return columns;
}

BlockingPlan PlanBlocking(const FieldColumns& left, const FieldColumns* right, const std::vector<BlockingRule>& rules,
                          uint64_t too_loose_pairs) {
  BlockingPlan plan;
  for (const BlockingRule& rule : rules) {
    const bool usable = !block_internal::MissingField(left, rule) &&
                        (right == nullptr || !block_internal::MissingField(*right, rule));
    RuleCount count;
    if (usable) {
      count = CountRule(BuildRuleIndex(left, right, rule), rule, too_loose_pairs);
    } else {
      count.rule = RuleLabel(rule);
    }
    plan.total_pairs_upper_bound += count.pairs;
    plan.rules.push_back(std::move(count));
  }
  if (!plan.rules.empty()) plan.rules[0].new_pairs = plan.rules[0].pairs;
  return plan;
}

BlockingPlan PlanBlocking(const PersonTable& left, const PersonTable* right, const std::vector<BlockingRule>& rules,
                          uint64_t too_loose_pairs) {
  const FieldColumns l = ColumnsOf(left);
  if (right == nullptr) return PlanBlocking(l, nullptr, rules, too_loose_pairs);
  const FieldColumns r = ColumnsOf(*right);
  return PlanBlocking(l, &r, rules, too_loose_pairs);
}

Result<CandidatePairs> GenerateCandidates(const FieldColumns& left, const FieldColumns* right,
                                          const std::vector<BlockingRule>& rules, uint64_t max_pairs,
                                          BlockingPlan* counts) {
  MG_RETURN_IF_ERROR(CheckInputs(left, right, rules));
  std::vector<RuleIndex> indexes;
  BlockingPlan plan;
  for (const BlockingRule& rule : rules) {
    indexes.push_back(BuildRuleIndex(left, right, rule));
    plan.rules.push_back(CountRule(indexes.back(), rule, UINT64_MAX));
    plan.total_pairs_upper_bound += plan.rules.back().pairs;
    if (plan.rules.back().pairs > max_pairs) {
      return Error(Status::InvalidArgument(TooManyPairs(rule, plan.rules.back().pairs, max_pairs, true)));
    }
  }
  // Pass 1: count each task's new pairs per rule, so pass 2 writes straight into the final arrays.
  const size_t n_left = left.rows;
  const size_t tasks = (n_left + kRowsPerTask - 1) / kRowsPerTask;
  std::vector<std::vector<uint64_t>> task_counts(tasks, std::vector<uint64_t>(rules.size(), 0));
  tbb::parallel_for(size_t{0}, tasks, [&](size_t t) {
    const auto end = static_cast<uint32_t>(std::min(n_left, (t + 1) * kRowsPerTask));
    for (auto l = static_cast<uint32_t>(t * kRowsPerTask); l < end; ++l) {
      for (size_t k = 0; k < rules.size(); ++k) ForNewPairs(indexes, k, l, [&](uint32_t) { ++task_counts[t][k]; });
    }
  });
  uint64_t total = 0;
  for (size_t k = 0; k < rules.size(); ++k) {
    for (size_t t = 0; t < tasks; ++t) plan.rules[k].new_pairs += task_counts[t][k];
    total += plan.rules[k].new_pairs;
    if (total > max_pairs) return Error(Status::InvalidArgument(TooManyPairs(rules[k], total, max_pairs, false)));
  }
  std::vector<uint64_t> task_offset(tasks + 1, 0);
  for (size_t t = 0; t < tasks; ++t) {
    uint64_t sum = 0;
    for (uint64_t c : task_counts[t]) sum += c;
    task_offset[t + 1] = task_offset[t] + sum;
  }
  // Pass 2: each left row's pairs from all rules, sorted by right row: the whole output is then sorted.
  CandidatePairs pairs;
  pairs.left.resize(total);
  pairs.right.resize(total);
  tbb::parallel_for(size_t{0}, tasks, [&](size_t t) {
    const auto end = static_cast<uint32_t>(std::min(n_left, (t + 1) * kRowsPerTask));
    size_t out = task_offset[t];
    for (auto l = static_cast<uint32_t>(t * kRowsPerTask); l < end; ++l) {
      const size_t row_begin = out;
      for (size_t k = 0; k < rules.size(); ++k) {
        ForNewPairs(indexes, k, l, [&](uint32_t r) {
          pairs.left[out] = l;
          pairs.right[out++] = r;
        });
      }
      std::sort(pairs.right.begin() + static_cast<ptrdiff_t>(row_begin), pairs.right.begin() + static_cast<ptrdiff_t>(out));
    }
  });
  if (counts != nullptr) *counts = std::move(plan);
  return pairs;
}

Result<CandidatePairs> GenerateCandidates(const PersonTable& left, const PersonTable* right,
                                          const std::vector<BlockingRule>& rules, uint64_t max_pairs,
                                          BlockingPlan* counts) {
  const FieldColumns l = ColumnsOf(left);
  if (right == nullptr) return GenerateCandidates(l, nullptr, rules, max_pairs, counts);
  const FieldColumns r = ColumnsOf(*right);
  return GenerateCandidates(l, &r, rules, max_pairs, counts);
}

namespace {

// A candidate rule, and the broader rule it replaces when that one was dropped as too loose.
struct CandidateRule {
  const char* rule;
  const char* fallback_for;
};
constexpr CandidateRule kCandidateRules[] = {
    {"ssn", nullptr},
    {"mbi", nullptr},
    {"dob", nullptr},
    {"dob+first(first_name)", "dob"},
    {"dob+first(last_name)", "dob"},
    {"soundex(last_name)+year(dob)", nullptr},
    {"soundex(last_name)+year(dob)+first(first_name)", "soundex(last_name)+year(dob)"},
    {"first(first_name)+first(last_name)+zip", nullptr},
    {"soundex(first_name)+soundex(last_name)", nullptr},
    {"soundex(first_name)+soundex(last_name)+first3(zip)", "soundex(first_name)+soundex(last_name)"},
    {"soundex(first_name)+soundex(last_name)+state", "soundex(first_name)+soundex(last_name)"},
    {"email", nullptr},
    {"phone", nullptr},
    // Records whose names and date of birth were all changed still share an address.
    {"street_number+zip", nullptr},
    {"street_number+street", nullptr},
    {"street+zip+first(first_name)", nullptr},
};

bool UsesOnly(const BlockingRule& rule, const std::vector<FieldKind>& fields) {
  if (fields.empty()) return true;
  for (const KeyPart& part : rule.parts) {
    if (std::find(fields.begin(), fields.end(), part.field) == fields.end()) return false;
  }
  return true;
}

}  // namespace

ChosenRules ChooseBlockingRules(const FieldColumns& left, const FieldColumns* right, const RuleChoice& choice) {
  ChosenRules chosen;
  std::vector<BlockingRule> applicable;
  std::vector<const CandidateRule*> sources;
  for (const CandidateRule& candidate : kCandidateRules) {
    BlockingRule rule = ParseBlockingRule(candidate.rule).value();
    if (block_internal::MissingField(left, rule) || (right && block_internal::MissingField(*right, rule))) continue;
    if (!UsesOnly(rule, choice.fields)) continue;
    applicable.push_back(std::move(rule));
    sources.push_back(&candidate);
  }
  const uint64_t records = left.rows + (right != nullptr ? right->rows : 0);
  const uint64_t per_rule =
      choice.max_pairs_per_rule > 0 ? choice.max_pairs_per_rule : std::max<uint64_t>(1'000'000, 8 * records);
  const BlockingPlan plan = PlanBlocking(left, right, applicable, per_rule);
  uint64_t total = 0;
  std::vector<std::string> taken;
  std::vector<BlockingRule> pairless;  // rules that fit but pair nobody (every rule, in a small file)
  for (size_t i = 0; i < applicable.size(); ++i) {
    const RuleCount& count = plan.rules[i];
    const char* base = sources[i]->fallback_for;
    if (base != nullptr && std::find(taken.begin(), taken.end(), base) != taken.end()) continue;
    if (count.pairs == 0) {
      if (base == nullptr) pairless.push_back(applicable[i]);
      continue;
    }
    if (count.pairs > per_rule) {
      chosen.notes.push_back("rule " + count.rule + " dropped as too loose: " + std::to_string(count.pairs) +
                             " pairs, more than " + std::to_string(per_rule) + " per rule");
      continue;
    }
    if (total + count.pairs > choice.max_pairs) {
      chosen.notes.push_back("rule " + count.rule + " dropped: its " + std::to_string(count.pairs) +
                             " pairs would pass max_pairs " + std::to_string(choice.max_pairs));
      continue;
    }
    total += count.pairs;
    taken.push_back(sources[i]->rule);
    chosen.rules.push_back(applicable[i]);
  }
  if (chosen.rules.empty() && chosen.notes.empty() && !pairless.empty()) {
    // No rule was too loose; no two records share any key. That is an answer (no candidate pairs), not a
    // failure: a ten-row file of different people must dedupe to ten clusters.
    chosen.rules = std::move(pairless);
    chosen.notes.push_back("no two records share a blocking key: there are no candidate pairs");
  }
  if (chosen.rules.empty()) chosen.notes.push_back("no blocking rule fits: the files share no usable field");
  return chosen;
}

ChosenRules ChooseBlockingRules(const PersonTable& left, const PersonTable* right, const RuleChoice& choice) {
  const FieldColumns l = ColumnsOf(left);
  if (right == nullptr) return ChooseBlockingRules(l, nullptr, choice);
  const FieldColumns r = ColumnsOf(*right);
  return ChooseBlockingRules(l, &r, choice);
}

CandidatePairs SampleRandomPairs(size_t n_left, size_t n_right_or_zero_for_dedupe, size_t count, uint64_t seed) {
  const bool dedupe = n_right_or_zero_for_dedupe == 0;
  const uint64_t n_right = dedupe ? n_left : n_right_or_zero_for_dedupe;
  uint64_t all = 0;  // distinct pairs that exist
  const bool overflow = dedupe ? false : __builtin_mul_overflow(uint64_t{n_left}, n_right, &all);
  if (dedupe) all = n_left < 2 ? 0 : uint64_t{n_left} * (n_left - 1) / 2;  // n_left < 2^32: no overflow
  std::vector<uint64_t> chosen;  // (left << 32) | right
  if (!overflow && all <= count) {
    for (uint64_t l = 0; l < n_left; ++l) {
      for (uint64_t r = dedupe ? l + 1 : 0; r < n_right; ++r) chosen.push_back((l << 32) | r);
    }
  } else {
    // Draw with replacement, drop repeats, draw again for what is missing: a uniform sample of distinct
    // pairs. std::mt19937_64's output is fixed by the standard, and the range reduction is our own, so
    // the sample is the same on every platform.
    std::mt19937_64 rng(seed);
    chosen.reserve(count);
    while (chosen.size() < count) {
      for (size_t need = count - chosen.size(); need > 0;) {
        uint64_t l = rng() % n_left;
        uint64_t r = rng() % n_right;
        if (dedupe) {
          if (l == r) continue;
          if (l > r) std::swap(l, r);
        }
        chosen.push_back((l << 32) | r);
        --need;
      }
      std::sort(chosen.begin(), chosen.end());
      chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    }
  }
  CandidatePairs pairs;
  pairs.left.reserve(chosen.size());
  pairs.right.reserve(chosen.size());
  for (uint64_t p : chosen) {
    pairs.left.push_back(static_cast<uint32_t>(p >> 32));
    pairs.right.push_back(static_cast<uint32_t>(p & 0xFFFFFFFFu));
  }
  return pairs;
}

}  // namespace matchguard
