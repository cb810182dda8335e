// blocklib's blocking schemas, parsed and validated: P-Sig (type "p-sig", version 1) and lambda-fold (type
// "lambda-fold", version 1; see lambda_fold.h).
//
// The schema names the blocking features, the signature strategies (each a list of specs combined with
// AND; a record gets one signature per strategy, so strategies combine with OR), the frequency filter,
// and blocklib's "blocking-filter" (Bloom-filter block keys), which is validated for compatibility but not
// used: matchguard keys blocks with HMAC-SHA256 under a shared secret instead (see psig.h).
//
// Errors name the schema file and the JSON path ("schema.json: config.signatureSpecs[1][0].type: ...").
//
// Thread-safety: pure functions; a PsigSchema is an immutable value once parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "matchguard/status.h"

namespace matchguard {

// A column named by header name or by 0-based index (blocklib accepts both).
struct PsigFeatureRef {
  std::string name;  // empty when given by index
  int64_t index = -1;
  std::string Label() const { return name.empty() ? "column " + std::to_string(index) : "'" + name + "'"; }
  bool operator==(const PsigFeatureRef& o) const { return name == o.name && index == o.index; }
};

// One entry of characters-at's "pos": an index (Python semantics, negative counts from the end) or a
// slice "a:b", ":b", "a:".
struct PsigPosition {
  bool slice = false;
  std::optional<int64_t> start;  // the index when !slice
  std::optional<int64_t> end;
};

enum class PsigStrategy : uint8_t { kFeatureValue, kCharactersAt, kMetaphone };

struct PsigSpec {
  PsigStrategy strategy = PsigStrategy::kFeatureValue;
  PsigFeatureRef feature;
  std::vector<PsigPosition> positions;  // characters-at only
};

struct PsigFilter {
  bool ratio = true;  // "ratio": bounds are fractions of the record count; "count": absolute counts
  double min = 0.0;
  double max = 1.0;
};

struct PsigSchema {
  std::vector<PsigFeatureRef> blocking_features;
  std::vector<std::vector<PsigSpec>> strategies;  // signatureSpecs
  PsigFilter filter;
  std::string null_sentinel;             // besides the empty value, which is always missing
  std::optional<int64_t> record_id_col;  // blocklib's "record-id-col"
  std::string sha256;                    // of the schema as parsed (whitespace and key order do not matter)
};

// blocklib's lambda-fold schema: {"blocking-features", "Lambda", "bf-len", "num-hash-funcs", "K",
// "random_state", "input-clks", "record-id-col", "null-sentinel"}.
struct LambdaFoldSchema {
  std::vector<PsigFeatureRef> blocking_features;  // with input_clks: exactly one, the base64 CLK column
  int64_t lambda = 0;                             // groups (blocklib's "Lambda")
  int64_t bf_len = 0;                             // bits of each record's Bloom filter
  int64_t num_hash_funcs = 0;                     // bits set per bigram
  int64_t k = 0;                                  // bit positions sampled per group (blocklib's "K"), at most bf_len
  uint64_t random_state = 0;                      // |seed| (Python's random.seed seeds with the absolute value)
  bool input_clks = false;
  std::string null_sentinel;
  std::optional<int64_t> record_id_col;
  std::string sha256;
};

using BlockingSchema = std::variant<PsigSchema, LambdaFoldSchema>;

// Parses and validates a P-Sig or lambda-fold schema; `source` names the file in messages.
Result<BlockingSchema> ParseBlockingSchema(std::string_view json_text, const std::string& source);

// The same, accepting only a P-Sig schema.
Result<PsigSchema> ParsePsigSchema(std::string_view json_text, const std::string& source);

}  // namespace matchguard
