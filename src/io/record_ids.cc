#include "src/io/record_ids.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <vector>

#include "matchguard/safe_text.h"

namespace matchguard {
namespace {

std::string InAll(uint64_t count) { return count > 1 ? fmt::format(" ({} in all)", count) : std::string(); }

}  // namespace

IdDefect FindIdDefect(std::string_view id) {
  if (id.empty()) return IdDefect::kEmpty;
  if (FindControlCharacter(id) != std::string_view::npos) return IdDefect::kControl;
  if (StartsLikeFormula(id)) return IdDefect::kFormula;
  return IdDefect::kNone;
}

void RecordIdAudit::Add(std::string_view id, uint64_t line) {
  switch (FindIdDefect(id)) {
    case IdDefect::kEmpty:
      empty.Note(line);
      return;  // an empty id is reported once as empty, not also as repeated
    case IdDefect::kControl:
      control.Note(line);
      break;
    case IdDefect::kFormula:
      formula.Note(line);
      break;
    case IdDefect::kNone:
      break;
  }
  if (role_ == IdRole::kReference) return;
  auto [it, inserted] = first_line_of_.emplace(id, line);
  if (!inserted) duplicate.Note(line, it->second);
}

Status RecordIdAudit::ToStatus(std::string_view source, std::string_view column_label) const {
  if (clean()) return Status::Ok();
  std::vector<std::string> broken;
  if (duplicate.count > 0) {
    broken.push_back(fmt::format("line {} repeats the id of line {}{}; ids are keys and must be unique",
                                 duplicate.first_line, duplicate.earlier_line, InAll(duplicate.count)));
  }
  if (empty.count > 0) {
    broken.push_back(
        fmt::format("line {} has an empty id{}; every record needs an id", empty.first_line, InAll(empty.count)));
  }
  if (control.count > 0) {
    broken.push_back(fmt::format(
        "line {} has an id holding a control character{}; ids must be printable text (no NUL, tab, newline, "
        "escape or bidirectional control)",
        control.first_line, InAll(control.count)));
  }
  if (formula.count > 0) {
    broken.push_back(fmt::format(
        "line {} has an id starting with =, +, - or @{}, which a spreadsheet would run as a formula; ids must "
        "not start like a formula",
        formula.first_line, InAll(formula.count)));
  }
  return Status::InvalidArgument(
      fmt::format("{}: {}: bad record ids: {}", source, column_label, fmt::join(broken, "; ")));
}

std::string ColumnLabel(const Table& table, size_t column) {
  return fmt::format("column {} ({})", column + 1, EscapeControlCharacters(table.column_names()[column]));
}

RecordIdAudit AuditRecordIds(const Table& table, size_t column, IdRole role) {
  RecordIdAudit audit(role);
  const Column& ids = table.column(column);
  for (size_t row = 0; row < ids.size(); ++row) audit.Add(ids[row], table.source_line(row));
  return audit;
}

Status CheckRecordIds(const Table& table, size_t column, IdRole role) {
  return AuditRecordIds(table, column, role).ToStatus(table.source_name(), ColumnLabel(table, column));
}

}  // namespace matchguard
