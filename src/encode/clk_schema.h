// The clkhash linkage schema, version 3: how each feature (column) is validated, formatted, tokenised
// and hashed into a CLK. ParseClkSchema checks a schema the way clkhash's master schema (v3.json) does,
// and additionally rejects what clkhash would only fail on while encoding (a bad regular expression or
// date format, blakeHash with a non-power-of-two length, a key too long for BLAKE2b).
//
// Spec notes: `clkConfig.xorFolds` is the spec's key; clkhash 0.18.3 reads `xor_folds` instead, so either
// is accepted and both must agree when both are present. Versions 1 and 2 are refused (convert them with
// clkhash's `upgrade` command first).
//
// Thread-safety: a parsed ClkSchema is immutable and may be shared between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
// GCC 12 under ASan reports -Wmaybe-uninitialized inside libstdc++'s <regex> (a false positive in
// std::function); the pragma covers the header's own code only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <regex>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/encode/python_date.h"

namespace matchguard {

enum class FeatureType : uint8_t { kIgnored, kString, kInteger, kDate, kEnum };
enum class TextEncoding : uint8_t { kUtf8, kAscii, kUtf16, kUtf32 };
enum class LetterCase : uint8_t { kMixed, kLower, kUpper };
enum class ComparisonType : uint8_t { kNgram, kExact, kNumeric };
enum class ClkHashType : uint8_t { kBlake, kDouble };

struct FeatureSpec {
  std::string identifier;
  FeatureType type = FeatureType::kIgnored;

  // string
  TextEncoding encoding = TextEncoding::kUtf8;
  LetterCase letter_case = LetterCase::kMixed;
  int64_t min_length = 0;
  std::optional<int64_t> max_length;
  std::optional<std::string> pattern;
  std::shared_ptr<const std::regex> regex;
  // integer
  std::optional<int64_t> minimum;
  std::optional<int64_t> maximum;
  // date
  std::string date_format;
  std::shared_ptr<const PythonDateFormat> date;
  // enum (sorted, unique)
  std::vector<std::string> enum_values;

  // hashing
  ComparisonType comparison = ComparisonType::kNgram;
  int ngram_n = 2;
  bool positional = false;
  double threshold_distance = 0;
  int64_t resolution = 0;
  int fractional_precision = 0;
  bool bits_per_feature = false;  // strategy: false = bitsPerToken, true = bitsPerFeature
  int64_t strategy_bits = 0;      // the strategy's value
  ClkHashType hash = ClkHashType::kBlake;
  bool prevent_singularity = false;
  std::optional<std::string> missing_sentinel;
  std::string missing_replacement;  // what a sentinel is replaced with (the sentinel itself by default)

  bool hashed() const { return type != FeatureType::kIgnored; }
};

struct ClkSchema {
  uint32_t l = 0;          // CLK length in bits after folding
  uint32_t xor_folds = 0;  // hashing happens in l * 2^xor_folds bits
  bool kdf_sha512 = false; // HKDF hash: SHA256 (default) or SHA512
  std::optional<std::string> kdf_salt;  // decoded bytes
  std::optional<std::string> kdf_info;  // decoded bytes
  uint32_t key_size = 64;
  std::vector<FeatureSpec> features;

  uint32_t hash_bits() const { return l << xor_folds; }
  std::vector<std::string> Identifiers() const;
};

// Parses and checks schema JSON; `source` names the file in messages, which also name the feature index
// and identifier and the offending key.
Result<ClkSchema> ParseClkSchema(std::string_view json_text, const std::string& source);

}  // namespace matchguard
