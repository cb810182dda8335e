#include "src/compare/levels.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <functional>

#include "src/compare/string_similarity.h"
#include "src/normalize/names.h"

namespace matchguard {
namespace {

bool IsNameField(FieldKind f) {
  return f == FieldKind::kFirstName || f == FieldKind::kMiddleName || f == FieldKind::kLastName ||
         f == FieldKind::kFullName;
}

// Splits on spaces (normalised names hold single spaces only).
bool IsWordOf(std::string_view word, std::string_view phrase) {
  size_t start = 0;
  while (start <= phrase.size()) {
    size_t end = phrase.find(' ', start);
    if (end == std::string_view::npos) end = phrase.size();
    if (phrase.substr(start, end - start) == word) return true;
    start = end + 1;
  }
  return false;
}

bool SurnamePart(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return b.find(' ') != std::string_view::npos && IsWordOf(a, b);
}

bool InitialMatches(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  return a.size() == 1 && !b.empty() && b[0] == a[0];
}

int DigitAt(std::string_view s, size_t i) { return s[i] - '0'; }

// Parses "YYYY-MM-DD" into its three numbers; false when the value has another shape.
bool SplitDate(std::string_view s, int* y, int* m, int* d) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  *y = DigitAt(s, 0) * 1000 + DigitAt(s, 1) * 100 + DigitAt(s, 2) * 10 + DigitAt(s, 3);
  *m = DigitAt(s, 5) * 10 + DigitAt(s, 6);
  *d = DigitAt(s, 8) * 10 + DigitAt(s, 9);
  return true;
}

int Find(const std::vector<std::string>& names, std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// A level when it exists in this comparison (it may have been left out), else "else".
int LevelOr(const std::vector<std::string>& names, std::string_view name) {
  int level = Find(names, name);
  return level >= 0 ? level : static_cast<int>(names.size()) - 1;
}

int DateLevel(std::string_view a, std::string_view b, const std::vector<std::string>& names) {
  int ya, ma, da, yb, mb, db;
  const int else_level = static_cast<int>(names.size()) - 1;
  if (!SplitDate(a, &ya, &ma, &da) || !SplitDate(b, &yb, &mb, &db)) return else_level;
  if (ya == yb && ma == db && da == mb) return LevelOr(names, "day_month_swapped");
  if (ma == mb && da == db && (ya - yb == 1 || yb - ya == 1)) return LevelOr(names, "year_off_by_one");
  int equal_parts = (ya == yb) + (ma == mb) + (da == db);
  if (equal_parts == 2) return LevelOr(names, "one_part_differs");
  // The year alone agrees: an unknown month and day recorded as a placeholder (January 1st) or both
  // mistyped. Telling it from a date years away keeps "else" the strong evidence it is (a parent and a
  // child with one name at one address differ by decades, not by a placeholder).
  if (ya == yb) return LevelOr(names, "same_year");
  return else_level;
}

// A direct-mapped memo from a pair of value ids to a level, one per comparison per thread. Blocked pairs
// meet the same value pairs ("smith"/"smyth") again and again; this makes most of those string
// comparisons run once. Fixed size (a collision overwrites), so it stays in cache and never grows with the
// number of pairs.
class LevelMemo {
 public:
  LevelMemo() : keys_(kSize, kEmpty), levels_(kSize, 0) {}

  // Returns the stored level or -1.
  int Get(uint64_t key) const {
    size_t i = Slot(key);
    return keys_[i] == key ? levels_[i] : -1;
  }
  void Put(uint64_t key, int level) {
    size_t i = Slot(key);
    keys_[i] = key;
    levels_[i] = static_cast<uint8_t>(level);
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  static constexpr size_t kSize = size_t{1} << 15;
  static size_t Slot(uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return static_cast<size_t>(key) & (kSize - 1);
  }

  std::vector<uint64_t> keys_;
  std::vector<uint8_t> levels_;
};

// Assigns dense ids (1, 2, ...) to distinct strings; id 0 is "missing". The strings are views into the
// tables' arenas.
class Dictionary {
 public:
  uint32_t Intern(std::string_view value) {
    if (value.empty()) return 0;
    if ((values_.size() + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    uint64_t h = std::hash<std::string_view>{}(value);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint32_t id = slots_[i];
      if (id == 0) {
        values_.push_back(value);
        hashes_.push_back(h);
        slots_[i] = static_cast<uint32_t>(values_.size());
        return slots_[i];
      }
      if (hashes_[id - 1] == h && values_[id - 1] == value) return id;
    }
  }
  std::string_view value(uint32_t id) const { return values_[id - 1]; }
  size_t size() const { return values_.size(); }

 private:
  void Grow() {
    std::vector<uint32_t> slots(std::max<size_t>(1024, slots_.size() * 2), 0);
    size_t mask = slots.size() - 1;
    for (size_t id = 1; id <= values_.size(); ++id) {
      size_t i = hashes_[id - 1] & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = static_cast<uint32_t>(id);
    }
    slots_.swap(slots);
  }

  std::vector<uint32_t> slots_;
  std::vector<std::string_view> values_;
  std::vector<uint64_t> hashes_;
};

}  // namespace

struct PairComparer::Column {
  std::shared_ptr<Dictionary> dictionary;  // shared by first, middle and last names
  std::vector<uint32_t> left_ids;
  std::vector<uint32_t> right_ids;  // empty when deduplicating: right rows index left_ids
  bool memoise = false;             // the value comparison is costly enough to remember
  std::vector<uint32_t> counts;     // occurrences of each id in this column, both tables
  uint64_t total = 0;               // non-missing values in this column, both tables
};

struct PairComparer::Cache {
  std::vector<LevelMemo> memos;
};

const std::vector<FieldKind>& DefaultComparedFields() {
  static const std::vector<FieldKind> kFields = {
      FieldKind::kFirstName, FieldKind::kMiddleName, FieldKind::kLastName,     FieldKind::kFullName, FieldKind::kDob,
      FieldKind::kSsn,       FieldKind::kSex,        FieldKind::kStreetNumber, FieldKind::kStreet,   FieldKind::kCity,
      FieldKind::kZip,       FieldKind::kState,      FieldKind::kPhone,        FieldKind::kEmail,    FieldKind::kMbi};
  return kFields;
}

std::vector<std::string> LevelNames(FieldKind field, bool first_and_last_compared) {
  switch (field) {
    case FieldKind::kFirstName:
      if (first_and_last_compared) {
        return {"null", "exact", "jw_high", "jw_low", "nickname", "initial", "swapped", "else"};
      }
      return {"null", "exact", "jw_high", "jw_low", "nickname", "initial", "else"};
    case FieldKind::kMiddleName:
      return {"null", "exact", "jw_high", "jw_low", "nickname", "initial", "else"};
    case FieldKind::kLastName:
      if (first_and_last_compared) return {"null", "exact", "jw_high", "jw_low", "surname_part", "swapped", "else"};
      return {"null", "exact", "jw_high", "jw_low", "surname_part", "else"};
    case FieldKind::kFullName:
      return {"null", "exact", "jw_high", "jw_low", "surname_part", "else"};
    case FieldKind::kDob:
      return {"null", "exact", "day_month_swapped", "year_off_by_one", "one_part_differs", "same_year", "else"};
    case FieldKind::kSsn:
      return {"null", "exact", "transposition", "one_digit", "else"};
    case FieldKind::kPhone:
      return {"null", "exact", "one_digit", "else"};
    case FieldKind::kZip:
      return {"null", "exact", "first3", "else"};
    case FieldKind::kStreet:
    case FieldKind::kCity:
      return {"null", "exact", "jw", "else"};
    default:
      return {"null", "exact", "else"};
  }
}

std::vector<LevelSpec> DefaultLevelSpecs(const PersonTable& left, const PersonTable* right,
                                         const ComparisonOptions& options) {
  const std::vector<FieldKind>& wanted = options.fields.empty() ? DefaultComparedFields() : options.fields;
  auto usable = [&](FieldKind f) {
    if (f == FieldKind::kId) return false;
    if (std::find(wanted.begin(), wanted.end(), f) == wanted.end()) return false;
    return left.has(f) && (right == nullptr || right->has(f));
  };
  bool first_and_last = usable(FieldKind::kFirstName) && usable(FieldKind::kLastName);
  std::vector<LevelSpec> specs;
  for (FieldKind f : wanted) {
    if (!usable(f) || specs.size() == kMaxComparedFields) continue;
    bool duplicate = false;
    for (const LevelSpec& s : specs) duplicate |= s.field == f;
    if (duplicate) continue;
    LevelSpec spec{f,  std::string(FieldKindName(f)),   LevelNames(f, first_and_last),
                   -1, options.thresholds.name_jw_high, options.thresholds.name_jw_low};
    if (f == FieldKind::kStreet) spec.jw_high = options.thresholds.street_jw;
    if (f == FieldKind::kCity) spec.jw_high = options.thresholds.city_jw;
    if (IsNameField(f) || f == FieldKind::kStreet || f == FieldKind::kCity) spec.tf_level = 1;
    specs.push_back(std::move(spec));
  }
  return specs;
}

int ValueLevel(const LevelSpec& spec, std::string_view a, std::string_view b) {
  const std::vector<std::string>& names = spec.levels;
  const int else_level = static_cast<int>(names.size()) - 1;
  switch (spec.field) {
    case FieldKind::kFirstName:
    case FieldKind::kMiddleName:
    case FieldKind::kLastName:
    case FieldKind::kFullName: {
      // A surname kept as one part of a double-barrelled one is checked first: Jaro-Winkler would rate
      // "smith" / "smith jones" as merely similar.
      int part = Find(names, "surname_part");
      if (part >= 0 && SurnamePart(a, b)) return part;
      double jw = JaroWinkler(a, b);
      if (jw >= spec.jw_high) return LevelOr(names, "jw_high");
      if (jw >= spec.jw_low) return LevelOr(names, "jw_low");
      int nickname = Find(names, "nickname");
      if (nickname >= 0 && NicknameEquivalent(a, b)) return nickname;
      int initial = Find(names, "initial");
      if (initial >= 0 && InitialMatches(a, b)) return initial;
      return else_level;
    }
    case FieldKind::kDob:
      return DateLevel(a, b, names);
    case FieldKind::kSsn:
      if (IsAdjacentTransposition(a, b)) return LevelOr(names, "transposition");
      if (HammingDistance(a, b) == 1) return LevelOr(names, "one_digit");
      return else_level;
    case FieldKind::kPhone:
      if (HammingDistance(a, b) == 1) return LevelOr(names, "one_digit");
      return else_level;
    case FieldKind::kZip:
      if (a.size() >= 3 && b.size() >= 3 && a.substr(0, 3) == b.substr(0, 3)) return LevelOr(names, "first3");
      return else_level;
    case FieldKind::kStreet:
    case FieldKind::kCity:
      if (JaroWinkler(a, b) >= spec.jw_high) return LevelOr(names, "jw");
      return else_level;
    default:
      return else_level;
  }
}

PairComparer::~PairComparer() = default;

Result<std::unique_ptr<PairComparer>> PairComparer::Create(const PersonTable& left, const PersonTable* right,
                                                           std::vector<LevelSpec> specs) {
  if (specs.size() > kMaxComparedFields) {
    return Error(Status::InvalidArgument("at most 16 fields can be compared, got " + std::to_string(specs.size())));
  }
  for (const LevelSpec& s : specs) {
    if (!left.has(s.field) || (right != nullptr && !right->has(s.field))) {
      return Error(Status::InvalidArgument("field " + s.name + " is not present in both files"));
    }
    if (s.levels.size() < 2 || s.levels.size() > 15) {
      return Error(Status::InvalidArgument("comparison " + s.name + " needs between 2 and 15 levels"));
    }
  }
  std::unique_ptr<PairComparer> comparer(new PairComparer());
  comparer->columns_.resize(specs.size());
  auto names = std::make_shared<Dictionary>();

  // Encoding is a pass over each column; columns are independent except the shared name dictionary, so
  // name columns are encoded one after another and the rest in parallel.
  auto encode = [&](size_t c) {
    Column& col = comparer->columns_[c];
    FieldKind f = specs[c].field;
    bool shared_names = f == FieldKind::kFirstName || f == FieldKind::kMiddleName || f == FieldKind::kLastName;
    col.dictionary = shared_names ? names : std::make_shared<Dictionary>();
    col.memoise = IsNameField(f) || f == FieldKind::kStreet || f == FieldKind::kCity;
    auto encode_side = [&](const PersonTable& t, std::vector<uint32_t>* ids) {
      const matchguard::Column& values = t.field(f);
      ids->resize(t.size());
      for (size_t row = 0; row < t.size(); ++row) {
        uint32_t id = col.dictionary->Intern(values[row]);
        (*ids)[row] = id;
      }
    };
    encode_side(left, &col.left_ids);
    if (right != nullptr) encode_side(*right, &col.right_ids);
  };
  std::vector<size_t> parallel;
  for (size_t c = 0; c < specs.size(); ++c) {
    FieldKind f = specs[c].field;
    if (f == FieldKind::kFirstName || f == FieldKind::kMiddleName || f == FieldKind::kLastName) {
      encode(c);
    } else {
      parallel.push_back(c);
    }
  }
  tbb::parallel_for(size_t{0}, parallel.size(), [&](size_t i) { encode(parallel[i]); });
  // Term frequencies are per field (a first name's frequency among first names) even where the dictionary
  // is shared, so each column counts its own ids.
  tbb::parallel_for(size_t{0}, specs.size(), [&](size_t c) {
    Column& col = comparer->columns_[c];
    col.counts.assign(col.dictionary->size() + 1, 0);
    for (const std::vector<uint32_t>* ids : {&col.left_ids, &col.right_ids}) {
      for (uint32_t id : *ids) ++col.counts[id];
    }
    col.total = col.left_ids.size() + col.right_ids.size() - col.counts[0];
  });
  // Row-major copies: comparing a pair then touches one cache line per record instead of one per column.
  const size_t width = specs.size();
  comparer->width_ = width;
  comparer->left_rows_.resize(left.size() * width);
  comparer->right_rows_.resize(right != nullptr ? right->size() * width : 0);
  for (size_t c = 0; c < width; ++c) {
    Column& col = comparer->columns_[c];
    for (size_t row = 0; row < col.left_ids.size(); ++row) comparer->left_rows_[row * width + c] = col.left_ids[row];
    for (size_t row = 0; row < col.right_ids.size(); ++row) comparer->right_rows_[row * width + c] = col.right_ids[row];
    col.left_ids = std::vector<uint32_t>();
    col.right_ids = std::vector<uint32_t>();
  }
  for (size_t c = 0; c < specs.size(); ++c) {
    if (specs[c].field == FieldKind::kFirstName) comparer->first_c_ = static_cast<int>(c);
    if (specs[c].field == FieldKind::kLastName) comparer->last_c_ = static_cast<int>(c);
  }
  if (comparer->first_c_ >= 0 && comparer->last_c_ >= 0) {
    comparer->first_swapped_level_ = Find(specs[comparer->first_c_].levels, "swapped");
    comparer->last_swapped_level_ = Find(specs[comparer->last_c_].levels, "swapped");
  }
  comparer->specs_ = std::move(specs);
  return comparer;
}

int PairComparer::Level(size_t c, uint32_t a, uint32_t b, Cache* cache) const {
  if (a == 0 || b == 0) return 0;
  if (a == b) return 1;
  const Column& col = columns_[c];
  const LevelSpec& spec = specs_[c];
  if (!col.memoise || cache == nullptr) {
    return ValueLevel(spec, col.dictionary->value(a), col.dictionary->value(b));
  }
  uint64_t key = (uint64_t{a} << 32) | b;
  int level = cache->memos[c].Get(key);
  if (level < 0) {
    level = ValueLevel(spec, col.dictionary->value(a), col.dictionary->value(b));
    cache->memos[c].Put(key, level);
  }
  return level;
}

LevelPattern PairComparer::CompareWith(uint32_t l, uint32_t r, Cache* cache) const {
  const uint32_t* a = &left_rows_[static_cast<size_t>(l) * width_];
  const uint32_t* b = right_rows_.empty() ? &left_rows_[static_cast<size_t>(r) * width_]
                                          : &right_rows_[static_cast<size_t>(r) * width_];
  LevelPattern pattern = 0;
  for (size_t c = 0; c < width_; ++c) {
    pattern |= static_cast<LevelPattern>(Level(c, a[c], b[c], cache)) << (4 * c);
  }
  if (first_swapped_level_ >= 0) {
    // Swapped names only replace a weak first/last agreement: both must fail to be close as they stand.
    const int fc = first_c_, lc = last_c_;
    const int first_else = static_cast<int>(specs_[fc].levels.size()) - 1;
    const int last_else = static_cast<int>(specs_[lc].levels.size()) - 1;
    if (PatternLevel(pattern, fc) == first_else && PatternLevel(pattern, lc) == last_else && a[fc] == b[lc] &&
        a[lc] == b[fc]) {
      pattern &= ~((LevelPattern{0xF} << (4 * fc)) | (LevelPattern{0xF} << (4 * lc)));
      pattern |= (static_cast<LevelPattern>(first_swapped_level_) << (4 * fc)) |
                 (static_cast<LevelPattern>(last_swapped_level_) << (4 * lc));
    }
  }
  return pattern;
}

LevelPattern PairComparer::Compare(uint32_t l, uint32_t r) const { return CompareWith(l, r, nullptr); }

void PairComparer::ComparePairs(const uint32_t* left_rows, const uint32_t* right_rows, size_t n, LevelPattern* out,
                                bool memoise) const {
  if (!memoise) {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const tbb::blocked_range<size_t>& range) {
      for (size_t i = range.begin(); i < range.end(); ++i) out[i] = CompareWith(left_rows[i], right_rows[i], nullptr);
    });
    return;
  }
  tbb::enumerable_thread_specific<Cache> caches([&] {
    Cache cache;
    cache.memos.resize(specs_.size());
    return cache;
  });
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 14), [&](const tbb::blocked_range<size_t>& range) {
    Cache& cache = caches.local();
    for (size_t i = range.begin(); i < range.end(); ++i) out[i] = CompareWith(left_rows[i], right_rows[i], &cache);
  });
}

double PairComparer::LeftValueFrequency(size_t comparison, uint32_t l) const {
  const Column& col = columns_[comparison];
  uint32_t id = left_rows_[static_cast<size_t>(l) * width_ + comparison];
  if (id == 0 || col.total == 0) return 0.0;
  return static_cast<double>(col.counts[id]) / static_cast<double>(col.total);
}

size_t PairComparer::DistinctValues(size_t comparison) const { return columns_[comparison].dictionary->size(); }

}  // namespace matchguard
