#include "src/encode/clk_schema.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "src/encode/clk_file.h"

namespace matchguard {
namespace {

using Json = nlohmann::json;

constexpr uint32_t kMaxHashBits = 1u << 24;  // bounds memory for hostile schemas
constexpr size_t kMaxPatternLength = 1000;

// Builds messages of the form "<source>: features[3] 'surname': hashing.strategy: ...".
class Context {
 public:
  Context(const std::string& source, std::string where) : source_(source), where_(std::move(where)) {}
  Context Child(const std::string& name) const { return Context(source_, where_.empty() ? name : where_ + "." + name); }
  Status Fail(const std::string& key, const std::string& what) const {
    std::string at = where_.empty() ? key : (key.empty() ? where_ : where_ + ": " + key);
    return Status::InvalidArgument(source_ + ": " + (at.empty() ? "" : at + ": ") + what);
  }

 private:
  const std::string& source_;
  std::string where_;
};

std::string TypeName(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_array()) return "an array";
  return "an object";
}

Status CheckKeys(const Json& obj, const Context& ctx, const std::string& what,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& item : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ctx.Fail(what, "unknown key '" + item.key() + "' (allowed: " + list + ")");
    }
  }
  return Status::Ok();
}

Result<const Json*> GetObject(const Json& parent, const char* key, const Context& ctx, bool required) {
  auto it = parent.find(key);
  if (it == parent.end()) {
    if (required) return Error(ctx.Fail("", std::string("missing required key '") + key + "'"));
    return static_cast<const Json*>(nullptr);
  }
  if (!it->is_object()) return Error(ctx.Fail(key, "expected an object, found " + TypeName(*it)));
  return &*it;
}

Result<std::optional<std::string>> GetString(const Json& parent, const char* key, const Context& ctx,
                                             bool required) {
  auto it = parent.find(key);
  if (it == parent.end()) {
    if (required) return Error(ctx.Fail("", std::string("missing required key '") + key + "'"));
    return std::optional<std::string>();
  }
  if (!it->is_string()) return Error(ctx.Fail(key, "expected a string, found " + TypeName(*it)));
  return std::optional<std::string>(it->get<std::string>());
}

// JSON Schema's "integer" accepts 3.0 as well as 3.
Result<std::optional<int64_t>> GetInt(const Json& parent, const char* key, const Context& ctx, bool required,
                                      int64_t min, int64_t max) {
  auto it = parent.find(key);
  if (it == parent.end()) {
    if (required) return Error(ctx.Fail("", std::string("missing required key '") + key + "'"));
    return std::optional<int64_t>();
  }
  int64_t v = 0;
  if (it->is_number_integer()) {
    if (it->is_number_unsigned() && it->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
      return Error(ctx.Fail(key, "integer out of range"));
    }
    v = it->get<int64_t>();
  } else if (it->is_number_float()) {
    double d = it->get<double>();
    if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) > 9.0e18) {
      return Error(ctx.Fail(key, "expected an integer"));
    }
    v = static_cast<int64_t>(d);
  } else {
    return Error(ctx.Fail(key, "expected an integer, found " + TypeName(*it)));
  }
  if (v < min || v > max) {
    return Error(ctx.Fail(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                                   ", found " + std::to_string(v)));
  }
  return std::optional<int64_t>(v);
}

