// Internal to the block layer: the per-rule index that both PlanBlocking and GenerateCandidates use.
//
// For one rule, rows of each side are grouped into blocks of equal key. Only blocks that can produce a
// pair are kept (present on both sides, or holding two or more rows for dedupe) and numbered 0..B-1.
// Keys are hashed to 64 bits and grouped by sorting (hash, row); a hash shared by different keys (a
// collision, or every key under MATCHGUARD_BLOCK_HASH_ZERO=1) is split by comparing the key strings, so
// blocks always hold exactly equal keys.
//
// Thread-safety: built once, then read-only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/block/blocking.h"

namespace matchguard::block_internal {

inline constexpr uint32_t kNoBlock = 0xFFFFFFFFu;

struct RuleIndex {
  bool dedupe = false;
  std::vector<uint32_t> left_block;   // per left row: block id, or kNoBlock
  std::vector<uint32_t> right_block;  // per right row (dedupe: empty, use left_block)
  std::vector<uint32_t> right_rows;   // right rows (dedupe: the rows) grouped by block, ascending in a block
  std::vector<uint32_t> right_starts; // block b's rows: right_rows[right_starts[b] .. right_starts[b + 1])
  std::vector<uint32_t> left_sizes;   // block b's number of left rows (bipartite only)

  size_t num_blocks() const { return right_starts.empty() ? 0 : right_starts.size() - 1; }
  uint32_t BlockOfRight(uint32_t row) const { return dedupe ? left_block[row] : right_block[row]; }
  // Pairs in block b.
  uint64_t BlockPairs(size_t b) const {
    const uint64_t n_right = right_starts[b + 1] - right_starts[b];
    return dedupe ? n_right * (n_right - 1) / 2 : n_right * left_sizes[b];
  }
};

// The key of every row under `rule` ("" = no key). Parallel over rows.
std::vector<std::string> ComputeKeys(const FieldColumns& table, const BlockingRule& rule);

// REQUIRES: both tables have every field the rule reads and fewer than 2^32-1 rows.
RuleIndex BuildRuleIndex(const FieldColumns& left, const FieldColumns* right, const BlockingRule& rule);

// The first field of `rule` that `table` lacks, if any.
std::optional<FieldKind> MissingField(const FieldColumns& table, const BlockingRule& rule);

// True when MATCHGUARD_BLOCK_HASH_ZERO=1 (read on every call, so tests may set it at run time).
bool HashZeroForced();

}  // namespace matchguard::block_internal
