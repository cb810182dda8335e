// The facade behind include/matchguard/encode.h: reads inputs through FileSystem, encodes in parallel with
// TBB, and writes outputs atomically.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/rand.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "matchguard/encode.h"
#include "matchguard/safe_text.h"
#include "src/encode/clk_batch.h"
#include "src/encode/clk_encoder.h"
#include "src/encode/clk_file.h"
#include "src/encode/hardening.h"
#include "src/encode/opentoken.h"
#include "src/encode/secret.h"
#include "src/io/csv.h"
#include "src/io/record_ids.h"
#include "src/normalize/fields.h"
#include "src/normalize/standardize.h"

namespace matchguard {
namespace {

Status CheckHeader(const Table& table, const ClkSchema& schema, const std::string& path) {
  const auto& names = table.column_names();
  if (names.size() != schema.features.size()) {
    return Status::InvalidArgument(path + ": line 1: the header has " + std::to_string(names.size()) +
                                   " columns but the schema has " + std::to_string(schema.features.size()) +
                                   " features");
  }
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] != schema.features[i].identifier) {
      return Status::InvalidArgument(path + ": line 1, column " + std::to_string(i + 1) + ": the header says '" +
                                     names[i] + "' but the schema expects '" + schema.features[i].identifier + "'");
    }
  }
  return Status::Ok();
}

// The input rewritten as the schema's columns of normalised values; every hashed feature must be found.
Result<Table> StandardizeForSchema(const Table& table, const ClkSchema& schema) {
  std::vector<StandardizedName> names;
  for (const FeatureSpec& feature : schema.features) names.push_back({feature.identifier, feature.hashed()});
  return StandardizeColumns(table, names);
}

std::string DescribeRow(const Table& table, size_t row) {
  std::string out = "row " + std::to_string(row + 1);
  if (uint64_t line = table.source_line(row); line > 0) out = "line " + std::to_string(line) + " (" + out + ")";
  return out;
}

Result<size_t> FindColumn(const Table& table, const std::string& name, const std::string& path, const char* flag) {
  auto index = table.FindColumn(name);
  if (!index) return Error(Status::InvalidArgument(path + ": " + flag + " names column '" + name + "', which the header lacks"));
  return *index;
}

std::string SkipReport(const Table& table, const ClkSchema& schema, const std::vector<RowError>& errors) {
  std::string out = "row,line,field,problem\n";
  for (const RowError& e : errors) {
    out += std::to_string(e.row + 1) + "," + std::to_string(table.source_line(e.row)) + ",";
    AppendCsvField(&out, schema.features[e.error.feature].identifier);
    out.push_back(',');
    AppendCsvField(&out, e.error.message);
    out.push_back('\n');
  }
  return out;
}

uint64_t FreshSeed() {
  uint64_t seed = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&seed), sizeof seed) != 1) seed = 0x5DEECE66Dull;
  return seed;
}

struct EncodeJob {
  const EncodeOptions& options;
  const Table& table;
  const ClkEncoder& encoder;
  std::optional<size_t> salt_column;
};

// Keeps the rows without errors (in order), with their ids.
ClkSet Compact(const ClkSet& all, const std::vector<RowError>& errors, const Table& table, size_t id_column) {
  std::vector<bool> bad(all.count, false);
  for (const RowError& e : errors) bad[e.row] = true;
  ClkSet out;
  out.Resize(all.bits, all.count - errors.size());
  size_t k = 0;
  for (size_t row = 0; row < all.count; ++row) {
    if (bad[row]) continue;
    std::copy(all.row(row), all.row(row) + all.stride_bytes, out.mutable_row(k++));
    out.ids.emplace_back(table.Get(id_column, row));
  }
  return out;
}

Result<ClkSet> EncodeFieldLevel(const EncodeJob& job, size_t feature, uint32_t bits, const std::vector<RowError>& errors) {
  const Table& table = job.table;
  std::vector<bool> bad(table.num_rows(), false);
  for (const RowError& e : errors) bad[e.row] = true;
  std::vector<size_t> rows;
  for (size_t r = 0; r < table.num_rows(); ++r) {
    if (!bad[r]) rows.push_back(r);
  }
  ClkSet set;
  set.Resize(bits, rows.size());
  tbb::enumerable_thread_specific<ClkEncoder::WorkerPtr> workers([&] { return job.encoder.NewWorker(); });
  std::atomic<bool> failed{false};
  ParallelRanges(job.options.threads, rows.size(), [&](size_t begin, size_t end) {
    ClkEncoder::Worker& worker = *workers.local();
    for (size_t i = begin; i < end; ++i) {
      std::string_view salt = job.salt_column ? table.Get(*job.salt_column, rows[i]) : std::string_view();
      if (job.options.salt_chars > 0) salt = salt.substr(0, job.options.salt_chars);
      FieldError error;
      if (!job.encoder.EncodeFeature(worker, feature, table.Get(feature, rows[i]), bits, set.mutable_row(i), &error, salt)) {
        failed = true;
      }
    }
  });
  if (failed) return Error(Status::Internal("a field-level encoding failed after the record validated"));
  return set;
}

