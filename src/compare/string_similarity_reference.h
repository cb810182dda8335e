// Textbook implementations of Jaro, Jaro-Winkler and the edit distances, for tests and benchmarks only:
// the fast paths in string_similarity.cc are checked against these. Bytes, full matrices, no shortcuts.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace matchguard::reference {

// Jaro with the library's argument order (shorter string first, then the lexicographically smaller), so
// that its greedy matching gives the same, symmetric answer.
inline double Jaro(std::string a, std::string b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (b.size() < a.size() || (b.size() == a.size() && b < a)) std::swap(a, b);
  const size_t window = std::max<size_t>(b.size() / 2, 1) - 1;
  std::vector<bool> ma(a.size()), mb(b.size());
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = (i > window ? i - window : 0); j < std::min(b.size(), i + window + 1); ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++m;
        break;
      }
    }
  }
  if (m == 0) return 0.0;
  double half = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    half += a[i] != b[j++];
  }
  return (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) + (m - half / 2) / m) / 3;
}

inline double JaroWinkler(const std::string& a, const std::string& b) {
  const double jaro = Jaro(a, b);
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1 - jaro);
}

// Edit distance over the full matrix; `osa` adds adjacent transpositions (optimal string alignment).
inline int EditDistance(const std::string& a, const std::string& b, bool osa) {
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

}  // namespace matchguard::reference
