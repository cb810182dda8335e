// The facade behind include/matchguard/blocks.h: loads the schema, the secret and the CSV through
// FileSystem, builds the P-Sig (src/block/psig.h) or lambda-fold (src/block/lambda_fold.h) blocks and writes
// them atomically.
#include <fmt/format.h>

#include <chrono>
#include <variant>

#include "matchguard/blocks.h"
#include "src/block/lambda_fold.h"
#include "src/block/psig.h"
#include "src/encode/secret.h"
#include "src/io/csv.h"
#include "src/io/record_ids.h"
#include "src/io/table.h"
#include "src/normalize/standardize.h"

namespace matchguard {

namespace {

// What both schema types share: the features and blocklib's record-id-col.
struct SchemaCommon {
  const std::vector<PsigFeatureRef>& features;
  std::optional<int64_t> record_id_col;
};

SchemaCommon Common(const BlockingSchema& schema) {
  return std::visit([](const auto& s) { return SchemaCommon{s.blocking_features, s.record_id_col}; }, schema);
}

Result<size_t> IdColumn(const Table& table, const SchemaCommon& schema, const BlockOptions& options) {
  if (!options.id_column.empty()) {
    if (auto c = table.FindColumn(options.id_column)) return *c;
    return Error(Status::InvalidArgument(fmt::format("{}: line 1: --id-column '{}' is not a column of the header",
                                                     options.input_path, options.id_column)));
  }
  if (schema.record_id_col) {
    if (static_cast<size_t>(*schema.record_id_col) < table.num_columns())
      return static_cast<size_t>(*schema.record_id_col);
    return Error(Status::InvalidArgument(
        fmt::format("{}: config.record-id-col: column {} does not exist in {} ({} columns)", options.schema_path,
                    *schema.record_id_col, options.input_path, table.num_columns())));
  }
  return size_t{0};
}

// The input as the schema's features filled with standardised person fields, the id in column 0 (from
// --id-column when given, else the detected id field).
Result<Table> Standardize(const Table& raw, const SchemaCommon& schema, const BlockOptions& options) {
  std::vector<StandardizedName> names{{"record_id", false}};
  for (const PsigFeatureRef& f : schema.features) {
    if (f.name.empty()) {
      return Error(Status::InvalidArgument(
          fmt::format("{}: config.blocking-features: --standardize needs features named as person fields, found {}",
                      options.schema_path, f.Label())));
    }
    names.push_back({f.name, true});
  }
  MG_ASSIGN_OR_RETURN(Table table, StandardizeColumns(raw, names));
  if (!options.id_column.empty()) {
    auto c = raw.FindColumn(options.id_column);
    if (!c) {
      return Error(Status::InvalidArgument(fmt::format("{}: line 1: --id-column '{}' is not a column of the header",
                                                       options.input_path, options.id_column)));
    }
    table.mutable_column(0) = raw.column(*c);
  }
  return table;
}

}  // namespace

Result<BlockSummary> BlockRecords(FileSystem& fs, const BlockOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  if (options.output_path.empty()) return Error(Status::InvalidArgument("no output file given (-o)"));
  MG_ASSIGN_OR_RETURN(std::string schema_text, fs.ReadFile(options.schema_path));
  MG_ASSIGN_OR_RETURN(BlockingSchema schema, ParseBlockingSchema(schema_text, options.schema_path));
  const auto* lambda_fold = std::get_if<LambdaFoldSchema>(&schema);
  if (lambda_fold != nullptr && lambda_fold->input_clks && options.standardize) {
    return Error(Status::InvalidArgument(options.schema_path +
                                         ": config.input-clks: --standardize cannot apply to a CLK column; "
                                         "give input-clks false or leave out --standardize"));
  }
  MG_ASSIGN_OR_RETURN(Secret secret,
                      LoadSecret(fs, options.secret.file, options.secret.env_name, "the blocking secret"));
  MG_ASSIGN_OR_RETURN(PsigKeyer keyer, PsigKeyer::Create(secret.view()));
  secret.Wipe();
  CsvOptions csv;
  csv.trim_unquoted = options.trim_spaces;
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, options.input_path, csv));
  if (table.num_rows() == 0) return Error(Status::InvalidArgument(options.input_path + ": no data rows to block"));
  size_t id_column = 0;
  if (options.standardize) {
    MG_ASSIGN_OR_RETURN(table, Standardize(table, Common(schema), options));
  } else {
    MG_ASSIGN_OR_RETURN(id_column, IdColumn(table, Common(schema), options));
  }
  // The blocks file keys records by these ids; the matcher joins blocks to encodings through them.
  MG_RETURN_IF_ERROR(CheckRecordIds(table, id_column));
  const PsigBuildOptions build{id_column, options.input_path};
  MG_ASSIGN_OR_RETURN(PsigBlocks blocks, lambda_fold != nullptr
                                             ? BuildLambdaFoldBlocks(table, *lambda_fold, keyer, build)
                                             : BuildPsigBlocks(table, std::get<PsigSchema>(schema), keyer, build));
  if (blocks.keys.empty() && lambda_fold != nullptr) {
    return Error(Status::InvalidArgument(fmt::format(
        "{}: no record is in any block: every record's blocking features are missing or shorter than two characters",
        options.input_path)));
  }
  if (blocks.keys.empty()) {
    return Error(Status::InvalidArgument(fmt::format(
        "{}: no record is in any block: the schema's filter dropped all {} distinct signatures (or every value is "
        "missing); raise config.filter.max in {}",
        options.input_path, blocks.distinct_signatures, options.schema_path)));
  }
  MG_RETURN_IF_ERROR(WritePsigBlocks(fs, options.output_path, blocks));
  BlockSummary s;
  s.records = blocks.records();
  s.signatures = blocks.signatures;
  s.distinct_signatures = blocks.distinct_signatures;
  s.signatures_dropped = blocks.signatures_dropped;
  s.blocks = blocks.distinct_signatures - blocks.signatures_dropped;
  s.keys = blocks.keys.size();
  s.records_without_blocks = blocks.records_without_blocks;
  s.largest_block = blocks.largest_block;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace matchguard
