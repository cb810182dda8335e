// The release stage of a governed link: authorise, link, project the output onto the agreement's
// disclosure list, record the run. See include/matchguard/governed_link.h.
#include "matchguard/governed_link.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <unordered_map>

#include "matchguard/safe_text.h"
#include "src/audit/date.h"
#include "src/block/blocking.h"
#include "src/core/private_files.h"
#include "src/governance/enforcement.h"
#include "src/io/csv.h"
#include "src/io/record_ids.h"
#include "src/normalize/fields.h"
#include "src/normalize/values.h"
#include "src/pipeline/governed_release.h"
#include "src/pipeline/linkage_config.h"

namespace matchguard {
namespace {

// The columns the engine's pairs output always has, in the names agreements use.
constexpr std::string_view kLeftId = "left.id";
constexpr std::string_view kRightId = "right.id";
constexpr std::string_view kProbability = "match_probability";
constexpr std::string_view kWeight = "match_weight";

// Output header name of a disclosure item: "left.mbi" -> "left_mbi".
std::string ColumnName(std::string_view item) {
  std::string name(item);
  std::replace(name.begin(), name.end(), '.', '_');
  return name;
}

// Comparisons a linkage config explicitly turns on: asking for an unlisted one is refused, not narrowed.
Result<std::vector<std::string>> ExplicitlyConfiguredFields(const LinkOptions& link) {
  std::vector<std::string> fields;
  if (link.config_path.empty()) return fields;
  FileSystem& fs = link.fs != nullptr ? *link.fs : *DefaultFileSystem();
  MG_ASSIGN_OR_RETURN(LinkageConfig config, LoadLinkageConfig(fs, link.config_path));
  for (const auto& [field, override] : config.comparisons) {
    if (override.enabled.value_or(true)) fields.emplace_back(FieldKindName(field));
  }
  return fields;
}

// Chooses the fields to compare: the agreement's list, narrowed to what the data has. A configuration
// that asks for a field outside the agreement is refused rather than silently narrowed, and so is a
// blocking rule keyed on an unlisted field (blocking is matching too).
Result<std::vector<std::string>> ChooseMatchFields(const GovernedLinkOptions& options, const Agreement& agreement) {
  MG_ASSIGN_OR_RETURN(std::vector<std::string> requested, ExplicitlyConfiguredFields(options.link));
  std::vector<std::string> refused;
  for (const std::string& field : requested) {
    if (!Listed(agreement.match_fields, field)) refused.push_back(field);
  }
  if (!refused.empty()) {
    return Error(Status::PermissionDenied(
        fmt::format("agreement {} does not authorise matching on {} (configured in {}); it lists [{}]", agreement.id,
                    fmt::join(refused, ", "), options.link.config_path, fmt::join(agreement.match_fields, ", "))));
  }
  LinkOptions probe = options.link;
  probe.match_fields.clear();
  MG_ASSIGN_OR_RETURN(PlanReport plan, PlanLinkage(probe));
  std::vector<std::string> chosen;
  for (const std::string& field : plan.fields) {
    if (Listed(agreement.match_fields, field)) chosen.push_back(field);
  }
  if (chosen.empty()) {
    return Error(Status::PermissionDenied(
        fmt::format("none of the fields agreement {} authorises for matching ([{}]) were found in the inputs",
                    agreement.id, fmt::join(agreement.match_fields, ", "))));
  }
  for (const PlanRule& rule : plan.rules) {
    MG_ASSIGN_OR_RETURN(BlockingRule parsed, ParseBlockingRule(rule.rule));
    for (const KeyPart& part : parsed.parts) {
      if (!Listed(agreement.match_fields, FieldKindName(part.field))) {
        return Error(Status::PermissionDenied(fmt::format(
            "blocking rule {} uses {}, which agreement {} does not authorise for matching; set [blocking] rules "
            "in a config to rules over [{}]",
            rule.rule, FieldKindName(part.field), agreement.id, fmt::join(agreement.match_fields, ", "))));
      }
    }
  }
  return chosen;
}

// A side's extra disclosed field, looked up by record id in that side's raw file.
struct SideColumn {
  std::string item;               // "left.mbi"
  std::optional<FieldKind> kind;  // the person field it holds, when it is one
  std::string path;               // for messages: "left.csv: line 9, column 13 (mbi)"
  std::string column_label;
  struct Value {
    std::string text;
    uint64_t line = 0;
  };
  std::unordered_map<std::string, Value> by_id;