Result<uint32_t> FieldBits(const EncodeOptions& options, const FeatureSpec& f, uint32_t default_bits) {
  uint32_t bits = default_bits;
  for (const auto& [name, value] : options.field_bits) {
    if (name == f.identifier) bits = value;
  }
  if (bits == 0 || bits % 8 != 0 || bits > (1u << 24)) {
    return Error(Status::InvalidArgument("field '" + f.identifier + "': field-level length " + std::to_string(bits) +
                                         " is not a positive multiple of 8 (at most 2^24)"));
  }
  if (f.hash == ClkHashType::kBlake && (bits & (bits - 1)) != 0) {
    return Error(Status::InvalidArgument("field '" + f.identifier + "': blakeHash needs a power-of-two length, not " +
                                         std::to_string(bits)));
  }
  return bits;
}

Status ValidateEncodeOptions(const EncodeOptions& options, const ClkSchema& schema) {
  if (options.blip_epsilon < 0) return Status::InvalidArgument("--blip-epsilon must be positive");
  // Options that mean something only with another are refused, not silently ignored.
  if (!options.field_bits.empty() && !options.field_level) {
    return Status::InvalidArgument("--field-bits needs --field-level (it sets the length of a field-level filter)");
  }
  if (options.salt_chars > 0 && options.salt_column.empty()) {
    return Status::InvalidArgument("--salt-chars needs --salt-column (it cuts that column's values)");
  }
  for (const auto& field : options.field_bits) {
    const std::string& name = field.first;  // clang 14 cannot capture structured bindings
    bool known = std::any_of(schema.features.begin(), schema.features.end(),
                             [&](const FeatureSpec& f) { return f.identifier == name && f.hashed(); });
    if (!known) return Status::InvalidArgument("--field-bits names '" + name + "', which is not a hashed feature of the schema");
  }
  return Status::Ok();
}

}  // namespace

