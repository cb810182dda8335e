// blocklib's P-Sig blocking schema (type "p-sig", version 1), parsed and validated.
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

// Parses and validates a P-Sig schema; `source` names the file in messages.
Result<PsigSchema> ParsePsigSchema(std::string_view json_text, const std::string& source);

}  // namespace matchguard
