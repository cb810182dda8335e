// The implementation of the `matchguard inspect` facade (include/matchguard/inspect.h).
#include "matchguard/inspect.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>

#include "matchguard/safe_text.h"
#include "src/io/csv.h"
#include "src/io/record_ids.h"
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

// Counts the distinct values of a column with open addressing over one flat array: a million distinct ids
// cost one hash and a probe or two each, not a node allocation as in std::unordered_map.
class ValueCounter {
 public:
  void Add(std::string_view value) {
    if ((values_.size() + 1) * 2 > slots_.size()) Grow();
    const size_t hash = std::hash<std::string_view>{}(value);
    for (size_t slot = hash & (slots_.size() - 1);; slot = (slot + 1) & (slots_.size() - 1)) {
      uint32_t& entry = slots_[slot];
      if (entry == kEmpty) {
        entry = static_cast<uint32_t>(values_.size());
        values_.push_back({value, hash, 1});
        return;
      }
      Entry& existing = values_[entry];
      if (existing.hash == hash && existing.value == value) {
        ++existing.count;
        return;
      }
    }
  }

  size_t distinct() const { return values_.size(); }
  template <typename Visit>
  void ForEach(Visit visit) const {
    for (const Entry& e : values_) visit(e.value, e.count);
  }

 private:
  struct Entry {
    std::string_view value;
    size_t hash;
    uint64_t count;
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;

  void Grow() {
    slots_.assign(std::max<size_t>(1024, slots_.size() * 2), kEmpty);
    for (size_t i = 0; i < values_.size(); ++i) {
      size_t slot = values_[i].hash & (slots_.size() - 1);
      while (slots_[slot] != kEmpty) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = static_cast<uint32_t>(i);
    }
  }

  std::vector<uint32_t> slots_;
  std::vector<Entry> values_;
};

InspectField DescribeField(const PersonTable& people, FieldKind kind, const std::string& column) {
  InspectField field;
  field.field = std::string(FieldKindName(kind));
  field.column = column;
  field.filled = people.stats(kind).filled;
  field.invalid = people.stats(kind).invalid;
  field.fill_rate = people.size() == 0 ? 0.0 : static_cast<double>(field.filled) / static_cast<double>(people.size());
  ValueCounter counts;
  const Column& values = people.field(kind);
  for (size_t row = 0; row < values.size(); ++row) {
    if (!values.IsEmpty(row)) counts.Add(values[row]);
  }
  field.distinct = counts.distinct();
  field.values_shown = ValuesMayBeShown(kind);
  if (!field.values_shown) return field;
  std::vector<std::pair<std::string_view, uint64_t>> common;
  counts.ForEach([&common](std::string_view value, uint64_t count) {
    if (count >= kInspectMinShownCount) common.emplace_back(value, count);
  });
  const size_t shown = std::min(common.size(), kInspectTopValues);
  std::partial_sort(
      common.begin(), common.begin() + static_cast<std::ptrdiff_t>(shown), common.end(),
      [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  for (size_t i = 0; i < shown; ++i) field.top_values.push_back({std::string(common[i].first), common[i].second});
  return field;
}

// A file where no header names a person field is most often headerless (its first record read as the
// header) or not a person file at all: either way, describing it would only describe nothing.
Status CheckSomeFieldDetected(const Table& table, const FieldMapping& mapping) {
  for (size_t i = 0; i < kFieldKindCount; ++i) {
    if (static_cast<FieldKind>(i) != FieldKind::kId && mapping.columns[i].has_value()) return Status::Ok();
  }
  return Status::InvalidArgument(fmt::format(
      "{}: line 1: no column is recognised as a person field (is the first line a header?); columns found: {}. "
      "Name the columns that hold person fields in a config's [fields] table and pass it with --config",
      table.source_name(), fmt::join(table.column_names(), ", ")));
}

InspectIds DescribeIds(const Table& table, size_t column) {
  const RecordIdAudit audit = AuditRecordIds(table, column);
  InspectIds ids;
  ids.column = table.column_names()[column];
  ids.repeated = audit.duplicate.count;
  ids.empty = audit.empty.count;
  ids.control = audit.control.count;
  ids.formula = audit.formula.count;
  ids.problem = audit.ToStatus(table.source_name(), ColumnLabel(table, column)).message();
  return ids;
}

std::string Percent(double rate) { return fmt::format("{:.1f}%", 100.0 * rate); }

}  // namespace

Result<InspectReport> InspectFile(FileSystem& fs, const InspectOptions& options) {
  MG_ASSIGN_OR_RETURN(InputConfig config, LoadConfig(fs, options));
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, options.path, config.csv));
  MG_ASSIGN_OR_RETURN(FieldMapping mapping, DetectFields(table, config.fields));
  MG_RETURN_IF_ERROR(CheckSomeFieldDetected(table, mapping));
  NormalizeOptions normalize = config.normalize;
  normalize.check_ids = false;  // reported below instead
  MG_ASSIGN_OR_RETURN(PersonTable people, NormalizePeople(table, mapping, normalize));
  InspectReport report;
  if (const std::optional<size_t> id = mapping.column(FieldKind::kId)) report.ids = DescribeIds(table, *id);
  report.path = options.path;
  report.rows = table.num_rows();
  report.columns = table.column_names();
  std::vector<bool> mapped(table.num_columns(), false);
  std::vector<FieldKind> kinds;
  for (size_t i = 0; i < kFieldKindCount; ++i) {
    const auto kind = static_cast<FieldKind>(i);
    if (!people.has(kind)) continue;
    kinds.push_back(kind);
    if (const std::optional<size_t> column = mapping.column(kind)) mapped[*column] = true;
  }
  report.fields.resize(kinds.size());
  tbb::parallel_for(size_t{0}, kinds.size(), [&](size_t i) {
    const std::optional<size_t> column = mapping.column(kinds[i]);
    report.fields[i] = DescribeField(people, kinds[i], column ? table.column_names()[*column] : "(from full_name)");
  });
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (!mapped[i]) report.unmapped_columns.push_back(table.column_names()[i]);
  }
  return report;
}

