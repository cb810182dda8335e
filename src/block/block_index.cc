#include "src/block/block_index.h"

#include "src/core/hash.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "src/compare/phonetic.h"

namespace matchguard::block_internal {
namespace {

constexpr char kPartSeparator = '\x1f';

// Number of bytes in the first `n` UTF-8 characters of s (continuation bytes belong to the character
// before them).
size_t PrefixBytes(std::string_view s, int n) {
  size_t i = 0;
  for (int k = 0; k < n && i < s.size(); ++k) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// Byte offset where the last `n` UTF-8 characters of s start.
size_t SuffixStart(std::string_view s, int n) {
  size_t i = s.size();
  for (int k = 0; k < n && i > 0; ++k) {
    --i;
    while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  }
  return i;
}

bool AppendPart(std::string_view value, const KeyPart& part, std::string* key) {
  if (value.empty()) return false;
  switch (part.transform) {
    case KeyTransform::kExact:
      key->append(value);
      return true;
    case KeyTransform::kFirstChar:
      key->append(value.substr(0, PrefixBytes(value, 1)));
      return true;
    case KeyTransform::kFirstN:
      key->append(value.substr(0, PrefixBytes(value, part.n)));
      return true;
    case KeyTransform::kLastN:
      key->append(value.substr(SuffixStart(value, part.n)));
      return true;
    case KeyTransform::kYear: {
      if (value.size() < 4) return false;
      for (size_t i = 0; i < 4; ++i) {
        if (value[i] < '0' || value[i] > '9') return false;
      }
      key->append(value.substr(0, 4));
      return true;
    }
    case KeyTransform::kSoundex: {
      const std::string code = Soundex(value);
      key->append(code);
      return !code.empty();
    }
    case KeyTransform::kNysiis: {
      const std::string code = Nysiis(value);
      key->append(code);
      return !code.empty();
    }
  }
  return false;
}

uint64_t HashKey(std::string_view key) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ key.size();
  size_t i = 0;
  for (; i + 8 <= key.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, key.data() + i, 8);
    h = Mix64(h ^ w) + 0x2545F4914F6CDD1DULL;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, key.data() + i, key.size() - i);
  return Mix64(h ^ tail ^ (uint64_t{key.size() - i} << 56));
}

struct Entry {
  uint64_t hash;
  uint32_t row;
};

// Rows that have a key, sorted by (hash, key, row), with the start of each run of equal keys.
struct Groups {
  std::vector<Entry> entries;
  std::vector<uint32_t> starts;  // plus entries.size() at the end
};

Groups GroupByKey(const std::vector<std::string>& keys) {
  const bool zero = HashZeroForced();
  Groups g;
  g.entries.reserve(keys.size());
  for (uint32_t row = 0; row < keys.size(); ++row) {
    if (keys[row].empty()) continue;
    g.entries.push_back({zero ? uint64_t{0} : HashKey(keys[row]), row});
  }
  tbb::parallel_sort(g.entries.begin(), g.entries.end(), [](const Entry& a, const Entry& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.row < b.row;
  });
  const size_t n = g.entries.size();
  for (size_t begin = 0; begin < n;) {
    size_t end = begin + 1;
    bool collision = false;
    const std::string& first = keys[g.entries[begin].row];
    while (end < n && g.entries[end].hash == g.entries[begin].hash) {
      collision = collision || keys[g.entries[end].row] != first;
      ++end;
    }
    if (collision) {
      std::sort(g.entries.begin() + static_cast<ptrdiff_t>(begin), g.entries.begin() + static_cast<ptrdiff_t>(end),
                [&keys](const Entry& a, const Entry& b) {
                  const int c = keys[a.row].compare(keys[b.row]);
                  return c != 0 ? c < 0 : a.row < b.row;
                });
    }
    for (size_t i = begin; i < end; ++i) {
      if (i == begin || (collision && keys[g.entries[i].row] != keys[g.entries[i - 1].row])) {
        g.starts.push_back(static_cast<uint32_t>(i));
      }
    }
    begin = end;
  }
  g.starts.push_back(static_cast<uint32_t>(n));
  return g;
}

RuleIndex BuildDedupe(const FieldColumns& table, const BlockingRule& rule) {
  const std::vector<std::string> keys = ComputeKeys(table, rule);
  const Groups g = GroupByKey(keys);
  RuleIndex index;
  index.dedupe = true;
  index.left_block.assign(table.rows, kNoBlock);
  index.right_starts.push_back(0);
  for (size_t k = 0; k + 1 < g.starts.size(); ++k) {
    const uint32_t begin = g.starts[k];
    const uint32_t end = g.starts[k + 1];
    if (end - begin < 2) continue;  // a single row makes no pair
    const auto block = static_cast<uint32_t>(index.num_blocks());
    for (uint32_t i = begin; i < end; ++i) {
      index.left_block[g.entries[i].row] = block;
      index.right_rows.push_back(g.entries[i].row);
    }
    index.right_starts.push_back(static_cast<uint32_t>(index.right_rows.size()));
  }
  return index;
}

RuleIndex BuildLinkage(const FieldColumns& left, const FieldColumns& right, const BlockingRule& rule) {
  const std::vector<std::string> left_keys = ComputeKeys(left, rule);
  const std::vector<std::string> right_keys = ComputeKeys(right, rule);
  const Groups lg = GroupByKey(left_keys);
  const Groups rg = GroupByKey(right_keys);
  RuleIndex index;
  index.left_block.assign(left.rows, kNoBlock);
  index.right_block.assign(right.rows, kNoBlock);
  index.right_starts.push_back(0);
  // Merge the two sorted lists of groups on (hash, key).
  size_t i = 0;
  size_t j = 0;
  while (i + 1 < lg.starts.size() && j + 1 < rg.starts.size()) {
    const Entry& a = lg.entries[lg.starts[i]];
    const Entry& b = rg.entries[rg.starts[j]];
    int c = a.hash < b.hash ? -1 : (a.hash > b.hash ? 1 : 0);
    if (c == 0) c = left_keys[a.row].compare(right_keys[b.row]);
    if (c < 0) {
      ++i;
      continue;
    }
    if (c > 0) {
      ++j;
      continue;
    }
    const auto block = static_cast<uint32_t>(index.num_blocks());
    for (uint32_t p = lg.starts[i]; p < lg.starts[i + 1]; ++p) index.left_block[lg.entries[p].row] = block;
    for (uint32_t p = rg.starts[j]; p < rg.starts[j + 1]; ++p) {
      index.right_block[rg.entries[p].row] = block;
      index.right_rows.push_back(rg.entries[p].row);
    }
    index.right_starts.push_back(static_cast<uint32_t>(index.right_rows.size()));
    index.left_sizes.push_back(lg.starts[i + 1] - lg.starts[i]);
    ++i;
    ++j;
  }
  return index;
}

}  // namespace

