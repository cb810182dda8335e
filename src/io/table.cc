#include "src/io/table.h"

namespace matchguard {

Table::Table(std::string source_name, std::vector<std::string> column_names)
    : source_name_(std::move(source_name)), names_(std::move(column_names)), columns_(names_.size()) {}

std::optional<size_t> Table::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

size_t Table::AddColumn(std::string name, Column values) {
  names_.push_back(std::move(name));
  columns_.push_back(std::move(values));
  return columns_.size() - 1;
}

}  // namespace matchguard