Result<EncodeSummary> EncodeRecords(FileSystem& fs, const EncodeOptions& options) {
  MG_ASSIGN_OR_RETURN(ClkFormat format, ParseClkFormat(options.format));
  MG_ASSIGN_OR_RETURN(std::string schema_text, fs.ReadFile(options.schema_path));
  MG_ASSIGN_OR_RETURN(ClkSchema schema, ParseClkSchema(schema_text, options.schema_path));
  MG_RETURN_IF_ERROR(ValidateEncodeOptions(options, schema));
  MG_ASSIGN_OR_RETURN(Secret secret, LoadSecret(fs, options.secret.file, options.secret.env_name, "the secret"));
  CsvOptions csv;
  csv.trim_unquoted = options.trim_spaces;
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, options.input_path, csv));
  if (options.standardize) {
    MG_ASSIGN_OR_RETURN(table, StandardizeForSchema(table, schema));
  }
  MG_RETURN_IF_ERROR(CheckHeader(table, schema, options.input_path));
  size_t id_column = 0;
  if (!options.id_column.empty()) {
    MG_ASSIGN_OR_RETURN(id_column, FindColumn(table, options.id_column, options.input_path, "--id-column"));
  }
  // Encodings that carry ids take them to the linkage unit, which keys its pairs on them. (Without
  // --id-column the ids are column 0, which a format without ids never writes, so it is not judged then.)
  if (format == ClkFormat::kCsv || !options.id_column.empty()) MG_RETURN_IF_ERROR(CheckRecordIds(table, id_column));
  std::optional<size_t> salt_column;
  if (!options.salt_column.empty()) {
    MG_ASSIGN_OR_RETURN(size_t c, FindColumn(table, options.salt_column, options.input_path, "--salt-column"));
    salt_column = c;
  }
  // Everything derived from the secret is derived now, so that it can be wiped before encoding starts.
  std::optional<BalancedPermutation> balance;
  if (options.balanced) balance.emplace(secret.view(), schema.l);
  std::vector<std::optional<BalancedPermutation>> field_balance(schema.features.size());
  std::vector<uint32_t> field_bits(schema.features.size(), 0);
  if (options.field_level) {
    for (size_t i = 0; i < schema.features.size(); ++i) {
      if (!schema.features[i].hashed()) continue;
      MG_ASSIGN_OR_RETURN(field_bits[i], FieldBits(options, schema.features[i], schema.l));
      if (options.balanced) field_balance[i].emplace(secret.view(), field_bits[i]);
    }
  }
  MG_ASSIGN_OR_RETURN(std::unique_ptr<ClkEncoder> encoder, ClkEncoder::Create(schema, secret.view()));
  secret.Wipe();

  EncodeJob run{options, table, *encoder, salt_column};
  auto start = std::chrono::steady_clock::now();
  ClkSet all;
  std::vector<RowError> errors = EncodeTable(*encoder, table, options.threads, &all, salt_column, options.salt_chars);
  if (!errors.empty() && options.on_error == OnValueError::kFail) {
    const RowError& e = errors.front();
    return Error(Status::InvalidArgument(options.input_path + ": " + DescribeRow(table, e.row) + ", field '" +
                                         schema.features[e.error.feature].identifier + "': " + e.error.message +
                                         " (use --on-error skip to leave such records out)"));
  }
  ClkSet clks = Compact(all, errors, table, id_column);

  EncodeSummary summary;
  summary.records = table.num_rows();
  summary.skipped = errors.size();
  summary.encoded = clks.count;
  uint64_t blip_seed = options.blip_seed != 0 ? options.blip_seed : FreshSeed();
  auto harden = [&](ClkSet set) {
    if (balance) set = balance->Apply(set);
    if (options.blip_epsilon > 0) ApplyBlip(&set, options.blip_epsilon, blip_seed);
    return set;
  };
  clks = harden(std::move(clks));
  summary.bits = clks.bits;

  // Serialise everything before committing anything, so a failure leaves no partial set of outputs.
  std::vector<std::pair<std::string, std::string>> outputs;
  outputs.emplace_back(options.output_path, SerializeClkSet(clks, format));
  if (options.field_level) {
    for (size_t i = 0; i < schema.features.size(); ++i) {
      const FeatureSpec& f = schema.features[i];
      if (!f.hashed()) continue;
      MG_ASSIGN_OR_RETURN(ClkSet field, EncodeFieldLevel(run, i, field_bits[i], errors));
      field.ids = clks.ids;
      if (field_balance[i]) field = field_balance[i]->Apply(field);
      if (options.blip_epsilon > 0) ApplyBlip(&field, options.blip_epsilon, blip_seed + i + 1);
      outputs.emplace_back(options.output_path + "." + f.identifier, SerializeClkSet(field, format));
    }
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.on_error == OnValueError::kSkip && !errors.empty()) {
    std::string report = options.skip_report_path.empty() ? options.output_path + ".skipped.csv" : options.skip_report_path;
    outputs.emplace_back(report, SkipReport(table, schema, errors));
  }
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const auto& [path, bytes] : outputs) {
    MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, fs.NewAtomicFile(path));
    MG_RETURN_IF_ERROR(file->Append(bytes));
    files.push_back(std::move(file));
  }
  for (size_t i = 0; i < files.size(); ++i) {
    Status committed = files[i]->Commit();
    if (!committed.ok()) {
      for (size_t j = 0; j < i; ++j) (void)fs.Remove(outputs[j].first);
      return Error(committed);
    }
    summary.outputs.push_back(outputs[i].first);
  }
  return summary;
}

namespace {

// <dir>/<stem>.metadata.json, as OpenToken names it beside its output.
std::string MetadataPath(const std::string& output) {
  size_t slash = output.find_last_of('/');
  std::string dir = slash == std::string::npos ? "" : output.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? output : output.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base.resize(dot);
  return dir + base + ".metadata.json";
}

std::string RandomUuid() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) return "00000000-0000-4000-8000-000000000000";
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
  return out;
}

using AttributeColumns = std::array<std::optional<size_t>, kPersonAttributeCount>;

// The OpenToken attribute a matchguard person field corresponds to.
std::optional<PersonAttribute> AttributeOfField(FieldKind kind) {
  switch (kind) {
    case FieldKind::kFirstName: return PersonAttribute::kFirstName;
    case FieldKind::kLastName: return PersonAttribute::kLastName;
    case FieldKind::kDob: return PersonAttribute::kBirthDate;
    case FieldKind::kSex: return PersonAttribute::kSex;
    case FieldKind::kSsn: return PersonAttribute::kSocialSecurityNumber;
    case FieldKind::kZip: return PersonAttribute::kPostalCode;
    default: return std::nullopt;
  }
}

