// P-Sig blocking for privacy-preserving linkage (blocklib's p-sig, with keyed signatures).
//
// STUB: the P-Sig engineer replaces this header and src/block/psig.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

// Pairs (left row, right row) that share at least one block: sorted by left then right, no duplicates.
struct PsigPairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
  uint64_t shared_blocks = 0;  // blocks present on both sides
};

// Reads two blocks files (written by `matchguard block`) for encodings of left_rows and right_rows
// records and returns the pairs sharing a block. Errors name the file.
Result<PsigPairs> PsigCandidatePairs(FileSystem& fs, const std::string& left_blocks, const std::string& right_blocks,
                                     size_t left_rows, size_t right_rows);

}  // namespace matchguard