bool HashZeroForced() {
  const char* v = std::getenv("MATCHGUARD_BLOCK_HASH_ZERO");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

namespace {

// Writes row's key under `rule` into *key; false when the row has no key.
bool RowKey(const std::vector<const Column*>& columns, const BlockingRule& rule, size_t row, std::string* key) {
  key->clear();
  for (size_t p = 0; p < rule.parts.size(); ++p) {
    if (p > 0) key->push_back(kPartSeparator);
    if (columns[p] == nullptr || !AppendPart((*columns[p])[row], rule.parts[p], key)) return false;
  }
  return !rule.parts.empty();
}

std::vector<const Column*> RuleColumns(const FieldColumns& table, const BlockingRule& rule) {
  std::vector<const Column*> columns;
  for (const KeyPart& part : rule.parts) columns.push_back(table.column(part.field));
  return columns;
}

}  // namespace

std::vector<std::string> ComputeKeys(const FieldColumns& table, const BlockingRule& rule) {
  std::vector<std::string> keys(table.rows);
  const std::vector<const Column*> columns = RuleColumns(table, rule);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, table.rows, 4096), [&](const tbb::blocked_range<size_t>& range) {
    std::string key;
    for (size_t row = range.begin(); row != range.end(); ++row) {
      if (RowKey(columns, rule, row, &key)) keys[row] = key;
    }
  });
  return keys;
}

std::optional<FieldKind> MissingField(const FieldColumns& table, const BlockingRule& rule) {
  for (const KeyPart& part : rule.parts) {
    if (table.column(part.field) == nullptr) return part.field;
  }
  return std::nullopt;
}

RuleIndex BuildRuleIndex(const FieldColumns& left, const FieldColumns* right, const BlockingRule& rule) {
  return right == nullptr ? BuildDedupe(left, rule) : BuildLinkage(left, *right, rule);
}

}  // namespace matchguard::block_internal

namespace matchguard {

std::string BlockingKey(const FieldColumns& table, const BlockingRule& rule, size_t row) {
  std::string key;
  if (!block_internal::RowKey(block_internal::RuleColumns(table, rule), rule, row, &key)) key.clear();
  return key;
}

}  // namespace matchguard