// What the header maps and lacks, with the renames that would map what it lacks ("first_name to FirstName"):
// OpenToken reads only its own header names, so a file in another layout gets blank tokens, not an error.
std::string DescribeAttributeColumns(const Table& table, const AttributeColumns& columns) {
  std::vector<std::string> mapped, missing, renames;
  for (size_t a = 0; a < kPersonAttributeCount; ++a) {
    (columns[a] ? mapped : missing).emplace_back(PersonAttributeName(static_cast<PersonAttribute>(a)));
  }
  for (const std::string& header : table.column_names()) {
    const std::optional<FieldKind> kind = DetectFieldKind(header);
    const std::optional<PersonAttribute> a = kind ? AttributeOfField(*kind) : std::nullopt;
    if (a && !columns[static_cast<size_t>(*a)]) {
      renames.push_back(fmt::format("{} to {}", EscapeControlCharacters(header), PersonAttributeName(*a)));
    }
  }
  std::string out = fmt::format("the header maps {}; no column is {}", mapped.empty() ? "no attribute" : fmt::format("{}", fmt::join(mapped, ", ")),
                                fmt::join(missing, ", "));
  if (!renames.empty()) out += fmt::format(" (rename {}: OpenToken reads only its own header names)", fmt::join(renames, ", "));
  return out;
}

// Every token of every row blank: nothing a linkage could use, so the file is refused with the cause.
Status AllTokensBlank(const std::string& path, const Table& table, const AttributeColumns& columns,
                      const std::array<int64_t, kPersonAttributeCount>& invalid) {
  std::vector<std::string> invalid_counts;
  for (size_t a = 0; a < kPersonAttributeCount; ++a) {
    if (invalid[a] > 0) {
      invalid_counts.push_back(fmt::format("{} {}", invalid[a], PersonAttributeName(static_cast<PersonAttribute>(a))));
    }
  }
  return Status::InvalidArgument(fmt::format(
      "{}: every token of every record is blank: no rule (T1-T5) found all its attributes valid; {}{}", path,
      DescribeAttributeColumns(table, columns),
      invalid_counts.empty() ? "" : fmt::format("; invalid values: {}", fmt::join(invalid_counts, ", "))));
}

}  // namespace

