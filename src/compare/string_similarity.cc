#include "src/compare/string_similarity.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

namespace matchguard {
namespace {

// A buffer on the stack for short inputs, on the heap beyond kInline elements. Elements are left
// uninitialised by construction; callers fill what they use.
template <typename T, size_t kInline = 64>
class SmallBuffer {
 public:
  explicit SmallBuffer(size_t n) : size_(n) {
    if (n > kInline) heap_.resize(n);
  }
  T* data() { return size_ > kInline ? heap_.data() : inline_.data(); }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data()[i]; }

 private:
  size_t size_;
  std::array<T, kInline> inline_;
  std::vector<T> heap_;
};

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c & 0x80) return false;
  }
  return true;
}

// Decodes UTF-8 into code points. A byte that does not start a valid sequence becomes its own unit,
// 0x110000 + byte, outside the Unicode range so it never equals a real code point.
std::vector<char32_t> Decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    }
    bool ok = len != 0 && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      out.push_back(cp);
      i += len;
    } else {
      out.push_back(0x110000 + c);
      ++i;
    }
  }
  return out;
}

// Runs `fn` on both inputs as spans of the same character type: bytes when both are ASCII, code points
// otherwise.
template <typename Fn>
auto Dispatch(std::string_view a, std::string_view b, Fn fn) {
  if (IsAscii(a) && IsAscii(b)) {
    return fn(reinterpret_cast<const unsigned char*>(a.data()), a.size(),
              reinterpret_cast<const unsigned char*>(b.data()), b.size());
  }
  const std::vector<char32_t> da = Decode(a);
  const std::vector<char32_t> db = Decode(b);
  return fn(da.data(), da.size(), db.data(), db.size());
}

// Orders the inputs canonically (shorter first, then lexicographically) so that algorithms whose greedy
// steps depend on argument order still give symmetric results.
template <typename C>
void Canonicalize(const C*& a, size_t& na, const C*& b, size_t& nb) {
  if (nb < na || (nb == na && std::lexicographical_compare(b, b + nb, a, a + na))) {
    std::swap(a, b);
    std::swap(na, nb);
  }
}

