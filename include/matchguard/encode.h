// Privacy-preserving encodings: the public API behind `matchguard encode` and `matchguard tokens`.
//
// EncodeRecords turns a CSV of identifiers into CLKs (Bloom-filter encodings) under a clkhash linkage
// schema (version 3) and a shared secret, bit for bit as clkhash 0.18.3 does unless a hardening option is
// chosen. GenerateTokens produces OpenToken's T1..T5 tokens and metadata. Secrets come from a file or an
// environment variable only; they are wiped after use and never appear in outputs or messages. Outputs are
// written atomically: a failed run leaves no output file.
//
// Thread-safety: each call is independent; calls may run concurrently on different outputs.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

// Where a secret comes from: exactly one of the two must be set.
struct SecretSource {
  std::string file;      // path of a file holding the secret (one trailing newline is ignored)
  std::string env_name;  // name of an environment variable holding it
};

enum class OnValueError : uint8_t {
  kFail,  // stop at the first value that breaks its feature's format (exit 2, no output)
  kSkip,  // leave that record out and list it (row, line, field, problem; never the value) in a report
};

struct EncodeOptions {
  std::string schema_path;
  std::string input_path;
  std::string output_path;
  std::string format = "clkhash-json";  // clkhash-json | csv | binary
  SecretSource secret;
  OnValueError on_error = OnValueError::kFail;
  std::string skip_report_path;  // default: <output_path>.skipped.csv (only written with kSkip)
  bool trim_spaces = true;       // strip spaces around unquoted CSV fields (FEBRL writes "a, b")
  std::string id_column;         // the id written with --format csv; default: the first column
  // Standardise before encoding (docs/encodings.md): each schema feature is filled with the normalised
  // value of the input column holding the same person field (detected by synonyms, any column order), so
  // parties with different layouts and spellings get comparable encodings. Breaks bit-compatibility with
  // clkhash run on the raw file (not with clkhash run on the standardised values).
  bool standardize = false;
  int threads = 0;               // 0: all cores

  // Field-level Bloom filters: also write one file per hashed feature, <output_path>.<identifier>, in
  // `format`. Each filter has the schema's l bits unless `field_bits` names another length.
  bool field_level = false;
  std::vector<std::pair<std::string, uint32_t>> field_bits;

  // Hardening (each breaks clkhash compatibility; see docs/encodings.md).
  std::string salt_column;  // per-record salt taken from this column
  size_t salt_chars = 0;    // use only the first N bytes of the salt column (4: year of a YYYYMMDD date)
  bool balanced = false;    // balanced Bloom filters (2l bits, exactly l set)
  double blip_epsilon = 0;  // > 0: randomised bit flipping with this epsilon
  uint64_t blip_seed = 0;   // 0: a fresh random seed per run
};

struct EncodeSummary {
  size_t records = 0;   // data rows read
  size_t encoded = 0;   // encodings written
  size_t skipped = 0;   // rows left out under OnValueError::kSkip
  uint32_t bits = 0;    // bits per written encoding
  std::vector<std::string> outputs;  // files written
  double seconds = 0;   // encoding time (excluding reading and writing)
};

Result<EncodeSummary> EncodeRecords(FileSystem& fs, const EncodeOptions& options);

struct TokensOptions {
  std::string input_path;
  std::string output_path;  // the tokens CSV: RuleId,Token,RecordId
  SecretSource hashing_secret;
  bool encrypt = false;     // seal tokens with AES-256-GCM under `encryption_key` (exactly 32 bytes)
  SecretSource encryption_key;
  int threads = 0;
};

struct TokensSummary {
  size_t rows = 0;
  size_t token_rows = 0;
  size_t rows_with_invalid_attributes = 0;  // OpenToken's sum of per-type counts
  std::string metadata_path;                // <output dir>/<output stem>.metadata.json
};

Result<TokensSummary> GenerateTokens(FileSystem& fs, const TokensOptions& options);

}  // namespace matchguard
