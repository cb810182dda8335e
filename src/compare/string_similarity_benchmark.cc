// Comparator throughput on realistic name pairs (folded ASCII, 3-12 characters), plus a code-point case.
// Each benchmark checks its answer: the sum over the pair set must equal the sum computed once, before
// timing, by a plain textbook implementation in this file.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "src/compare/phonetic.h"
#include "src/compare/string_similarity.h"

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

double ReferenceJaroWinkler(const std::string& a, const std::string& b) {
  // Textbook definition on bytes (valid for the ASCII pair set).
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::string& s = a.size() <= b.size() ? a : b;
  const std::string& t = a.size() <= b.size() ? b : a;
  const std::string& x = (s.size() == t.size() && b < a) ? b : s;
  const std::string& y = (s.size() == t.size() && b < a) ? a : t;
  const size_t window = std::max<size_t>(std::max(x.size(), y.size()) / 2, 1) - 1;
  std::vector<bool> mx(x.size()), my(y.size());
  double m = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    for (size_t j = (i > window ? i - window : 0); j < std::min(y.size(), i + window + 1); ++j) {
      if (!my[j] && x[i] == y[j]) {
        mx[i] = my[j] = true;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  double t2 = 0;
  for (size_t i = 0, j = 0; i < x.size(); ++i) {
    if (!mx[i]) continue;
    while (!my[j]) ++j;
    if (x[i] != y[j++]) ++t2;
  }
  const double jaro = (m / x.size() + m / y.size() + (m - t2 / 2) / m) / 3;
  size_t l = 0;
  while (l < 4 && l < x.size() && l < y.size() && x[l] == y[l]) ++l;
  return jaro + l * 0.1 * (1 - jaro);
}

// Full-matrix edit distance; `osa` adds adjacent transpositions (optimal string alignment).
int ReferenceDistance(const std::string& a, const std::string& b, bool osa) {
  std::vector<std::vector<int>> d(a.size() + 1, std::vector<int>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (osa && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

constexpr size_t kPairs = 100000;

void BM_JaroWinkler(benchmark::State& state) {
  const NamePairs p = MakeNamePairs(kPairs, false);
  double expected = 0;
  for (size_t i = 0; i < kPairs; ++i) expected += ReferenceJaroWinkler(p.a[i], p.b[i]);
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
  for (size_t i = 0; i < kPairs; ++i) expected += ReferenceDistance(p.a[i], p.b[i], osa);
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
