// P-Sig blocking for privacy-preserving linkage (blocklib's p-sig, with keyed block keys).
//
// Data-owner side: every record gets one signature per strategy of the schema (psig_schema.h), built from
// its folded values (FoldText: case, accents, punctuation, spacing) exactly as blocklib builds them
// ("<strategy index>_<part>_<part>"); a strategy with a missing value (empty, or the schema's
// null-sentinel) gives no signature. Signatures held by too many or too few of the owner's records are
// dropped (the schema's ratio or count filter, applied per party as blocklib does). What leaves the owner
// is not the signature but its block key: HMAC-SHA256 under the shared secret, truncated to 64 bits.
// DEVIATION FROM blocklib, on purpose: blocklib's keys are unkeyed Bloom-filter positions of the
// signature, so whoever holds the blocks can hash every likely signature (all surnames, all dates of
// birth) and read the records' values back; without the secret the HMAC keys cannot be tested that way.
//
// Linkage-unit side: two blocks files are joined on their keys: the candidate pairs are the (left row,
// right row) pairs sharing a key, found by sorting (key, row) vectors and merging them, so memory grows
// with the number of keys and pairs, never with |left| x |right|. A block whose pair count exceeds a limit
// is an error that says which filter to tighten, rather than a run that exhausts memory.
//
// Blocks file (JSON, one record per line): {"format": "matchguard-psig-blocks", "version": 1,
// "schema_sha256", "key_check" (an HMAC of a fixed label, so files made under different secrets are told
// apart without revealing the secret), "records", "signatures", "signatures_dropped",
// "records_without_blocks", "largest_block", "rows": [{"row": 0, "id": "...", "keys": ["16 hex digits",
// ...]}, ...]}. It never holds values or signatures.
//
// Thread-safety: pure functions (BuildPsigBlocks and JoinPsigBlocks use oneTBB inside). A PsigKeyer
// belongs to one thread; Clone it for another.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/block/psig_schema.h"

namespace matchguard {

class Table;

// blocklib's characters-at on one value (Python indexing over code points: an index past the end takes
// the last character, a negative one counts from the end; slices are clamped as blocklib clamps them).
std::string PsigCharactersAt(std::string_view value, const std::vector<PsigPosition>& positions);

// The part one spec contributes to a signature, from the feature's folded value (not empty).
std::string PsigSpecPart(const PsigSpec& spec, std::string_view folded_value);

// HMAC-SHA256 block keys under the shared secret, truncated to 64 bits (big-endian first 8 bytes).
class PsigKeyer {
 public:
  static Result<PsigKeyer> Create(std::string_view secret);
  PsigKeyer(PsigKeyer&&) noexcept;
  PsigKeyer& operator=(PsigKeyer&&) noexcept;
  ~PsigKeyer();
  Result<PsigKeyer> Clone() const;

  // The key of a signature (domain-separated from other uses of the same secret).
  uint64_t Key(std::string_view signature);
  // The key of a lambda-fold group's block key string "<group><bits>" (lambda_fold.h), kept apart from P-Sig's.
  uint64_t LambdaFoldKey(std::string_view block_key);
  // The key of a fixed label, written to blocks files so the linkage unit can tell secrets apart.
  uint64_t KeyCheck();

 private:
  struct Impl;
  explicit PsigKeyer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct PsigBuildOptions {
  size_t id_column = 0;  // written as each record's id
  std::string source;    // the CSV's name, for messages
};

// One owner's blocks: record r's keys are keys[offsets[r] .. offsets[r + 1]).
struct PsigBlocks {
  std::string schema_sha256;
  uint64_t key_check = 0;
  std::vector<std::string> ids;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> keys;
  uint64_t signatures = 0;              // signatures generated (before the filter)
  uint64_t distinct_signatures = 0;     // distinct ones
  uint64_t signatures_dropped = 0;      // distinct signatures the filter dropped
  uint64_t records_without_blocks = 0;  // records left in no block
  uint64_t largest_block = 0;           // records in the largest block kept
  size_t records() const { return ids.size(); }
};

// Blocks for the rows of `table` with no keys yet: the schema's hash, the key check, each row's id, offsets {0}.
Result<PsigBlocks> StartPsigBlocks(const Table& table, size_t id_column, const std::string& schema_sha256,
                                   const PsigKeyer& keyer);

// Signatures and keys for every row of `table`. Fails when a feature names no column of the table.
Result<PsigBlocks> BuildPsigBlocks(const Table& table, const PsigSchema& schema, const PsigKeyer& keyer,
                                   const PsigBuildOptions& options);

// Writes `blocks` as a blocks file through an AtomicFile (nothing is left on failure).
Status WritePsigBlocks(FileSystem& fs, const std::string& path, const PsigBlocks& blocks);

// A blocks file as the linkage unit needs it: (key, row) entries and the metadata to check.
struct PsigKeyRow {
  uint64_t key;
  uint32_t row;
};
struct PsigBlocksFile {
  std::string schema_sha256;
  uint64_t key_check = 0;
  uint64_t records = 0;
  std::vector<PsigKeyRow> entries;
  std::vector<std::string> ids;  // each row's id, only when read with_ids
};
Result<PsigBlocksFile> ParsePsigBlocks(std::string_view text, const std::string& source, bool with_ids = false);

struct PsigJoinLimits {
  uint64_t max_block_pairs = 100'000'000;  // one shared block may give at most this many pairs
  uint64_t max_pairs = 500'000'000;        // pairs before removing duplicates (8 bytes each)
};

// Pairs (left row, right row) that share at least one block: sorted by left then right, no duplicates.
struct PsigPairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
  uint64_t shared_blocks = 0;  // blocks present on both sides
};

// Joins two parsed blocks files (entries are sorted in place). `left_source`/`right_source` name them.
Result<PsigPairs> JoinPsigBlocks(PsigBlocksFile& left, PsigBlocksFile& right, const std::string& left_source,
                                 const std::string& right_source, const PsigJoinLimits& limits = {});

// Reads two blocks files (written by `matchguard block`) for encodings of left_rows and right_rows
// records and returns the pairs sharing a block. A file whose record count differs from its encodings',
// files made under different schemas or secrets, and pathological blocks are errors naming the file.
Result<PsigPairs> PsigCandidatePairs(FileSystem& fs, const std::string& left_blocks, const std::string& right_blocks,
                                     size_t left_rows, size_t right_rows);

// The encodings a blocks file must describe: their row count and, when they carry ids (id,clk CSV), the
// ids in row order, which must then equal the blocks file's row by row (a blocks file made from the same
// records in another order would otherwise pair the wrong rows without any error).
struct PsigEncodings {
  size_t rows = 0;
  const std::vector<std::string>* ids = nullptr;  // null or empty: not checked
};
Result<PsigPairs> PsigCandidatePairs(FileSystem& fs, const std::string& left_blocks, const std::string& right_blocks,
                                     const PsigEncodings& left, const PsigEncodings& right,
                                     const PsigJoinLimits& limits = {});

}  // namespace matchguard
