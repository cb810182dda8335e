#include "src/normalize/standardize.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>

#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {

Result<Table> StandardizeColumns(const Table& input, const std::vector<StandardizedName>& names) {
  MG_ASSIGN_OR_RETURN(FieldMapping mapping, DetectFields(input));
  MG_ASSIGN_OR_RETURN(PersonTable people, NormalizePeople(input, mapping));
  std::vector<std::string> column_names;
  for (const StandardizedName& n : names) column_names.push_back(n.name);
  Table out(input.source_name(), column_names);
  for (size_t c = 0; c < names.size(); ++c) {
    const std::optional<FieldKind> kind = DetectFieldKind(names[c].name);
    const bool present = kind && (*kind == FieldKind::kId || people.has(*kind));
    if (!present && names[c].required) {
      return Error(Status::InvalidArgument(fmt::format(
          "{}: cannot standardise '{}': {} (the file has columns {})", input.source_name(), names[c].name,
          kind ? fmt::format("no column holds the {} field", FieldKindName(*kind)) : "it names no known person field",
          fmt::join(input.column_names(), ", "))));
    }
    Column& column = out.mutable_column(c);
    column.Reserve(input.num_rows(), 0);
    for (size_t row = 0; row < input.num_rows(); ++row) {
      column.Append(!present ? std::string_view() : *kind == FieldKind::kId ? people.id(row) : people.value(*kind, row));
    }
  }
  for (size_t row = 0; row < input.num_rows(); ++row) out.AppendRowLine(input.source_line(row));
  return out;
}

}  // namespace matchguard
