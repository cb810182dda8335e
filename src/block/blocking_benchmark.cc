// Blocking at scale: two synthetic files of 1,000,000 people, four rules, ~10-30 million candidate pairs
// (the linkage engineer's target: a few seconds on 2 cores). Checks its answer: the output is sorted and
// duplicate-free, its size equals the sum of the per-rule new pairs, every rule's pair count equals
// PlanBlocking's, sampled pairs really agree on a rule, and sampled left rows have exactly the pairs a
// brute-force scan over all right rows finds.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "src/block/block_index.h"
#include "src/block/blocking.h"

namespace matchguard {
namespace {

struct People {
  std::array<Column, kFieldKindCount> columns;
  FieldColumns view;
};

const char* kSyllables[] = {"an", "ber", "ca", "del", "er", "fi", "gon", "har", "is", "jo", "kel", "li", "mar",
                            "ne", "ol", "pe", "qui", "ro", "sa", "ton", "u", "vi", "wal", "yo", "zo", "ste"};

struct Person {
  std::string first, last, dob, zip, ssn;
};

Person RandomPerson(std::mt19937_64& rng) {
  auto word = [&rng](int parts) {
    std::string s;
    for (int i = 0; i < parts; ++i) s += kSyllables[rng() % 26];
    return s;
  };
  Person p;
  p.first = word(2);
  p.last = word(2 + static_cast<int>(rng() % 2));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", unsigned(1930 + rng() % 80), unsigned(1 + rng() % 12),
                unsigned(1 + rng() % 28));
  p.dob = buf;
  std::snprintf(buf, sizeof buf, "%05u", unsigned(10000 + rng() % 30000));
  p.zip = buf;
  std::snprintf(buf, sizeof buf, "%09u", unsigned(100000000 + rng() % 800000000));
  p.ssn = buf;
  return p;
}

void Fill(People* people, const std::vector<Person>& rows, const std::string& name) {
  auto& c = people->columns;
  for (const Person& p : rows) {
    c[size_t(FieldKind::kFirstName)].Append(p.first);
    c[size_t(FieldKind::kLastName)].Append(p.last);
    c[size_t(FieldKind::kDob)].Append(p.dob);
    c[size_t(FieldKind::kZip)].Append(p.zip);
    c[size_t(FieldKind::kSsn)].Append(p.ssn);
  }
  people->view.rows = rows.size();
  people->view.source_name = name;
  for (FieldKind k : {FieldKind::kFirstName, FieldKind::kLastName, FieldKind::kDob, FieldKind::kZip, FieldKind::kSsn}) {
    people->view.columns[size_t(k)] = &c[size_t(k)];
  }
}

// Left: n random people. Right: n people, 70% of them a left person (in shuffled order) with a typo in
// the last name one time in three, the rest new.
void MakeFiles(size_t n, People* left, People* right) {
  std::mt19937_64 rng(2024);
  std::vector<Person> l(n);
  for (auto& p : l) p = RandomPerson(rng);
  std::vector<Person> r;
  r.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (rng() % 10 < 7) {
      Person p = l[rng() % n];
      if (rng() % 3 == 0) p.last[rng() % p.last.size()] = static_cast<char>('a' + rng() % 26);
      r.push_back(p);
    } else {
      r.push_back(RandomPerson(rng));
    }
  }
  Fill(left, l, "left.csv");
  Fill(right, r, "right.csv");
}

std::vector<BlockingRule> BenchRules() {
  std::vector<BlockingRule> rules;
  for (const char* t : {"ssn", "dob+first(first_name)", "soundex(last_name)+year(dob)",
                        "first(first_name)+first(last_name)+zip"}) {
    rules.push_back(ParseBlockingRule(t).value());
  }
  return rules;
}

