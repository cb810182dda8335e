// Encoding a whole table of records in parallel (TBB), one ClkEncoder::Worker per thread.
//
// Thread-safety: EncodeTable may be called concurrently on different outputs.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "src/encode/clk_encoder.h"
#include "src/encode/clk_file.h"
#include "src/io/table.h"

namespace matchguard {

struct RowError {
  size_t row = 0;
  FieldError error;
};

// Runs `body(begin, end)` over [0, n) in parallel on `threads` threads (0: all cores).
void ParallelRanges(int threads, size_t n, const std::function<void(size_t, size_t)>& body);

// Encodes every row of `table` (columns in schema feature order) into `clks`, row-aligned; rows that fail
// validation are left zero and returned, sorted by row. `salt_column`, when set, is the hardening salt.
// `salt_chars` > 0 keeps only that many leading bytes of the salt.
std::vector<RowError> EncodeTable(const ClkEncoder& encoder, const Table& table, int threads, ClkSet* clks,
                                  std::optional<size_t> salt_column = std::nullopt, size_t salt_chars = 0);

}  // namespace matchguard