Result<std::optional<bool>> GetBool(const Json& parent, const char* key, const Context& ctx) {
  auto it = parent.find(key);
  if (it == parent.end()) return std::optional<bool>();
  if (!it->is_boolean()) return Error(ctx.Fail(key, "expected true or false, found " + TypeName(*it)));
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<std::string>> GetBase64(const Json& parent, const char* key, const Context& ctx) {
  MG_ASSIGN_OR_RETURN(std::optional<std::string> text, GetString(parent, key, ctx, false));
  if (!text) return text;
  std::vector<uint8_t> bytes;
  if (!Base64Decode(*text, &bytes)) return Error(ctx.Fail(key, "expected standard base64"));
  return std::optional<std::string>(std::string(bytes.begin(), bytes.end()));
}

Status ParseKdf(const Json& kdf, const Context& ctx, ClkSchema* schema) {
  MG_RETURN_IF_ERROR(CheckKeys(kdf, ctx, "", {"type", "hash", "salt", "info", "keySize"}));
  MG_ASSIGN_OR_RETURN(auto type, GetString(kdf, "type", ctx, true));
  if (*type != "HKDF") return ctx.Fail("type", "unsupported key derivation '" + *type + "' (expected HKDF)");
  MG_ASSIGN_OR_RETURN(auto hash, GetString(kdf, "hash", ctx, false));
  if (hash && *hash != "SHA256" && *hash != "SHA512") {
    return ctx.Fail("hash", "unsupported HKDF hash '" + *hash + "' (expected SHA256 or SHA512)");
  }
  schema->kdf_sha512 = hash && *hash == "SHA512";
  MG_ASSIGN_OR_RETURN(schema->kdf_salt, GetBase64(kdf, "salt", ctx));
  MG_ASSIGN_OR_RETURN(schema->kdf_info, GetBase64(kdf, "info", ctx));
  MG_ASSIGN_OR_RETURN(auto key_size, GetInt(kdf, "keySize", ctx, false, 1, 1024));
  schema->key_size = static_cast<uint32_t>(key_size.value_or(64));
  return Status::Ok();
}

Status ParseClkConfig(const Json& config, const Context& ctx, ClkSchema* schema) {
  MG_ASSIGN_OR_RETURN(auto l, GetInt(config, "l", ctx, true, 1, kMaxHashBits));
  if (*l % 8 != 0) return ctx.Fail("l", "matchguard needs a CLK length that is a multiple of 8 bits");
  schema->l = static_cast<uint32_t>(*l);
  MG_ASSIGN_OR_RETURN(auto folds, GetInt(config, "xorFolds", ctx, false, 0, 24));
  MG_ASSIGN_OR_RETURN(auto legacy_folds, GetInt(config, "xor_folds", ctx, false, 0, 24));
  if (folds && legacy_folds && *folds != *legacy_folds) {
    return ctx.Fail("xorFolds", "disagrees with 'xor_folds' (clkhash 0.18.3 reads only 'xor_folds')");
  }
  schema->xor_folds = static_cast<uint32_t>(folds ? *folds : legacy_folds.value_or(0));
  if ((static_cast<uint64_t>(schema->l) << schema->xor_folds) > kMaxHashBits) {
    return ctx.Fail("xorFolds", "l * 2^xorFolds exceeds " + std::to_string(kMaxHashBits) + " bits");
  }
  MG_ASSIGN_OR_RETURN(const Json* kdf, GetObject(config, "kdf", ctx, true));
  return ParseKdf(*kdf, ctx.Child("kdf"), schema);
}

Status ParseStringFormat(const Json& format, const Context& ctx, FeatureSpec* f) {
  MG_ASSIGN_OR_RETURN(auto encoding, GetString(format, "encoding", ctx, false));
  if (encoding) {
    if (*encoding == "utf-8") {
      f->encoding = TextEncoding::kUtf8;
    } else if (*encoding == "ascii") {
      f->encoding = TextEncoding::kAscii;
    } else if (*encoding == "utf-16") {
      f->encoding = TextEncoding::kUtf16;
    } else if (*encoding == "utf-32") {
      f->encoding = TextEncoding::kUtf32;
    } else {
      return ctx.Fail("format.encoding", "unsupported encoding '" + *encoding +
                                             "' (expected ascii, utf-8, utf-16 or utf-32)");
    }
  }
  if (format.contains("pattern")) {
    MG_RETURN_IF_ERROR(CheckKeys(format, ctx, "format", {"type", "encoding", "pattern", "description"}));
    MG_ASSIGN_OR_RETURN(f->pattern, GetString(format, "pattern", ctx, true));
    if (f->pattern->size() > kMaxPatternLength) {
      return ctx.Fail("format.pattern", "pattern longer than " + std::to_string(kMaxPatternLength));
    }
    try {
      f->regex = std::make_shared<const std::regex>(*f->pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error&) {
      return ctx.Fail("format.pattern", "invalid regular expression");
    }
    return Status::Ok();
  }
  MG_RETURN_IF_ERROR(
      CheckKeys(format, ctx, "format", {"type", "encoding", "case", "minLength", "maxLength", "description"}));
  MG_ASSIGN_OR_RETURN(auto letter_case, GetString(format, "case", ctx, false));
  if (letter_case) {
    if (*letter_case == "lower") {
      f->letter_case = LetterCase::kLower;
    } else if (*letter_case == "upper") {
      f->letter_case = LetterCase::kUpper;
    } else if (*letter_case == "mixed") {
      f->letter_case = LetterCase::kMixed;
    } else {
      return ctx.Fail("format.case", "expected upper, lower or mixed, found '" + *letter_case + "'");
    }
  }
  MG_ASSIGN_OR_RETURN(auto min_length, GetInt(format, "minLength", ctx, false, 0, INT64_MAX));
  MG_ASSIGN_OR_RETURN(f->max_length, GetInt(format, "maxLength", ctx, false, 1, INT64_MAX));
  f->min_length = min_length.value_or(0);
  return Status::Ok();
}

Status ParseFormat(const Json& format, const Context& ctx, FeatureSpec* f) {
  MG_ASSIGN_OR_RETURN(auto type, GetString(format, "type", ctx, true));
  if (*type == "string") {
    f->type = FeatureType::kString;
    return ParseStringFormat(format, ctx, f);
  }
  if (*type == "integer") {
    f->type = FeatureType::kInteger;
    MG_RETURN_IF_ERROR(CheckKeys(format, ctx, "format", {"type", "minimum", "maximum", "description"}));
    MG_ASSIGN_OR_RETURN(f->minimum, GetInt(format, "minimum", ctx, false, INT64_MIN, INT64_MAX));
    MG_ASSIGN_OR_RETURN(f->maximum, GetInt(format, "maximum", ctx, false, INT64_MIN, INT64_MAX));
    return Status::Ok();
  }
  if (*type == "date") {
    f->type = FeatureType::kDate;
    MG_RETURN_IF_ERROR(CheckKeys(format, ctx, "format", {"type", "format", "description"}));
    MG_ASSIGN_OR_RETURN(auto date_format, GetString(format, "format", ctx, true));
    auto compiled = PythonDateFormat::Compile(*date_format);
    if (!compiled) return ctx.Fail("format.format", compiled.error().message());
    f->date_format = *date_format;
    f->date = std::make_shared<const PythonDateFormat>(std::move(compiled).value());
    return Status::Ok();
  }
  if (*type == "enum") {
    f->type = FeatureType::kEnum;
    MG_RETURN_IF_ERROR(CheckKeys(format, ctx, "format", {"type", "values", "description"}));
    auto it = format.find("values");
    if (it == format.end() || !it->is_array()) return ctx.Fail("format.values", "expected an array of strings");
    for (const Json& v : *it) {
      if (!v.is_string()) return ctx.Fail("format.values", "expected an array of strings");
      f->enum_values.push_back(v.get<std::string>());
    }
    std::sort(f->enum_values.begin(), f->enum_values.end());
    f->enum_values.erase(std::unique(f->enum_values.begin(), f->enum_values.end()), f->enum_values.end());
    return Status::Ok();
  }
  return ctx.Fail("format.type", "unknown feature type '" + *type + "' (expected string, integer, date or enum)");
}

Status ParseComparison(const Json& comparison, const Context& ctx, FeatureSpec* f) {
  MG_ASSIGN_OR_RETURN(auto type, GetString(comparison, "type", ctx, true));
  if (*type == "ngram") {
    f->comparison = ComparisonType::kNgram;
    MG_ASSIGN_OR_RETURN(auto n, GetInt(comparison, "n", ctx, true, 1, 1000));
    MG_ASSIGN_OR_RETURN(auto positional, GetBool(comparison, "positional", ctx));
    f->ngram_n = static_cast<int>(*n);
    f->positional = positional.value_or(false);
    return Status::Ok();
  }
  if (*type == "exact") {
    f->comparison = ComparisonType::kExact;
    return Status::Ok();
  }
  if (*type == "numeric") {
    f->comparison = ComparisonType::kNumeric;
    auto it = comparison.find("thresholdDistance");
    if (it == comparison.end() || !it->is_number() || !(it->get<double>() > 0) ||
        !std::isfinite(it->get<double>())) {
      return ctx.Fail("hashing.comparison.thresholdDistance", "expected a number greater than 0");
    }
    f->threshold_distance = it->get<double>();
    MG_ASSIGN_OR_RETURN(auto resolution, GetInt(comparison, "resolution", ctx, true, 1, 100000));
    MG_ASSIGN_OR_RETURN(auto precision, GetInt(comparison, "fractional_precision", ctx, false, 0, 15));
    f->resolution = *resolution;
    f->fractional_precision = static_cast<int>(precision.value_or(0));
    double interval = std::nearbyint(f->threshold_distance * std::pow(10.0, f->fractional_precision));
    if (interval < 1) {
      return ctx.Fail("hashing.comparison.thresholdDistance",
                      "not enough fractional_precision to encode this threshold distance");
    }
    if (interval > 1e15) return ctx.Fail("hashing.comparison.thresholdDistance", "too large");
    return Status::Ok();
  }
  return ctx.Fail("hashing.comparison.type",
                  "unknown comparison '" + *type + "' (expected ngram, exact or numeric)");
}

Status ParseHashing(const Json& hashing, const Context& ctx, const ClkSchema& schema, FeatureSpec* f) {
  MG_RETURN_IF_ERROR(CheckKeys(hashing, ctx, "hashing", {"comparison", "strategy", "hash", "missingValue"}));
  MG_ASSIGN_OR_RETURN(const Json* comparison, GetObject(hashing, "comparison", ctx, true));
  MG_RETURN_IF_ERROR(ParseComparison(*comparison, ctx, f));

  MG_ASSIGN_OR_RETURN(const Json* strategy, GetObject(hashing, "strategy", ctx, true));
  bool per_token = strategy->contains("bitsPerToken");
  bool per_feature = strategy->contains("bitsPerFeature");
  if (per_token == per_feature || strategy->size() != 1) {
    return ctx.Fail("hashing.strategy", "expected exactly one of bitsPerToken or bitsPerFeature");
  }
  f->bits_per_feature = per_feature;
  MG_ASSIGN_OR_RETURN(auto bits, GetInt(*strategy, per_feature ? "bitsPerFeature" : "bitsPerToken",
                                        Context(ctx), true, 1, 1 << 16));
  f->strategy_bits = *bits;

  MG_ASSIGN_OR_RETURN(const Json* hash, GetObject(hashing, "hash", ctx, false));
  if (hash != nullptr) {
    MG_ASSIGN_OR_RETURN(auto type, GetString(*hash, "type", ctx, true));
    MG_ASSIGN_OR_RETURN(auto prevent, GetBool(*hash, "prevent_singularity", ctx));
    if (*type == "doubleHash") {
      f->hash = ClkHashType::kDouble;
      f->prevent_singularity = prevent.value_or(false);
    } else if (*type == "blakeHash") {
      f->hash = ClkHashType::kBlake;
      if (prevent) return ctx.Fail("hashing.hash", "prevent_singularity applies only to doubleHash");
    } else {
      return ctx.Fail("hashing.hash.type", "unknown hash '" + *type + "' (expected blakeHash or doubleHash)");
    }
  }
  if (f->hash == ClkHashType::kBlake) {
    uint32_t bits_total = schema.hash_bits();
    if ((bits_total & (bits_total - 1)) != 0) {
      return ctx.Fail("hashing.hash", "blakeHash needs l * 2^xorFolds to be a power of two, found " +
                                          std::to_string(bits_total));
    }
    if (schema.key_size > 64) return ctx.Fail("hashing.hash", "blakeHash keys are at most 64 bytes (kdf.keySize)");
  }

  MG_ASSIGN_OR_RETURN(const Json* missing, GetObject(hashing, "missingValue", ctx, false));
  if (missing != nullptr) {
    MG_ASSIGN_OR_RETURN(f->missing_sentinel, GetString(*missing, "sentinel", ctx, true));
    MG_ASSIGN_OR_RETURN(auto replacement, GetString(*missing, "replaceWith", ctx, false));
    f->missing_replacement = replacement ? *replacement : *f->missing_sentinel;
  }
  return Status::Ok();
}

Result<FeatureSpec> ParseFeature(const Json& feature, size_t index, const std::string& source,
                                 const ClkSchema& schema) {
  Context top(source, "features[" + std::to_string(index) + "]");
  if (!feature.is_object()) return Error(top.Fail("", "expected an object, found " + TypeName(feature)));
  FeatureSpec f;
  MG_ASSIGN_OR_RETURN(auto identifier, GetString(feature, "identifier", top, true));
  f.identifier = *identifier;
  Context ctx(source, "features[" + std::to_string(index) + "] '" + f.identifier + "'");
  MG_ASSIGN_OR_RETURN(auto ignored, GetBool(feature, "ignored", ctx));
  if (ignored.value_or(false)) {
    MG_RETURN_IF_ERROR(CheckKeys(feature, ctx, "", {"identifier", "ignored", "description"}));
    return f;
  }
  MG_RETURN_IF_ERROR(CheckKeys(feature, ctx, "", {"identifier", "ignored", "description", "format", "hashing"}));
  MG_ASSIGN_OR_RETURN(const Json* format, GetObject(feature, "format", ctx, true));
  MG_ASSIGN_OR_RETURN(const Json* hashing, GetObject(feature, "hashing", ctx, true));
  MG_RETURN_IF_ERROR(ParseFormat(*format, ctx, &f));
  MG_RETURN_IF_ERROR(ParseHashing(*hashing, ctx, schema, &f));
  return f;
}

}  // namespace

std::vector<std::string> ClkSchema::Identifiers() const {
  std::vector<std::string> out;
  for (const auto& f : features) out.push_back(f.identifier);
  return out;
}

Result<ClkSchema> ParseClkSchema(std::string_view json_text, const std::string& source) {
  Json doc = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  Context ctx(source, "");
  if (doc.is_discarded()) return Error(ctx.Fail("", "the schema is not valid JSON"));
  if (!doc.is_object()) return Error(ctx.Fail("", "expected a JSON object at the top level, found " + TypeName(doc)));
  auto version = doc.find("version");
  if (version == doc.end()) return Error(ctx.Fail("", "missing required key 'version'"));
  if (!version->is_number() || version->get<double>() != 3) {
    return Error(ctx.Fail("version", "unsupported schema version " + version->dump() +
                                         " (matchguard reads clkhash linkage schema version 3)"));
  }
  MG_RETURN_IF_ERROR(CheckKeys(doc, ctx, "", {"version", "clkConfig", "features", "$schema", "id", "$id"}));
  ClkSchema schema;
  MG_ASSIGN_OR_RETURN(const Json* config, GetObject(doc, "clkConfig", ctx, true));
  MG_RETURN_IF_ERROR(ParseClkConfig(*config, Context(source, "clkConfig"), &schema));
  auto features = doc.find("features");
  if (features == doc.end() || !features->is_array()) {
    return Error(ctx.Fail("features", "expected an array of features"));
  }
  if (features->empty()) return Error(ctx.Fail("features", "the schema has no features"));
  for (size_t i = 0; i < features->size(); ++i) {
    MG_ASSIGN_OR_RETURN(FeatureSpec f, ParseFeature((*features)[i], i, source, schema));
    schema.features.push_back(std::move(f));
  }
  size_t key_bytes = schema.features.size() * 2 * schema.key_size;
  size_t max_bytes = 255 * (schema.kdf_sha512 ? 64 : 32);
  if (key_bytes > max_bytes) {
    return Error(ctx.Fail("clkConfig.kdf", "HKDF cannot derive " + std::to_string(key_bytes) +
                                               " bytes of keys (at most " + std::to_string(max_bytes) +
                                               "); lower keySize or use SHA512"));
  }
  return schema;
}

}  // namespace matchguard