// CPU seconds used by every thread of this process so far (the machine may be shared, so wall time alone
// says little).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Returns "" when the candidate set is right, else what is wrong.
std::string Verify(const People& left, const People& right, const std::vector<BlockingRule>& rules,
                   const CandidatePairs& pairs, const BlockingPlan& plan, const BlockingPlan& counts) {
  for (size_t i = 1; i < pairs.size(); ++i) {
    if (std::make_pair(pairs.left[i - 1], pairs.right[i - 1]) >= std::make_pair(pairs.left[i], pairs.right[i])) {
      return "output not strictly sorted";
    }
  }
  uint64_t new_total = 0;
  for (size_t k = 0; k < rules.size(); ++k) {
    if (plan.rules[k].pairs != counts.rules[k].pairs) return "plan and generation disagree on " + rules[k].name;
    new_total += counts.rules[k].new_pairs;
  }
  if (new_total != pairs.size()) return "new pairs do not add up to the output size";
  std::mt19937_64 rng(7);
  auto agree = [&](uint32_t l, uint32_t r) {
    for (const auto& rule : rules) {
      const std::string key = BlockingKey(left.view, rule, l);
      if (!key.empty() && key == BlockingKey(right.view, rule, r)) return true;
    }
    return false;
  };
  for (int s = 0; s < 1000 && pairs.size() > 0; ++s) {
    const size_t i = rng() % pairs.size();
    if (!agree(pairs.left[i], pairs.right[i])) return "a generated pair agrees on no rule";
  }
  std::vector<std::vector<std::string>> right_keys;
  for (const auto& rule : rules) right_keys.push_back(block_internal::ComputeKeys(right.view, rule));
  for (int s = 0; s < 10; ++s) {
    const auto l = static_cast<uint32_t>(rng() % left.view.rows);
    std::vector<std::string> lk;
    for (const auto& rule : rules) lk.push_back(BlockingKey(left.view, rule, l));
    size_t expected = 0;
    for (size_t r = 0; r < right.view.rows; ++r) {
      for (size_t k = 0; k < rules.size(); ++k) {
        if (!lk[k].empty() && lk[k] == right_keys[k][r]) {
          ++expected;
          break;
        }
      }
    }
    const auto range = std::equal_range(pairs.left.begin(), pairs.left.end(), l);
    if (static_cast<size_t>(range.second - range.first) != expected) return "a sampled row has the wrong pairs";
  }
  return "";
}

void BM_GenerateCandidates(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  People left, right;
  MakeFiles(n, &left, &right);
  const std::vector<BlockingRule> rules = BenchRules();
  const BlockingPlan plan = PlanBlocking(left.view, &right.view, rules, UINT64_MAX);
  CandidatePairs last;
  BlockingPlan counts;
  const double cpu_before = ProcessCpuSeconds();
  for (auto _ : state) {
    auto pairs = GenerateCandidates(left.view, &right.view, rules, 100'000'000, &counts);
    if (!pairs.has_value()) {
      state.SkipWithError(pairs.error().message().c_str());
      return;
    }
    benchmark::DoNotOptimize(pairs->left.data());
    last = std::move(*pairs);
  }
  state.counters["cpu_s_all_threads"] = (ProcessCpuSeconds() - cpu_before) / static_cast<double>(state.iterations());
  const std::string problem = Verify(left, right, rules, last, plan, counts);
  if (!problem.empty()) state.SkipWithError(problem.c_str());
  state.counters["pairs"] = static_cast<double>(last.size());
  state.counters["upper_bound"] = static_cast<double>(plan.total_pairs_upper_bound);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * last.size()));
}
BENCHMARK(BM_GenerateCandidates)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PlanBlocking(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  People left, right;
  MakeFiles(n, &left, &right);
  const std::vector<BlockingRule> rules = BenchRules();
  for (auto _ : state) {
    const BlockingPlan plan = PlanBlocking(left.view, &right.view, rules, UINT64_MAX);
    auto pairs = GenerateCandidates(left.view, &right.view, {rules[0]}, UINT64_MAX);
    if (!pairs.has_value() || plan.rules[0].pairs != pairs->size()) state.SkipWithError("plan count is wrong");
    benchmark::DoNotOptimize(plan.total_pairs_upper_bound);
  }
}
BENCHMARK(BM_PlanBlocking)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace matchguard