template <typename C>
double JaroImpl(const C* a, size_t na, const C* b, size_t nb) {
  if (na == 0 && nb == 0) return 1.0;
  if (na == 0 || nb == 0) return 0.0;
  Canonicalize(a, na, b, nb);
  const size_t window = std::max(na, nb) / 2 > 0 ? std::max(na, nb) / 2 - 1 : 0;
  SmallBuffer<uint8_t> a_matched(na);
  SmallBuffer<uint8_t> b_matched(nb);
  std::memset(a_matched.data(), 0, na);
  std::memset(b_matched.data(), 0, nb);
  size_t matches = 0;
  for (size_t i = 0; i < na; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(nb, i + window + 1);
    for (size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  size_t half_transpositions = 0;
  size_t j = 0;
  for (size_t i = 0; i < na; ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++half_transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double t = static_cast<double>(half_transpositions) / 2.0;
  return (m / static_cast<double>(na) + m / static_cast<double>(nb) + (m - t) / m) / 3.0;
}

// Mask of bits [lo, hi) for 0 <= lo <= hi <= 64.
uint64_t BitRange(size_t lo, size_t hi) {
  const uint64_t below_hi = hi >= 64 ? ~uint64_t{0} : (uint64_t{1} << hi) - 1;
  const uint64_t below_lo = (uint64_t{1} << lo) - 1;  // lo < 64 whenever the range is used
  return below_hi & ~below_lo;
}

// JaroImpl for ASCII strings of at most 64 bytes, with the matched flags held in bit masks: the same
// greedy matching, without per-character loops over the window.
double JaroAscii64(const unsigned char* a, size_t na, const unsigned char* b, size_t nb) {
  if (na == 0 && nb == 0) return 1.0;
  if (na == 0 || nb == 0) return 0.0;
  Canonicalize(a, na, b, nb);
  std::array<uint64_t, 128> positions;  // only entries for characters of a or b are initialised and read
  for (size_t i = 0; i < na; ++i) positions[a[i]] = 0;
  for (size_t j = 0; j < nb; ++j) positions[b[j]] = 0;
  for (size_t j = 0; j < nb; ++j) positions[b[j]] |= uint64_t{1} << j;
  const size_t window = std::max(na, nb) / 2 > 0 ? std::max(na, nb) / 2 - 1 : 0;
  uint64_t a_matched = 0;
  uint64_t b_matched = 0;
  for (size_t i = 0; i < na; ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(nb, i + window + 1);
    if (lo >= hi) continue;
    const uint64_t free = positions[a[i]] & ~b_matched & BitRange(lo, hi);
    if (free == 0) continue;
    b_matched |= free & (~free + 1);  // lowest free position
    a_matched |= uint64_t{1} << i;
  }
  if (a_matched == 0) return 0.0;
  const int matches = std::popcount(a_matched);
  int half_transpositions = 0;
  for (uint64_t am = a_matched, bm = b_matched; am != 0; am &= am - 1, bm &= bm - 1) {
    half_transpositions += a[std::countr_zero(am)] != b[std::countr_zero(bm)];
  }
  const double m = matches;
  const double t = half_transpositions / 2.0;
  return (m / static_cast<double>(na) + m / static_cast<double>(nb) + (m - t) / m) / 3.0;
}

template <typename C>
size_t CommonPrefix(const C* a, size_t na, const C* b, size_t nb, size_t limit) {
  size_t n = std::min({na, nb, limit});
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Hyyrö's bit-parallel Levenshtein for a pattern of at most 64 ASCII characters.
int LevenshteinBitParallel(const unsigned char* a, size_t na, const unsigned char* b, size_t nb) {
  std::array<uint64_t, 128> peq;  // only entries for characters of a or b are initialised and read
  for (size_t j = 0; j < nb; ++j) peq[b[j]] = 0;
  for (size_t i = 0; i < na; ++i) peq[a[i]] = 0;
  for (size_t i = 0; i < na; ++i) peq[a[i]] |= uint64_t{1} << i;
  uint64_t pv = na == 64 ? ~uint64_t{0} : (uint64_t{1} << na) - 1;
  uint64_t mv = 0;
  const uint64_t last = uint64_t{1} << (na - 1);
  int score = static_cast<int>(na);
  for (size_t j = 0; j < nb; ++j) {
    const uint64_t eq = peq[b[j]];
    const uint64_t xv = eq | mv;
    const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    if (ph & last) ++score;
    if (mh & last) --score;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return score;
}

template <typename C>
int LevenshteinDp(const C* a, size_t na, const C* b, size_t nb) {
  if (na < nb) {
    std::swap(a, b);
    std::swap(na, nb);
  }
  if (nb == 0) return static_cast<int>(na);
  SmallBuffer<int> row(nb + 1);
  for (size_t j = 0; j <= nb; ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= na; ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= nb; ++j) {
      const int up = row[j];
      row[j] = std::min({up + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[nb];
}

template <typename C>
int OsaImpl(const C* a, size_t na, const C* b, size_t nb) {
  if (na == 0) return static_cast<int>(nb);
  if (nb == 0) return static_cast<int>(na);
  const size_t w = nb + 1;
  SmallBuffer<int, 3 * 64> rows(3 * w);  // rows i-2, i-1, i in rotation
  int* prev2 = rows.data();
  int* prev = prev2 + w;
  int* cur = prev + w;
  for (size_t j = 0; j <= nb; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= na; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= nb; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int best = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) best = std::min(best, prev2[j - 2] + 1);
      cur[j] = best;
    }
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[nb];
}

template <typename C>
double JaccardImpl(const C* a, size_t na, const C* b, size_t nb) {
  if (na < 2 || nb < 2) return std::equal(a, a + na, b, b + nb) ? 1.0 : 0.0;
  auto bigrams = [](const C* s, size_t n, SmallBuffer<uint64_t>& out) {
    for (size_t i = 0; i + 1 < n; ++i) out[i] = (static_cast<uint64_t>(s[i]) << 32) | static_cast<uint64_t>(s[i + 1]);
    std::sort(out.data(), out.data() + n - 1);
    return static_cast<size_t>(std::unique(out.data(), out.data() + n - 1) - out.data());
  };
  SmallBuffer<uint64_t> ga(na - 1);
  SmallBuffer<uint64_t> gb(nb - 1);
  const size_t ka = bigrams(a, na, ga);
  const size_t kb = bigrams(b, nb, gb);
  size_t i = 0, j = 0, common = 0;
  while (i < ka && j < kb) {
    if (ga[i] < gb[j]) {
      ++i;
    } else if (gb[j] < ga[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(ka + kb - common);
}

template <typename C>
bool TranspositionImpl(const C* a, size_t na, const C* b, size_t nb) {
  if (na != nb || na < 2) return false;
  size_t i = 0;
  while (i < na && a[i] == b[i]) ++i;
  if (i + 1 >= na) return false;
  if (a[i] != b[i + 1] || a[i + 1] != b[i]) return false;
  return std::equal(a + i + 2, a + na, b + i + 2);
}

template <typename C>
int HammingImpl(const C* a, size_t na, const C* b, size_t nb) {
  if (na != nb) return -1;
  int d = 0;
  for (size_t i = 0; i < na; ++i) d += a[i] != b[i];
  return d;
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) {
  if (a.size() <= 64 && b.size() <= 64 && IsAscii(a) && IsAscii(b)) {
    return JaroAscii64(reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                       reinterpret_cast<const unsigned char*>(b.data()), b.size());
  }
  return Dispatch(a, b, [](const auto* x, size_t nx, const auto* y, size_t ny) { return JaroImpl(x, nx, y, ny); });
}

double JaroWinkler(std::string_view a, std::string_view b, double prefix_scale) {
  const double scale = std::clamp(prefix_scale, 0.0, 0.25);
  if (a.size() <= 64 && b.size() <= 64 && IsAscii(a) && IsAscii(b)) {
    const double jaro = JaroAscii64(reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                                    reinterpret_cast<const unsigned char*>(b.data()), b.size());
    const double prefix = static_cast<double>(CommonPrefix(a.data(), a.size(), b.data(), b.size(), 4));
    return jaro + prefix * scale * (1.0 - jaro);
  }
  return Dispatch(a, b, [scale](const auto* x, size_t nx, const auto* y, size_t ny) {
    const double jaro = JaroImpl(x, nx, y, ny);
    const double prefix = static_cast<double>(CommonPrefix(x, nx, y, ny, 4));
    return jaro + prefix * scale * (1.0 - jaro);
  });
}

int Levenshtein(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);  // pattern = the shorter one
  if (a.empty()) return static_cast<int>(IsAscii(b) ? b.size() : Decode(b).size());
  if (a.size() <= 64 && IsAscii(a) && IsAscii(b)) {
    return LevenshteinBitParallel(reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                                  reinterpret_cast<const unsigned char*>(b.data()), b.size());
  }
  return Dispatch(a, b,
                  [](const auto* x, size_t nx, const auto* y, size_t ny) { return LevenshteinDp(x, nx, y, ny); });
}

int DamerauLevenshtein(std::string_view a, std::string_view b) {
  return Dispatch(a, b, [](const auto* x, size_t nx, const auto* y, size_t ny) { return OsaImpl(x, nx, y, ny); });
}

double JaccardBigrams(std::string_view a, std::string_view b) {
  return Dispatch(a, b,
                  [](const auto* x, size_t nx, const auto* y, size_t ny) { return JaccardImpl(x, nx, y, ny); });
}

bool IsAdjacentTransposition(std::string_view a, std::string_view b) {
  return Dispatch(a, b,
                  [](const auto* x, size_t nx, const auto* y, size_t ny) { return TranspositionImpl(x, nx, y, ny); });
}

int HammingDistance(std::string_view a, std::string_view b) {
  return Dispatch(a, b,
                  [](const auto* x, size_t nx, const auto* y, size_t ny) { return HammingImpl(x, nx, y, ny); });
}

}  // namespace matchguard
