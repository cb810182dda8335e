// The implementation of the `matchguard inspect` facade (include/matchguard/inspect.h).
#include "matchguard/inspect.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "src/io/csv.h"
#include "src/normalize/config.h"
#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {
namespace {

// Fields whose common values are aggregate facts rather than identifiers.
bool ValuesMayBeShown(FieldKind kind) {
  switch (kind) {
    case FieldKind::kFirstName:
    case FieldKind::kMiddleName:
    case FieldKind::kLastName:
    case FieldKind::kSex:
    case FieldKind::kCity:
    case FieldKind::kState:
    case FieldKind::kZip:
      return true;
    default:
      return false;
  }
}

Result<InputConfig> LoadConfig(FileSystem& fs, const InspectOptions& options) {
  InputConfig config;
  if (!options.config_path.empty()) {
    MG_ASSIGN_OR_RETURN(config, LoadInputConfig(fs, options.config_path));
  }
  if (!options.delimiter.empty()) {
    Result<char> delimiter = ParseDelimiter(options.delimiter);
    if (!delimiter) return Error(delimiter.error().WithContext("--delimiter"));
    config.csv.delimiter = *delimiter;
  }
  return config;
}

InspectField DescribeField(const PersonTable& people, FieldKind kind, const std::string& column) {
  InspectField field;
  field.field = std::string(FieldKindName(kind));
  field.column = column;
  field.filled = people.stats(kind).filled;
  field.invalid = people.stats(kind).invalid;
  field.fill_rate = people.size() == 0 ? 0.0 : static_cast<double>(field.filled) / static_cast<double>(people.size());
  std::unordered_map<std::string_view, uint64_t> counts;
  const Column& values = people.field(kind);
  for (size_t row = 0; row < values.size(); ++row) {
    if (!values.IsEmpty(row)) ++counts[values[row]];
  }
  field.distinct = counts.size();
  field.values_shown = ValuesMayBeShown(kind);
  if (!field.values_shown) return field;
  std::vector<std::pair<std::string_view, uint64_t>> common;
  for (const auto& [value, count] : counts) {
    if (count >= kInspectMinShownCount) common.emplace_back(value, count);
  }
  const size_t shown = std::min(common.size(), kInspectTopValues);
  std::partial_sort(
      common.begin(), common.begin() + static_cast<std::ptrdiff_t>(shown), common.end(),
      [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  for (size_t i = 0; i < shown; ++i) field.top_values.push_back({std::string(common[i].first), common[i].second});
  return field;
}

std::string Percent(double rate) { return fmt::format("{:.1f}%", 100.0 * rate); }

}  // namespace

Result<InspectReport> InspectFile(FileSystem& fs, const InspectOptions& options) {
  MG_ASSIGN_OR_RETURN(InputConfig config, LoadConfig(fs, options));
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, options.path, config.csv));
  MG_ASSIGN_OR_RETURN(FieldMapping mapping, DetectFields(table, config.fields));
  MG_ASSIGN_OR_RETURN(PersonTable people, NormalizePeople(table, mapping, config.normalize));
  InspectReport report;
  report.path = options.path;
  report.rows = table.num_rows();
  report.columns = table.column_names();
  std::vector<bool> mapped(table.num_columns(), false);
  for (size_t i = 0; i < kFieldKindCount; ++i) {
    const auto kind = static_cast<FieldKind>(i);
    if (!people.has(kind)) continue;
    const std::optional<size_t> column = mapping.column(kind);
    if (column) mapped[*column] = true;
    report.fields.push_back(DescribeField(people, kind, column ? table.column_names()[*column] : "(from full_name)"));
  }
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (!mapped[i]) report.unmapped_columns.push_back(table.column_names()[i]);
  }
  return report;
}

std::string FormatInspectText(const InspectReport& report) {
  std::string out;
  auto line = std::back_inserter(out);
  fmt::format_to(line, "file: {}\nrows: {}\ncolumns: {}", report.path, report.rows, report.columns.size());
  if (!report.unmapped_columns.empty()) {
    fmt::format_to(line, " ({} not mapped: {})", report.unmapped_columns.size(),
                   fmt::join(report.unmapped_columns, ", "));
  }
  fmt::format_to(line, "\n\n{:<14} {:<18} {:>9} {:>7} {:>8} {:>9}  {}\n", "field", "column", "filled", "fill",
                 "invalid", "distinct", "most common (count)");
  for (const InspectField& f : report.fields) {
    std::string common;
    if (!f.values_shown) {
      common = "(identifying: counts only)";
    } else {
      for (const InspectValueCount& v : f.top_values) {
        if (!common.empty()) common += ", ";
        common += fmt::format("{} ({})", v.value, v.count);
      }
      if (f.top_values.empty()) common = fmt::format("(none seen {} times or more)", kInspectMinShownCount);
    }
    fmt::format_to(line, "{:<14} {:<18} {:>9} {:>7} {:>8} {:>9}  {}\n", f.field, f.column, f.filled,
                   Percent(f.fill_rate), f.invalid, f.distinct, common);
  }
  if (report.fields.empty()) out += "(no person fields detected: map the columns in a config's [fields] table)\n";
  return out;
}

std::string FormatInspectJson(const InspectReport& report) {
  nlohmann::ordered_json j;
  j["file"] = report.path;
  j["rows"] = report.rows;
  j["columns"] = report.columns;
  j["unmapped_columns"] = report.unmapped_columns;
  j["min_shown_count"] = kInspectMinShownCount;
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (const InspectField& f : report.fields) {
    nlohmann::ordered_json field;
    field["field"] = f.field;
    field["column"] = f.column;
    field["filled"] = f.filled;
    field["fill_rate"] = f.fill_rate;
    field["invalid"] = f.invalid;
    field["distinct"] = f.distinct;
    field["values_shown"] = f.values_shown;
    nlohmann::ordered_json top = nlohmann::ordered_json::array();
    for (const InspectValueCount& v : f.top_values) top.push_back({{"value", v.value}, {"count", v.count}});
    field["top_values"] = std::move(top);
    fields.push_back(std::move(field));
  }
  j["fields"] = std::move(fields);
  return j.dump(2) + "\n";
}

}  // namespace matchguard
