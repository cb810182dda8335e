// Table: a columnar, in-memory copy of a delimited file.
//
// Each column is one contiguous UTF-8 arena plus row offsets, so a scan of one field touches one buffer.
// Rows remember the line of the file where they started, so later stages can name it in errors.
// Derived columns (normalised names, phonetic codes) are added with AddColumn by the normalize layer.
//
// Thread-safety: const methods may be called concurrently; mutation needs external synchronisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace matchguard {

class Column {
 public:
  Column() { offsets_.push_back(0); }

  size_t size() const { return offsets_.size() - 1; }
  std::string_view operator[](size_t row) const {
    return std::string_view(arena_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]);
  }
  bool IsEmpty(size_t row) const { return offsets_[row] == offsets_[row + 1]; }
  void Append(std::string_view value) {
    arena_.append(value);
    offsets_.push_back(arena_.size());
  }
  void Reserve(size_t rows, size_t bytes) {
    offsets_.reserve(rows + 1);
    arena_.reserve(bytes);
  }
  size_t arena_bytes() const { return arena_.size(); }

 private:
  std::string arena_;
  std::vector<uint64_t> offsets_;
};

class Table {
 public:
  Table() = default;
  Table(std::string source_name, std::vector<std::string> column_names);

  // The file this table came from, for error messages ("left.csv").
  const std::string& source_name() const { return source_name_; }
  size_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  size_t num_columns() const { return columns_.size(); }
  const std::vector<std::string>& column_names() const { return names_; }
  const Column& column(size_t index) const { return columns_[index]; }
  Column& mutable_column(size_t index) { return columns_[index]; }
  std::string_view Get(size_t col, size_t row) const { return columns_[col][row]; }

  // Index of the column with exactly this name.
  std::optional<size_t> FindColumn(std::string_view name) const;
  // Adds a column (for example a derived one); REQUIRES: values.size() == num_rows() unless the table
  // has no columns yet. Returns its index.
  size_t AddColumn(std::string name, Column values);

  // Line (1-based) in the source file where `row` starts; 0 when the table was not read from a file.
  uint64_t source_line(size_t row) const { return row < lines_.size() ? lines_[row] : 0; }
  void AppendRowLine(uint64_t line) { lines_.push_back(line); }

 private:
  std::string source_name_;
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  std::vector<uint64_t> lines_;
};

}  // namespace matchguard