Result<TokensSummary> GenerateTokens(FileSystem& fs, const TokensOptions& options) {
  MG_ASSIGN_OR_RETURN(Secret secret, LoadSecret(fs, options.hashing_secret.file, options.hashing_secret.env_name,
                                                "the hashing secret"));
  Secret key;
  if (options.encrypt) {
    MG_ASSIGN_OR_RETURN(key, LoadSecret(fs, options.encryption_key.file, options.encryption_key.env_name,
                                        "the encryption key", 32));
    if (key.size() != 32) {
      return Error(Status::InvalidArgument("the encryption key must be exactly 32 bytes (AES-256), found " +
                                           std::to_string(key.size())));
    }
  }
  CsvOptions csv;
  csv.trim_unquoted = false;  // OpenToken sees raw values; its validators decide about spaces
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, options.input_path, csv));
  AttributeColumns columns;
  std::optional<size_t> id_column;
  for (size_t c = 0; c < table.num_columns(); ++c) {
    const std::string& name = table.column_names()[c];
    if (auto a = PersonAttributeForHeader(name)) columns[static_cast<size_t>(*a)] = c;  // the last one wins
    if (IsRecordIdHeader(name)) id_column = c;
  }
  if (std::none_of(columns.begin(), columns.end(), [](const auto& c) { return c.has_value(); })) {
    return Error(Status::InvalidArgument(options.input_path + ": line 1: no column is a person attribute "
                                         "(expected FirstName, LastName, BirthDate, Sex, SocialSecurityNumber or "
                                         "PostalCode, or their aliases): " + DescribeAttributeColumns(table, columns)));
  }
  if (id_column) MG_RETURN_IF_ERROR(CheckRecordIds(table, *id_column));
  std::string hashing_hash = Sha256Hex(secret.view());
  std::string key_hash = options.encrypt ? Sha256Hex(key.view()) : std::string();
  MG_ASSIGN_OR_RETURN(std::unique_ptr<OpenTokenGenerator> generator,
                      OpenTokenGenerator::Create(secret.view(), options.encrypt ? std::optional<std::string_view>(key.view())
                                                                              : std::nullopt));
  secret.Wipe();
  key.Wipe();

  size_t n = table.num_rows();
  std::vector<OpenTokenResult> results(n);
  std::atomic<bool> failed{false};
  ParallelRanges(options.threads, n, [&](size_t begin, size_t end) {
    for (size_t row = begin; row < end; ++row) {
      PersonValues values;
      for (size_t a = 0; a < kPersonAttributeCount; ++a) {
        if (columns[a]) values[a] = table.Get(*columns[a], row);
      }
      if (!generator->Generate(values, &results[row]).ok()) failed = true;
    }
  });
  if (failed) return Error(Status::Internal("token generation failed in OpenSSL"));

  std::string out = "RuleId,Token,RecordId\n";
  out.reserve(n * kOpenTokenRuleCount * 80);
  std::array<int64_t, kPersonAttributeCount> invalid{};
  std::array<int64_t, kOpenTokenRuleCount> blank{};
  for (size_t row = 0; row < n; ++row) {
    std::string id = id_column ? std::string(table.Get(*id_column, row)) : std::string();
    if (id.empty()) id = RandomUuid();
    for (size_t r = 0; r < kOpenTokenRuleCount; ++r) {
      out += "T" + std::to_string(r + 1) + ",";
      AppendCsvField(&out, results[row].tokens[r]);
      out.push_back(',');
      AppendCsvField(&out, id);
      out.push_back('\n');
      if (results[row].blank_rules & (1u << r)) ++blank[r];
    }
    for (size_t a = 0; a < kPersonAttributeCount; ++a) {
      if (results[row].invalid_attributes & (1u << a)) ++invalid[a];
    }
  }
  const uint8_t all_rules = (1u << kOpenTokenRuleCount) - 1;
  if (n > 0 && std::all_of(results.begin(), results.end(), [&](const auto& r) { return r.blank_rules == all_rules; })) {
    return Error(AllTokensBlank(options.input_path, table, columns, invalid));
  }
  // OpenToken's metadata, keys in its order; counts of invalid attributes are sorted by name.
  nlohmann::ordered_json meta;
  meta["Platform"] = "matchguard";
  meta["MatchguardVersion"] = "0.1.0";
  meta["OpenTokenVersion"] = "1.12.5";
  meta["HashingSecretHash"] = hashing_hash;
  if (options.encrypt) meta["EncryptionSecretHash"] = key_hash;
  meta["TotalRows"] = n;
  int64_t total_invalid = 0;
  for (int64_t v : invalid) total_invalid += v;
  meta["TotalRowsWithInvalidAttributes"] = total_invalid;
  std::vector<std::pair<std::string, int64_t>> by_type;
  for (size_t a = 0; a < kPersonAttributeCount; ++a) {
    by_type.emplace_back(std::string(PersonAttributeName(static_cast<PersonAttribute>(a))), invalid[a]);
  }
  std::sort(by_type.begin(), by_type.end());
  nlohmann::ordered_json types = nlohmann::ordered_json::object();
  for (const auto& [name, count] : by_type) types[name] = count;
  meta["InvalidAttributesByType"] = types;
  nlohmann::ordered_json rules = nlohmann::ordered_json::object();
  for (size_t r = 0; r < kOpenTokenRuleCount; ++r) rules["T" + std::to_string(r + 1)] = blank[r];
  meta["BlankTokensByRule"] = rules;

  TokensSummary summary;
  summary.rows = n;
  summary.token_rows = n * kOpenTokenRuleCount;
  summary.rows_with_invalid_attributes = static_cast<size_t>(total_invalid);
  summary.metadata_path = MetadataPath(options.output_path);
  // OpenToken creates the output folder; so do we.
  if (size_t slash = options.output_path.find_last_of('/'); slash != std::string::npos && slash > 0) {
    MG_RETURN_IF_ERROR(fs.CreateDirectories(options.output_path.substr(0, slash)));
  }
  MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> tokens_file, fs.NewAtomicFile(options.output_path));
  MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> meta_file, fs.NewAtomicFile(summary.metadata_path));
  MG_RETURN_IF_ERROR(tokens_file->Append(out));
  MG_RETURN_IF_ERROR(meta_file->Append(meta.dump(2) + "\n"));
  MG_RETURN_IF_ERROR(tokens_file->Commit());
  Status committed = meta_file->Commit();
  if (!committed.ok()) {
    (void)fs.Remove(options.output_path);
    return Error(committed);
  }
  return summary;
}

}  // namespace matchguard
