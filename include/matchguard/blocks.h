// P-Sig and lambda-fold blocking for privacy-preserving linkage: the public API behind `matchguard block`.
//
// BlockRecords reads a CSV of identifiers and a blocklib blocking schema (type "p-sig" or "lambda-fold",
// version 1) and writes a blocks file: per record its data row (the row of the encodings `matchguard encode` writes
// from the same CSV), its id and its block keys. Values are folded first (case, accents, punctuation,
// spacing) so both parties agree. Block keys are HMAC-SHA256 of blocklib's signatures under the shared
// secret, truncated to 64 bits (lambda-fold: of blocklib's group key "<group><sampled bits>", one per
// group, the bits sampled from a bigram Bloom filter of the features at blocklib's positions): unlike
// blocklib's unkeyed keys they cannot be tested against a dictionary of likely values by whoever holds the
// blocks. The file never holds values or signatures.
// The linkage unit joins two blocks files with `matchguard match --blocking psig --blocks L R`.
// Outputs are written atomically: a failed run leaves no output file.
//
// Thread-safety: each call is independent; calls may run concurrently on different outputs.
#pragma once

#include <cstdint>
#include <string>

#include "matchguard/encode.h"
#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

struct BlockOptions {
  std::string schema_path;  // blocklib blocking schema (JSON): p-sig or lambda-fold
  std::string input_path;   // CSV with a header
  std::string output_path;  // blocks file (JSON)
  SecretSource secret;      // the secret shared by the data owners (at least 16 bytes), never the linkage unit
  std::string id_column;    // written as each record's id; default: the schema's record-id-col, else column 0
  bool trim_spaces = true;  // strip spaces around unquoted CSV fields, as `encode` does by default
  // Fill each blocking feature with the normalised value of the person field it names (as `encode
  // --standardize` does: "dob" <- birth_date "04/10/1962" as "1962-04-10"), so parties with different
  // layouts share signatures. Features must then be named, not indexed.
  bool standardize = false;
};

struct BlockSummary {
  uint64_t records = 0;                 // data rows read (= rows of the encodings from the same CSV)
  uint64_t signatures = 0;              // signatures generated, before the filter (lambda-fold: group keys)
  uint64_t distinct_signatures = 0;     // distinct signatures (= blocks before the filter)
  uint64_t signatures_dropped = 0;      // distinct signatures the schema's filter dropped
  uint64_t blocks = 0;                  // blocks kept
  uint64_t keys = 0;                    // block keys written (record-block memberships)
  uint64_t records_without_blocks = 0;  // records left in no block (they can never be linked)
  uint64_t largest_block = 0;           // records in the largest block kept
  double seconds = 0;
};

Result<BlockSummary> BlockRecords(FileSystem& fs, const BlockOptions& options);

}  // namespace matchguard