  // The value released for `id` (empty when absent): refused unless it has the field's declared format
  // (an SSN in the mbi column is not released as an MBI), neutralised if a spreadsheet would run it.
  Result<std::string> Released(std::string_view id) const {
    auto it = by_id.find(std::string(id));
    if (it == by_id.end()) return std::string();
    if (kind) {
      Status format = CheckDeclaredFormat(*kind, it->second.text);
      if (!format.ok()) {
        return Error(format.WithContext(
            fmt::format("{}: line {}, {}: refusing to release {}", path, it->second.line, column_label, item)));
      }
    }
    return NeutralizeCell(it->second.text);
  }
};

Result<SideColumn> LoadSideColumn(FileSystem& fs, const std::string& item, const std::string& path) {
  std::string field = item.substr(item.find('.') + 1);
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, path));
  MG_ASSIGN_OR_RETURN(FieldMapping mapping, DetectFields(table));
  std::optional<FieldKind> kind = ParseFieldKind(field);
  std::optional<size_t> column = kind ? mapping.column(*kind) : table.FindColumn(field);
  std::optional<size_t> id_column = mapping.column(FieldKind::kId);
  if (!column || !id_column) {
    return Error(Status::InvalidArgument(
        fmt::format("the agreement discloses {} but {} has no {} column (or no id column)", item, path, field)));
  }
  // Ids are keys here too: with a repeated id, another person's value would be released.
  MG_RETURN_IF_ERROR(CheckRecordIds(table, *id_column));
  SideColumn out{item, kind ? kind : DetectFieldKind(field), path, ColumnLabel(table, *column), {}};
  out.by_id.reserve(table.num_rows());
  for (size_t r = 0; r < table.num_rows(); ++r) {
    out.by_id.emplace(std::string(table.Get(*id_column, r)),
                      SideColumn::Value{std::string(table.Get(*column, r)), table.source_line(r)});
  }
  return out;
}

struct Release {
  std::vector<std::string> header;
  std::vector<MatchHit> hits;
  double false_match_rate = 0.0;
  std::string text;  // the released CSV, published only once the run is recorded
};

// Rewrites the engine's pairs file as the released output: authorised columns only, status `unverified`.
Result<Release> ProjectOutput(FileSystem& fs, const std::string& engine_output, const Purpose& purpose,
                              const GovernedLinkOptions& options) {
  MG_ASSIGN_OR_RETURN(Table pairs, ReadCsvTable(fs, engine_output));
  std::vector<SideColumn> extras;
  for (const std::string& item : purpose.disclose) {
    if (item == kLeftId || item == kRightId || item == kProbability || item == kWeight) continue;
    const bool left = item.starts_with("left.");
    if (!left && !item.starts_with("right.")) {
      return Error(Status::InvalidArgument("cannot release '" + item +
                                           "': a governed link can release left.<field>, "
                                           "right.<field>, match_probability and match_weight"));
    }
    MG_ASSIGN_OR_RETURN(SideColumn column,
                        LoadSideColumn(fs, item, left ? options.link.left_path : options.link.right_path));
    extras.push_back(std::move(column));
  }
  auto authorised = [&](std::string_view item) {
    return std::find(purpose.disclose.begin(), purpose.disclose.end(), item) != purpose.disclose.end();
  };
  Release release;
  const size_t left_id = *pairs.FindColumn("left_id"), right_id = *pairs.FindColumn("right_id");
  const size_t probability = *pairs.FindColumn("match_probability"), weight = *pairs.FindColumn("match_weight");
  if (authorised(kLeftId)) release.header.push_back("left_id");
  if (authorised(kRightId)) release.header.push_back("right_id");
  if (authorised(kProbability)) release.header.push_back("match_probability");
  if (authorised(kWeight)) release.header.push_back("match_weight");
  for (const SideColumn& extra : extras) release.header.push_back(ColumnName(extra.item));
  release.header.push_back("status");

  std::string out = fmt::format("{}\n", fmt::join(release.header, ","));
  double unlikely = 0.0;
  for (size_t r = 0; r < pairs.num_rows(); ++r) {
    std::vector<std::string> released;  // owns the extra values that `row` views
    released.reserve(extras.size());
    std::vector<std::string_view> row;
    if (authorised(kLeftId)) row.push_back(pairs.Get(left_id, r));
    if (authorised(kRightId)) row.push_back(pairs.Get(right_id, r));
    if (authorised(kProbability)) row.push_back(pairs.Get(probability, r));
    if (authorised(kWeight)) row.push_back(pairs.Get(weight, r));
    for (const SideColumn& extra : extras) {
      std::string_view id = pairs.Get(extra.item.starts_with("left.") ? left_id : right_id, r);
      MG_ASSIGN_OR_RETURN(std::string value, extra.Released(id));
      released.push_back(std::move(value));
      row.push_back(released.back());
    }
    row.push_back("unverified");
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendCsvField(&out, row[i]);
    }
    out.push_back('\n');
    const double p = std::stod(std::string(pairs.Get(probability, r)));
    unlikely += 1.0 - p;
    release.hits.push_back({std::string(pairs.Get(left_id, r)), std::string(pairs.Get(right_id, r)), p});
  }
  release.false_match_rate = release.hits.empty() ? 0.0 : unlikely / static_cast<double>(release.hits.size());
  release.text = std::move(out);
  return release;
}

}  // namespace