std::string FormatInspectText(const InspectReport& report) {
  std::string out;
  auto line = std::back_inserter(out);
  // Names and values come from the file: escaped, so a header cannot drive the terminal.
  fmt::format_to(line, "file: {}\nrows: {}\ncolumns: {}", EscapeControlCharacters(report.path), report.rows,
                 report.columns.size());
  if (!report.unmapped_columns.empty()) {
    fmt::format_to(line, " ({} not mapped: {})", report.unmapped_columns.size(),
                   EscapeControlCharacters(fmt::format("{}", fmt::join(report.unmapped_columns, ", "))));
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
        common += fmt::format("{} ({})", EscapeControlCharacters(v.value), v.count);
      }
      if (f.top_values.empty()) common = fmt::format("(none seen {} times or more)", kInspectMinShownCount);
    }
    fmt::format_to(line, "{:<14} {:<18} {:>9} {:>7} {:>8} {:>9}  {}\n", f.field, EscapeControlCharacters(f.column),
                   f.filled, Percent(f.fill_rate), f.invalid, f.distinct, common);
  }
  if (report.fields.empty()) out += "(no person fields detected: map the columns in a config's [fields] table)\n";
  if (!report.ids.problem.empty()) {
    const InspectIds& ids = report.ids;
    fmt::format_to(line, "\nrecord ids: {} repeated, {} empty, {} with control characters, {} formula-like: {}\n",
                   ids.repeated, ids.empty, ids.control, ids.formula, ids.problem);
  }
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
  if (!report.ids.column.empty()) {
    const InspectIds& ids = report.ids;
    j["record_ids"] = {{"column", ids.column},   {"repeated", ids.repeated}, {"empty", ids.empty},
                       {"control", ids.control}, {"formula", ids.formula},   {"problem", ids.problem}};
  }
  return j.dump(2) + "\n";
}

}  // namespace matchguard
