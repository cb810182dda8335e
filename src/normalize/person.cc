#include "src/normalize/person.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <vector>

#include "src/io/record_ids.h"
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

bool IsOneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// The words of a folded name without leading titles ("dr", "mrs") and trailing generational or
// professional suffixes ("jr", "iii", "md"), which are not part of a first or last name.
std::vector<std::string_view> NameWords(std::string_view folded) {
  std::vector<std::string_view> words;
  for (std::string_view rest = folded; !rest.empty();) {
    const size_t space = rest.find(' ');
    words.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  size_t begin = 0;
  while (begin + 1 < words.size() && IsOneOf(words[begin], {"mr", "mrs", "ms", "miss", "dr", "prof", "rev"})) ++begin;
  size_t end = words.size();
  while (end > begin + 1 && IsOneOf(words[end - 1], {"jr", "sr", "ii", "iii", "iv", "md", "phd", "esq"})) --end;
  return {words.begin() + static_cast<std::ptrdiff_t>(begin), words.begin() + static_cast<std::ptrdiff_t>(end)};
}

// The words from `words[begin]` to `words[end - 1]` as one view of the folded name they point into.
std::string_view WordSpan(const std::vector<std::string_view>& words, size_t begin, size_t end) {
  if (begin >= end) return {};
  return std::string_view(words[begin].data(),
                          static_cast<size_t>(words[end - 1].data() + words[end - 1].size() - words[begin].data()));
}

struct NameParts {
  std::string_view first, middle, last;
};

// "Smith, John A" (the comma form puts the surname first) or "John A Smith"; `before` and `after` hold the
// folded text the parts point into. A single word is taken as the first name. The surname keeps all its
// words in the comma form ("van der berg"); without a comma it is the last word, and what lies between the
// first and last words is the middle name.
NameParts SplitFullName(std::string_view raw, std::string* before, std::string* after) {
  NameParts parts;
  const size_t comma = raw.find(',');
  if (comma != std::string_view::npos) {
    FoldTextInto(raw.substr(0, comma), before);
    FoldTextInto(raw.substr(comma + 1), after);
    const std::vector<std::string_view> surname = NameWords(*before);
    const std::vector<std::string_view> given = NameWords(*after);
    if (!given.empty()) parts.first = given.front();
    parts.middle = WordSpan(given, 1, given.size());
    parts.last = WordSpan(surname, 0, surname.size());
    return parts;
  }
  FoldTextInto(raw, before);
  const std::vector<std::string_view> words = NameWords(*before);
  if (!words.empty()) parts.first = words.front();
  if (words.size() >= 2) parts.last = words.back();
  if (words.size() >= 3) parts.middle = WordSpan(words, 1, words.size() - 1);
  return parts;
}

void AppendDerived(std::string_view value, ColumnOutput out) {
  out.values->Append(value);
  out.stats->filled += value.empty() ? 0 : 1;
}

// Derives first, middle and last names from full names: "Dr John A Smith Jr" -> john / a / smith;
// "Smith, John A" -> john / a / smith. `middle` is null when the file has its own middle-name column.
void DeriveNameParts(const Column& full, ColumnOutput first, ColumnOutput last, std::optional<ColumnOutput> middle) {
  first.values->Reserve(full.size(), full.arena_bytes() / 2);
  last.values->Reserve(full.size(), full.arena_bytes() / 2);
  if (middle) middle->values->Reserve(full.size(), full.arena_bytes() / 4);
  std::string before;
  std::string after;
  for (size_t row = 0; row < full.size(); ++row) {
    const NameParts parts = SplitFullName(full[row], &before, &after);
    AppendDerived(parts.first, first);
    AppendDerived(parts.last, last);
    if (middle) AppendDerived(parts.middle, *middle);
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
  // Ids key pairs, clusters and released rows, so a repeated or unprintable one stops every command here.
  if (options.check_ids && mapping.has(FieldKind::kId)) {
    MG_RETURN_IF_ERROR(CheckRecordIds(table, *mapping.column(FieldKind::kId)));
  }
  PersonTable people;
  people.num_rows_ = table.num_rows();
  people.source_name_ = table.source_name();
  people.mapping_ = mapping;
  const bool derive_names =
      mapping.has(FieldKind::kFullName) && !mapping.has(FieldKind::kFirstName) && !mapping.has(FieldKind::kLastName);
  const bool derive_middle = derive_names && !mapping.has(FieldKind::kMiddleName);
  auto output = [&people](FieldKind kind) {
    const size_t i = PersonTable::Index(kind);
    return ColumnOutput{&people.columns_[i], &people.stats_[i]};
  };
  // One task per field; each writes only its own slots (the full-name task also fills first, middle and
  // last).
  tbb::parallel_for(size_t{0}, kinds.size(), [&](size_t i) {
    const FieldKind kind = kinds[i];
    const Column& source = table.column(*mapping.column(kind));
    NormalizeColumn(source, kind, options, output(kind));
    if (kind == FieldKind::kFullName && derive_names) {
      DeriveNameParts(source, output(FieldKind::kFirstName), output(FieldKind::kLastName),
                      derive_middle ? std::optional(output(FieldKind::kMiddleName)) : std::nullopt);
    }
  });
  for (FieldKind kind : kinds) people.present_[PersonTable::Index(kind)] = true;
  if (derive_names) {
    people.present_[PersonTable::Index(FieldKind::kFirstName)] = true;
    people.present_[PersonTable::Index(FieldKind::kLastName)] = true;
  }
  // A middle name is a field only where some full name has one: "John Smith" alone says nothing.
  if (derive_middle && people.stats_[PersonTable::Index(FieldKind::kMiddleName)].filled > 0) {
    people.present_[PersonTable::Index(FieldKind::kMiddleName)] = true;
  }
  people.ids_ =
      mapping.has(FieldKind::kId) ? people.columns_[PersonTable::Index(FieldKind::kId)] : RowNumbers(table.num_rows());
  return people;
}

}  // namespace matchguard
