#include "src/normalize/person.h"

#include <tbb/parallel_for.h>

#include <charconv>
#include <vector>

#include "src/normalize/text.h"
#include "src/normalize/values.h"

namespace matchguard {
namespace {

struct ColumnOutput {
  Column* values;
  FieldStats* stats;
};

void NormalizeColumn(const Column& source, FieldKind kind, const NormalizeOptions& options, ColumnOutput out) {
  out.values->Reserve(source.size(), source.arena_bytes());
  std::string value;
  for (size_t row = 0; row < source.size(); ++row) {
    const std::string_view raw = source[row];
    if (TrimAscii(raw).empty()) {
      out.values->Append({});
      continue;
    }
    ++out.stats->filled;
    if (NormalizeValue(kind, raw, options, &value)) {
      out.values->Append(value);
    } else {
      ++out.stats->invalid;
      out.values->Append({});
    }
  }
}

// The first word of a folded text.
std::string_view FirstWord(std::string_view folded) { return folded.substr(0, folded.find(' ')); }

// The last word of a folded text with at least two words, else empty.
std::string_view LastWord(std::string_view folded) {
  const size_t space = folded.rfind(' ');
  return space == std::string_view::npos ? std::string_view() : folded.substr(space + 1);
}

// Derives first and last names from full names: "John A Smith" -> john / smith; "Smith, John A" (the
// comma form puts the surname first) -> john / smith. A single word is taken as the first name.
void DeriveNameParts(const Column& full, ColumnOutput first, ColumnOutput last) {
  first.values->Reserve(full.size(), full.arena_bytes() / 2);
  last.values->Reserve(full.size(), full.arena_bytes() / 2);
  std::string before;
  std::string after;
  for (size_t row = 0; row < full.size(); ++row) {
    const std::string_view raw = full[row];
    const size_t comma = raw.find(',');
    std::string_view first_name;
    std::string_view last_name;
    if (comma != std::string_view::npos) {
      FoldTextInto(raw.substr(0, comma), &before);
      FoldTextInto(raw.substr(comma + 1), &after);
      first_name = FirstWord(after);
      last_name = before;
    } else {
      FoldTextInto(raw, &before);
      first_name = FirstWord(before);
      last_name = LastWord(before);
    }
    first.values->Append(first_name);
    last.values->Append(last_name);
    first.stats->filled += first_name.empty() ? 0 : 1;
    last.stats->filled += last_name.empty() ? 0 : 1;
  }
}

Column RowNumbers(size_t rows) {
  Column ids;
  ids.Reserve(rows, rows * 7);
  char buffer[24];
  for (size_t row = 1; row <= rows; ++row) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), row);
    ids.Append(std::string_view(buffer, static_cast<size_t>(end - buffer)));
  }
  return ids;
}

}  // namespace

Result<PersonTable> NormalizePeople(const Table& table, const FieldMapping& mapping, const NormalizeOptions& options) {
  std::vector<FieldKind> kinds;
  for (size_t i = 0; i < kFieldKindCount; ++i) {
    const auto kind = static_cast<FieldKind>(i);
    const std::optional<size_t> column = mapping.column(kind);
    if (!column) continue;
    if (*column >= table.num_columns()) {
      return Error(Status::InvalidArgument(
          table.source_name() + ": the field mapping puts " + std::string(FieldKindName(kind)) + " in column " +
          std::to_string(*column + 1) + ", but the file has " + std::to_string(table.num_columns()) + " columns"));
    }
    kinds.push_back(kind);
  }
  PersonTable people;
  people.num_rows_ = table.num_rows();
  people.source_name_ = table.source_name();
  people.mapping_ = mapping;
  const bool derive_names =
      mapping.has(FieldKind::kFullName) && !mapping.has(FieldKind::kFirstName) && !mapping.has(FieldKind::kLastName);
  auto output = [&people](FieldKind kind) {
    const size_t i = PersonTable::Index(kind);
    return ColumnOutput{&people.columns_[i], &people.stats_[i]};
  };
  // One task per field; each writes only its own slots (the full-name task also fills first and last).
  tbb::parallel_for(size_t{0}, kinds.size(), [&](size_t i) {
    const FieldKind kind = kinds[i];
    const Column& source = table.column(*mapping.column(kind));
    NormalizeColumn(source, kind, options, output(kind));
    if (kind == FieldKind::kFullName && derive_names) {
      DeriveNameParts(source, output(FieldKind::kFirstName), output(FieldKind::kLastName));
    }
  });
  for (FieldKind kind : kinds) people.present_[PersonTable::Index(kind)] = true;
  if (derive_names) {
    people.present_[PersonTable::Index(FieldKind::kFirstName)] = true;
    people.present_[PersonTable::Index(FieldKind::kLastName)] = true;
  }
  people.ids_ =
      mapping.has(FieldKind::kId) ? people.columns_[PersonTable::Index(FieldKind::kId)] : RowNumbers(table.num_rows());
  return people;
}

}  // namespace matchguard
