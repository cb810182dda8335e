// Record ids are keys: the one place that says which ids a file may hold.
//
// Every command that keys on ids (link, dedupe, train, plan, encode, tokens, block, match, evaluate, a
// governed release) looks records up by id, so a repeated id attaches one person's data to another's
// match, an empty id opens a case on nobody, a control character forges lines on a terminal, and an id
// starting like a formula runs in the analyst's spreadsheet. Such ids are refused at input:
//   - empty, after the reader's trimming;
//   - holding a control character (matchguard/safe_text.h: NUL, tab, CR, LF, ESC, DEL, C1, bidi controls);
//   - starting like a spreadsheet formula ('=', '+', '-', '@' and their full-width forms);
//   - repeated within one file.
// Messages name the file, the column and the lines, never the id itself (it may identify a person).
//
// Thread-safety: an audit belongs to one thread; the free functions are pure.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "matchguard/status.h"
#include "src/io/table.h"

namespace matchguard {

enum class IdDefect : uint8_t { kNone, kEmpty, kControl, kFormula };

// A file's own ids are keys and must be unique; ids that refer to another file's records (the left_id of a
// pairs, hits or truth file) repeat legitimately but must pass every other rule.
enum class IdRole : uint8_t { kKey, kReference };

// What is wrong with one id on its own (duplicates need the whole file: RecordIdAudit).
IdDefect FindIdDefect(std::string_view id);

// How often one rule is broken, and where first.
struct IdFinding {
  uint64_t count = 0;
  uint64_t first_line = 0;
  uint64_t earlier_line = 0;  // duplicates only: the line that first held the repeated id

  void Note(uint64_t line, uint64_t earlier = 0) {
    if (count++ == 0) {
      first_line = line;
      earlier_line = earlier;
    }
  }
};

// Collects the defects of a file's ids. REQUIRES: every id added outlives the audit (it keeps views).
class RecordIdAudit {
 public:
  explicit RecordIdAudit(IdRole role = IdRole::kKey) : role_(role) {}
  void Add(std::string_view id, uint64_t line);

  bool clean() const { return empty.count + control.count + formula.count + duplicate.count == 0; }
  // OK, or InvalidArgument naming `source`, `column_label` ("column 1 (record_id)"), each rule broken,
  // its first line and how often.
  Status ToStatus(std::string_view source, std::string_view column_label) const;

  IdFinding empty, control, formula, duplicate;

 private:
  IdRole role_;
  std::unordered_map<std::string_view, uint64_t> first_line_of_;
};

// "column 2 (record_id)" for messages, as the CSV reader names columns.
std::string ColumnLabel(const Table& table, size_t column);

// Audits column `column` of `table` (its rows' source lines are named).
RecordIdAudit AuditRecordIds(const Table& table, size_t column, IdRole role = IdRole::kKey);
// The same, as a Status naming every rule broken.
Status CheckRecordIds(const Table& table, size_t column, IdRole role = IdRole::kKey);

}  // namespace matchguard
