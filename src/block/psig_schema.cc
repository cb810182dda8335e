#include "src/block/psig_schema.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>

namespace matchguard {

namespace {

using Json = nlohmann::json;

constexpr size_t kMaxStrategies = 1000;
constexpr size_t kMaxSpecsPerStrategy = 100;
constexpr int64_t kMaxPosition = 1'000'000;

// Fails with "<source>: <path>: <what>".
struct Where {
  const std::string& source;
  std::string path;
  Where At(std::string_view key) const {
    return {source, path.empty() ? std::string(key) : path + "." + std::string(key)};
  }
  Where Index(size_t i) const { return {source, path + "[" + std::to_string(i) + "]"}; }
  Status Fail(const std::string& what) const {
    return Status::InvalidArgument(source + ": " + (path.empty() ? "" : path + ": ") + what);
  }
};

std::string Kind(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return "a boolean";
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return "a number";
  }
}

Status OnlyKeys(const Json& object, const Where& where, std::initializer_list<std::string_view> allowed) {
  for (const auto& item : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) != allowed.end()) continue;
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return where.Fail(fmt::format("unknown key '{}' (allowed: {})", item.key(), list));
  }
  return Status::Ok();
}

Result<const Json*> Member(const Json& object, const char* key, const Where& where, Json::value_t type,
                           const char* expected) {
  auto it = object.find(key);
  if (it == object.end()) return Error(where.Fail(fmt::format("missing required key '{}'", key)));
  const bool ok = type == Json::value_t::number_float ? it->is_number() : it->type() == type;
  if (!ok) return Error(where.At(key).Fail(fmt::format("expected {}, found {}", expected, Kind(*it))));
  return &*it;
}

Result<int64_t> Integer(const Json& value, const Where& where, int64_t min, int64_t max) {
  if (!value.is_number_integer() || (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(INT64_MAX))) {
    return Error(where.Fail("expected an integer, found " + Kind(value)));
  }
  const int64_t v = value.get<int64_t>();
  if (v < min || v > max)
    return Error(where.Fail(fmt::format("expected an integer from {} to {}, found {}", min, max, v)));
  return v;
}