Result<GovernedLinkSummary> GovernedLinkFiles(const GovernedLinkOptions& options) {
  FileSystem& fs = options.link.fs != nullptr ? *options.link.fs : *DefaultFileSystem();
  if (options.link.explain) {
    return Error(Status::PermissionDenied(
        "--explain is not available on a governed run: per-field comparison levels would disclose more than the "
        "agreement's authorised columns"));
  }
  const ScopedPrivateUmask private_files;  // hits hold identifiers: owner-only, whatever the umask
  MG_ASSIGN_OR_RETURN(Date today, Today());
  MG_ASSIGN_OR_RETURN(Agreement agreement, LoadAgreement(fs, options.agreement_path));
  MG_RETURN_IF_ERROR(CheckGovernedOutput(agreement, options.link.output_path));

  GovernedRunRequest request;
  request.agreement_path = options.agreement_path;
  request.purpose = options.purpose;
  request.today = today;
  request.case_store_path = options.case_store_path;
  request.input_paths = {options.link.left_path, options.link.right_path};
  // Dates first: an agreement not in force refuses before any record is read.
  MG_RETURN_IF_ERROR(CheckRunAuthorized(agreement, request));
  MG_ASSIGN_OR_RETURN(const Purpose* purpose, ResolvePurpose(agreement, options.purpose));
  request.purpose = purpose->name;
  request.disclosed_fields = purpose->disclose;

  MG_ASSIGN_OR_RETURN(request.match_fields, ChooseMatchFields(options, agreement));
  MG_ASSIGN_OR_RETURN(request.field_mapping,
                      LinkFieldMapping(fs, options.link, agreement, request.match_fields, request.input_ids_sha256));
  MG_ASSIGN_OR_RETURN(PlanReport plan, PlanLinkage(options.link));
  request.left_records = plan.left_records;
  request.right_records = plan.right_records;
  MG_RETURN_IF_ERROR(CheckRunAuthorized(agreement, request));
  MG_RETURN_IF_ERROR(CheckCumulativeVolume(fs, agreement, request));

  LinkOptions link = options.link;
  link.match_fields = request.match_fields;
  link.output_columns.clear();
  TemporaryPath engine_output(fs, options.link.output_path + ".engine.tmp");
  link.output_path = engine_output.path();
  GovernedLinkSummary summary;
  MG_ASSIGN_OR_RETURN(summary.link, LinkFiles(link));
  MG_ASSIGN_OR_RETURN(Release release, ProjectOutput(fs, engine_output.path(), *purpose, options));
  (void)fs.Remove(engine_output.path());  // it holds unauthorised columns (match_weight): gone at once

  request.model_description =
      fmt::format("fellegi-sunter em over [{}], prior {:.6f}, {}", fmt::join(request.match_fields, ", "),
                  summary.link.prior, summary.link.model_loaded ? "loaded model" : "trained on this run");
  request.threshold = summary.link.threshold;
  request.estimated_false_match_rate = release.false_match_rate;
  MG_RETURN_IF_ERROR(PublishRecorded(fs, agreement, request, release.hits, options.link.output_path, release.text));
  summary.agreement_id = agreement.id;
  summary.purpose = purpose->name;
  summary.match_fields = request.match_fields;
  summary.released_columns = release.header;
  summary.cases_opened = release.hits.size();
  summary.estimated_false_match_rate = release.false_match_rate;
  return summary;
}

std::string GovernedLinkSummaryText(const GovernedLinkSummary& summary) {
  return LinkSummaryText(summary.link) +
         fmt::format(
             "governed by agreement {} for purpose '{}'\nmatched on: {}\nreleased columns: {}\n"
             "raw cases opened: {} (every hit is unverified until independently verified)\n"
             "estimated false-match rate at the threshold: {:.4f}\n",
             summary.agreement_id, summary.purpose, fmt::join(summary.match_fields, ", "),
             fmt::join(summary.released_columns, ","), summary.cases_opened, summary.estimated_false_match_rate);
}

}  // namespace matchguard
