// Comparator throughput on realistic name pairs (folded ASCII, 3-12 characters), plus a code-point case.
// Each benchmark checks its answer: the sum over the pair set must equal the sum computed once, before
// timing, by the textbook implementations in string_similarity_reference.h.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "src/compare/phonetic.h"
#include "src/compare/string_similarity.h"
#include "src/compare/string_similarity_reference.h"

namespace matchguard {
namespace {

struct NamePairs {
  std::vector<std::string> a;
  std::vector<std::string> b;
};

// Names built from syllables; b is a with a typo (substitution, deletion, insertion or transposition)
// in two cases out of three, an unrelated name otherwise.
NamePairs MakeNamePairs(size_t n, bool accented) {
  const char* syllables[] = {"an", "ber", "ca", "del", "er", "fi", "gon", "har", "is", "jo", "kel", "li", "mar",
                             "ne", "ol", "pe", "qui", "ro", "sa", "ton", "u", "vi", "wal", "yo", "zo"};
  std::mt19937_64 rng(99);
  auto name = [&] {
    std::string s;
    const int parts = 2 + static_cast<int>(rng() % 3);
    for (int i = 0; i < parts; ++i) s += syllables[rng() % 25];
    if (accented && rng() % 2) s += "é";
    return s;
  };
  NamePairs p;
  for (size_t i = 0; i < n; ++i) {
    std::string a = name();
    std::string b = a;
    const size_t pos = rng() % a.size();
    switch (rng() % 6) {
      case 0: b[pos] = static_cast<char>('a' + rng() % 26); break;
      case 1: b.erase(pos, 1); break;
      case 2: b.insert(pos, 1, 'x'); break;
      case 3: if (pos + 1 < b.size()) std::swap(b[pos], b[pos + 1]); break;
      default: b = name(); break;
    }
    if (accented) {  // keep both valid UTF-8 after byte edits
      auto fix = [](std::string& s) { s.erase(std::remove_if(s.begin(), s.end(), [](char c) { return c & 0x80; }), s.end()); s += "é"; };
      fix(a);
      fix(b);
    }
    p.a.push_back(std::move(a));
    p.b.push_back(std::move(b));
  }
  return p;
}

constexpr size_t kPairs = 100000;

void BM_JaroWinkler(benchmark::State& state) {
  const NamePairs p = MakeNamePairs(kPairs, false);
  double expected = 0;
  for (size_t i = 0; i < kPairs; ++i) expected += reference::JaroWinkler(p.a[i], p.b[i]);
  for (auto _ : state) {
    double sum = 0;
    for (size_t i = 0; i < kPairs; ++i) sum += JaroWinkler(p.a[i], p.b[i]);
    if (std::abs(sum - expected) > 1e-6) state.SkipWithError("JaroWinkler disagrees with the reference");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kPairs));
}
BENCHMARK(BM_JaroWinkler);

using DistanceFn = int (*)(std::string_view, std::string_view);

void BM_Distance(benchmark::State& state, DistanceFn fn, bool accented, bool osa) {
  const NamePairs p = MakeNamePairs(kPairs, accented);
  long expected = 0;
  // On the accented set every string ends in the same 2-byte "é", so byte and code-point distances agree.
  for (size_t i = 0; i < kPairs; ++i) expected += reference::EditDistance(p.a[i], p.b[i], osa);
  for (auto _ : state) {
    long sum = 0;
    for (size_t i = 0; i < kPairs; ++i) sum += fn(p.a[i], p.b[i]);
    if (sum != expected) state.SkipWithError("distance disagrees with the reference");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kPairs));
}
BENCHMARK_CAPTURE(BM_Distance, levenshtein_ascii, &Levenshtein, false, false);
BENCHMARK_CAPTURE(BM_Distance, levenshtein_utf8, &Levenshtein, true, false);
BENCHMARK_CAPTURE(BM_Distance, osa_ascii, &DamerauLevenshtein, false, true);

void BM_Soundex(benchmark::State& state) {
  const NamePairs p = MakeNamePairs(kPairs, false);
  for (auto _ : state) {
    size_t bytes = 0;
    for (size_t i = 0; i < kPairs; ++i) bytes += Soundex(p.a[i]).size();
    if (bytes != 4 * kPairs) state.SkipWithError("a Soundex code is not 4 characters");
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kPairs));
}
BENCHMARK(BM_Soundex);

}  // namespace
}  // namespace matchguard