Result<PsigFeatureRef> Feature(const Json& value, const Where& where) {
  PsigFeatureRef ref;
  if (value.is_string()) {
    ref.name = value.get<std::string>();
    if (ref.name.empty()) return Error(where.Fail("expected a column name, found an empty string"));
    return ref;
  }
  if (!value.is_number_integer()) return Error(where.Fail("expected a column name or index, found " + Kind(value)));
  MG_ASSIGN_OR_RETURN(ref.index, Integer(value, where, 0, 100'000));
  return ref;
}

// "3", "-1", "0:2", ":4", "2:" (blocklib's characters-at positions; integers may also be JSON numbers).
Result<PsigPosition> Position(const Json& value, const Where& where) {
  PsigPosition pos;
  if (value.is_number()) {
    MG_ASSIGN_OR_RETURN(int64_t i, Integer(value, where, 0, kMaxPosition));
    pos.start = i;
    return pos;
  }
  if (!value.is_string())
    return Error(where.Fail("expected an index or a slice such as \"0:2\", found " + Kind(value)));
  const std::string text = value.get<std::string>();
  auto parse = [&](std::string_view part) -> Result<std::optional<int64_t>> {
    if (part.empty()) return std::optional<int64_t>();
    size_t i = part[0] == '-' ? 1 : 0;
    if (i == part.size() || part.size() > 8 ||
        !std::all_of(part.begin() + static_cast<ptrdiff_t>(i), part.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return Error(where.Fail(fmt::format("expected an index or a slice such as \"0:2\", found \"{}\"", text)));
    }
    return std::optional<int64_t>(std::stoll(std::string(part)));
  };
  const size_t colon = text.find(':');
  if (colon == std::string::npos) {
    MG_ASSIGN_OR_RETURN(pos.start, parse(text));
    if (!pos.start) return Error(where.Fail("expected an index or a slice such as \"0:2\", found \"\""));
    return pos;
  }
  pos.slice = true;
  MG_ASSIGN_OR_RETURN(pos.start, parse(std::string_view(text).substr(0, colon)));
  MG_ASSIGN_OR_RETURN(pos.end, parse(std::string_view(text).substr(colon + 1)));
  if (!pos.start && !pos.end) return Error(where.Fail(fmt::format("slice \"{}\" needs a start or an end", text)));
  if (pos.start && pos.end && *pos.start >= *pos.end) {
    return Error(where.Fail(fmt::format("slice \"{}\": the start must be less than the end", text)));
  }
  return pos;
}

Result<PsigSpec> Spec(const Json& value, const Where& where) {
  if (!value.is_object()) return Error(where.Fail("expected a signature spec object, found " + Kind(value)));
  MG_ASSIGN_OR_RETURN(const Json* type, Member(value, "type", where, Json::value_t::string, "a string"));
  auto feature = value.find("feature");
  if (feature == value.end()) return Error(where.Fail("missing required key 'feature'"));
  PsigSpec spec;
  MG_ASSIGN_OR_RETURN(spec.feature, Feature(*feature, where.At("feature")));
  const std::string name = type->get<std::string>();
  if (name == "feature-value" || name == "metaphone") {
    spec.strategy = name == "metaphone" ? PsigStrategy::kMetaphone : PsigStrategy::kFeatureValue;
    MG_RETURN_IF_ERROR(OnlyKeys(value, where, {"type", "feature"}));
    return spec;
  }
  if (name != "characters-at" && name != "characters_at") {
    return Error(where.At("type").Fail(
        fmt::format("unknown signature strategy '{}' (supported: feature-value, characters-at, metaphone)", name)));
  }
  spec.strategy = PsigStrategy::kCharactersAt;
  MG_RETURN_IF_ERROR(OnlyKeys(value, where, {"type", "feature", "config"}));
  MG_ASSIGN_OR_RETURN(const Json* config, Member(value, "config", where, Json::value_t::object, "an object"));
  const Where at_config = where.At("config");
  MG_RETURN_IF_ERROR(OnlyKeys(*config, at_config, {"pos"}));
  MG_ASSIGN_OR_RETURN(const Json* pos, Member(*config, "pos", at_config, Json::value_t::array, "an array"));
  if (pos->empty() || pos->size() > 100) return Error(at_config.At("pos").Fail("expected 1 to 100 positions"));
  for (size_t i = 0; i < pos->size(); ++i) {
    MG_ASSIGN_OR_RETURN(PsigPosition p, Position((*pos)[i], at_config.At("pos").Index(i)));
    spec.positions.push_back(p);
  }
  return spec;
}

Result<PsigFilter> Filter(const Json& value, const Where& where) {
  MG_RETURN_IF_ERROR(OnlyKeys(value, where, {"type", "max", "min"}));
  MG_ASSIGN_OR_RETURN(const Json* type, Member(value, "type", where, Json::value_t::string, "a string"));
  PsigFilter filter;
  const std::string name = type->get<std::string>();
  if (name != "ratio" && name != "count") {
    return Error(where.At("type").Fail(fmt::format("unknown filter type '{}' (supported: ratio, count)", name)));
  }
  filter.ratio = name == "ratio";
  const double limit = filter.ratio ? 1.0 : 1e12;
  MG_ASSIGN_OR_RETURN(const Json* max, Member(value, "max", where, Json::value_t::number_float, "a number"));
  filter.max = max->get<double>();
  auto min = value.find("min");
  if (min != value.end()) {
    if (!min->is_number()) return Error(where.At("min").Fail("expected a number, found " + Kind(*min)));
    filter.min = min->get<double>();
  } else if (!filter.ratio) {
    return Error(where.Fail("missing required key 'min'"));
  }
  for (auto [key, v] : {std::pair{"max", filter.max}, std::pair{"min", filter.min}}) {
    if (!(v >= 0 && v <= limit)) {
      return Error(where.At(key).Fail(fmt::format("expected a number from 0 to {}, found {}", limit, v)));
    }
  }
  if (filter.min > filter.max) return Error(where.Fail("min is greater than max: every signature would be dropped"));
  return filter;
}

// blocklib's Bloom-filter block keys: validated so blocklib schemas load, otherwise unused (keys are HMACs).
Status BlockingFilter(const Json& value, const Where& where) {
  MG_RETURN_IF_ERROR(OnlyKeys(value, where, {"type", "number-hash-functions", "bf-len", "compress-block-key"}));
  MG_ASSIGN_OR_RETURN(const Json* type, Member(value, "type", where, Json::value_t::string, "a string"));
  if (type->get<std::string>() != "bloom filter") {
    return Error(
        where.At("type").Fail("unknown blocking filter '" + type->get<std::string>() + "' (supported: bloom filter)"));
  }
  MG_ASSIGN_OR_RETURN(const Json* k,
                      Member(value, "number-hash-functions", where, Json::value_t::number_float, "an integer"));
  MG_RETURN_IF_ERROR(Integer(*k, where.At("number-hash-functions"), 1, 1000).status());
  MG_ASSIGN_OR_RETURN(const Json* len, Member(value, "bf-len", where, Json::value_t::number_float, "an integer"));
  MG_RETURN_IF_ERROR(Integer(*len, where.At("bf-len"), 1, 1 << 24).status());
  return Status::Ok();
}

Status Strategies(const Json& value, const Where& where, PsigSchema* schema) {
  if (value.empty() || value.size() > kMaxStrategies) {
    return where.Fail(fmt::format("expected 1 to {} signature strategies", kMaxStrategies));
  }
  for (size_t i = 0; i < value.size(); ++i) {
    const Where at = where.Index(i);
    const Json& list = value[i];
    if (!list.is_array()) return at.Fail("expected an array of signature specs, found " + Kind(list));
    if (list.empty() || list.size() > kMaxSpecsPerStrategy) {
      return at.Fail(fmt::format("expected 1 to {} signature specs", kMaxSpecsPerStrategy));
    }
    std::vector<PsigSpec> specs;
    for (size_t j = 0; j < list.size(); ++j) {
      MG_ASSIGN_OR_RETURN(PsigSpec spec, Spec(list[j], at.Index(j)));
      const auto& features = schema->blocking_features;
      if (std::find(features.begin(), features.end(), spec.feature) == features.end()) {
        return at.Index(j).At("feature").Fail(spec.feature.Label() + " is not one of config.blocking-features");
      }
      specs.push_back(std::move(spec));
    }
    schema->strategies.push_back(std::move(specs));
  }
  return Status::Ok();
}

Status Features(const Json& config, const Where& where, std::vector<PsigFeatureRef>* out) {
  MG_ASSIGN_OR_RETURN(const Json* features,
                      Member(config, "blocking-features", where, Json::value_t::array, "an array"));
  if (features->empty()) return where.At("blocking-features").Fail("expected at least one feature");
  for (size_t i = 0; i < features->size(); ++i) {
    MG_ASSIGN_OR_RETURN(PsigFeatureRef ref, Feature((*features)[i], where.At("blocking-features").Index(i)));
    out->push_back(std::move(ref));
  }
  return Status::Ok();
}

// "null-sentinel" and "record-id-col", shared by both schema types.
Status Optionals(const Json& config, const Where& where, std::string* null_sentinel,
                 std::optional<int64_t>* record_id_col) {
  auto sentinel = config.find("null-sentinel");
  if (sentinel != config.end() && !sentinel->is_null()) {
    if (!sentinel->is_string())
      return where.At("null-sentinel").Fail("expected a string or null, found " + Kind(*sentinel));
    *null_sentinel = sentinel->get<std::string>();
  }
  auto id_col = config.find("record-id-col");
  if (id_col != config.end() && !id_col->is_null()) {
    MG_ASSIGN_OR_RETURN(int64_t col, Integer(*id_col, where.At("record-id-col"), 0, 100'000));
    *record_id_col = col;
  }
  return Status::Ok();
}

Status Config(const Json& config, const Where& where, PsigSchema* schema) {
  MG_RETURN_IF_ERROR(
      OnlyKeys(config, where,
               {"blocking-features", "filter", "blocking-filter", "signatureSpecs", "null-sentinel", "record-id-col"}));
  MG_RETURN_IF_ERROR(Features(config, where, &schema->blocking_features));
  MG_ASSIGN_OR_RETURN(const Json* filter, Member(config, "filter", where, Json::value_t::object, "an object"));
  MG_ASSIGN_OR_RETURN(schema->filter, Filter(*filter, where.At("filter")));
  MG_ASSIGN_OR_RETURN(const Json* bf, Member(config, "blocking-filter", where, Json::value_t::object, "an object"));
  MG_RETURN_IF_ERROR(BlockingFilter(*bf, where.At("blocking-filter")));
  MG_RETURN_IF_ERROR(Optionals(config, where, &schema->null_sentinel, &schema->record_id_col));
  MG_ASSIGN_OR_RETURN(const Json* specs, Member(config, "signatureSpecs", where, Json::value_t::array, "an array"));
  return Strategies(*specs, where.At("signatureSpecs"), schema);
}

// blocklib's LambdaConfig: every key but record-id-col and null-sentinel is required.
Status LambdaConfig(const Json& config, const Where& where, LambdaFoldSchema* schema) {
  MG_RETURN_IF_ERROR(OnlyKeys(config, where,
                              {"blocking-features", "Lambda", "bf-len", "num-hash-funcs", "K", "random_state",
                               "input-clks", "null-sentinel", "record-id-col"}));
  MG_RETURN_IF_ERROR(Features(config, where, &schema->blocking_features));
  auto integer = [&](const char* key, int64_t min, int64_t max) -> Result<int64_t> {
    MG_ASSIGN_OR_RETURN(const Json* v, Member(config, key, where, Json::value_t::number_float, "an integer"));
    return Integer(*v, where.At(key), min, max);
  };
  MG_ASSIGN_OR_RETURN(schema->lambda, integer("Lambda", 1, 1000));
  MG_ASSIGN_OR_RETURN(schema->bf_len, integer("bf-len", 1, 1 << 24));
  MG_ASSIGN_OR_RETURN(schema->num_hash_funcs, integer("num-hash-funcs", 1, 1000));
  MG_ASSIGN_OR_RETURN(schema->k, integer("K", 1, 4096));
  if (schema->k > schema->bf_len) {
    return where.At("K").Fail(
        fmt::format("expected at most bf-len ({}) bit positions, found {}", schema->bf_len, schema->k));
  }
  MG_ASSIGN_OR_RETURN(const Json* seed,
                      Member(config, "random_state", where, Json::value_t::number_float, "an integer"));
  if (seed->is_number_unsigned()) {
    schema->random_state = seed->get<uint64_t>();
  } else if (seed->is_number_integer()) {  // negative: Python seeds with the absolute value
    schema->random_state = 0 - static_cast<uint64_t>(seed->get<int64_t>());
  } else {
    return Error(where.At("random_state").Fail("expected an integer, found a fraction"));
  }
  MG_ASSIGN_OR_RETURN(const Json* clks, Member(config, "input-clks", where, Json::value_t::boolean, "a boolean"));
  schema->input_clks = clks->get<bool>();
  if (schema->input_clks && schema->blocking_features.size() != 1) {
    return where.At("blocking-features")
        .Fail("with input-clks true, expected exactly one feature: the column holding each record's base64 CLK");
  }
  MG_RETURN_IF_ERROR(Optionals(config, where, &schema->null_sentinel, &schema->record_id_col));
  return Status::Ok();
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// 1-based line and column of byte `offset` (for JSON syntax errors).
std::pair<size_t, size_t> LineColumn(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  const size_t line =
      1 + static_cast<size_t>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(offset), '\n'));
  const size_t last_newline = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  const size_t column = last_newline == std::string_view::npos || offset == 0 ? offset + 1 : offset - last_newline;
  return {line, column};
}

}  // namespace

Result<BlockingSchema> ParseBlockingSchema(std::string_view json_text, const std::string& source) {
  const Where top{source, ""};
  Json doc;
  try {
    doc = Json::parse(json_text);
  } catch (const Json::parse_error& e) {
    auto [line, column] = LineColumn(json_text, e.byte == 0 ? 0 : e.byte - 1);
    return Error(Status::InvalidArgument(
        fmt::format("{}:{}:{}: the blocking schema is not valid JSON (expected a p-sig or lambda-fold schema object)",
                    source, line, column)));
  } catch (const Json::exception&) {  // a number too large for a double (found by fuzzing)
    return Error(Status::InvalidArgument(source + ": the blocking schema is not valid JSON: a number is out of range "
                                                  "(expected a p-sig or lambda-fold schema object)"));
  }
  if (!doc.is_object()) return Error(top.Fail("expected a JSON object at the top level, found " + Kind(doc)));
  MG_RETURN_IF_ERROR(OnlyKeys(doc, top, {"type", "version", "config"}));
  MG_ASSIGN_OR_RETURN(const Json* type, Member(doc, "type", top, Json::value_t::string, "a string"));
  const std::string type_name = type->get<std::string>();
  if (type_name != "p-sig" && type_name != "lambda-fold") {
    return Error(top.At("type").Fail(
        fmt::format("unsupported blocking type '{}' (matchguard block supports p-sig and lambda-fold)", type_name)));
  }
  MG_ASSIGN_OR_RETURN(const Json* version, Member(doc, "version", top, Json::value_t::number_float, "a number"));
  if (!version->is_number_integer() || version->get<int64_t>() != 1) {
    return Error(top.At("version").Fail("unsupported schema version " + version->dump() + " (expected 1)"));
  }
  MG_ASSIGN_OR_RETURN(const Json* config, Member(doc, "config", top, Json::value_t::object, "an object"));
  if (type_name == "lambda-fold") {
    LambdaFoldSchema schema;
    MG_RETURN_IF_ERROR(LambdaConfig(*config, top.At("config"), &schema));
    schema.sha256 = Sha256Hex(doc.dump());
    return BlockingSchema(std::move(schema));
  }
  PsigSchema schema;
  MG_RETURN_IF_ERROR(Config(*config, top.At("config"), &schema));
  schema.sha256 = Sha256Hex(doc.dump());
  return BlockingSchema(std::move(schema));
}

Result<PsigSchema> ParsePsigSchema(std::string_view json_text, const std::string& source) {
  MG_ASSIGN_OR_RETURN(BlockingSchema schema, ParseBlockingSchema(json_text, source));
  if (auto* psig = std::get_if<PsigSchema>(&schema)) return std::move(*psig);
  return Error(Status::InvalidArgument(source + ": type: expected a p-sig schema here, found lambda-fold"));
}

}  // namespace matchguard
