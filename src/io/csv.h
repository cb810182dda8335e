// Delimited-text reading (RFC 4180): quoted fields holding delimiters, quotes and newlines; CRLF or LF
// line ends; an optional UTF-8 byte-order mark; a header row; comma, tab or pipe delimiters.
//
// CsvReader walks a buffer row by row without copying unquoted fields, so a pass over a file costs one
// scan. ReadCsvTable loads a whole file into a columnar Table. Every error names the file, the line, the
// column (1-based, with its header name) and what was expected. Fields longer than, and rows wider than,
// the process's InputLimits (matchguard/limits.h) are refused, as is a NUL byte (binary data).
//
// Thread-safety: a CsvReader belongs to one thread.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/io/table.h"

namespace matchguard {

struct CsvOptions {
  char delimiter = ',';
  // Strip spaces and tabs around unquoted fields (FEBRL writes "a, b"). Quoted fields are kept as is.
  bool trim_unquoted = true;
};

// Parses a delimiter name from a config or flag: "comma", "tab", "pipe", ",", "\t" or "|".
Result<char> ParseDelimiter(std::string_view name);

class CsvReader {
 public:
  // REQUIRES: `data` outlives the reader. `source_name` is used in error messages.
  CsvReader(std::string_view data, std::string source_name, CsvOptions options = {});

  // Reads the header row. Fails on an empty file, a blank first line or an empty or repeated column name.
  Status ReadHeader(std::vector<std::string>* header);

  // Reads the next record into `fields` (views valid until the next call). Returns false at the end.
  // Blank lines are skipped. A record whose field count differs from the header's is an error.
  Result<bool> Next(std::vector<std::string_view>* fields);

  // Line (1-based) on which the record last returned by Next (or the header) started.
  uint64_t record_line() const { return record_line_; }
  const std::vector<std::string>& header() const { return header_; }

 private:
  Result<bool> ParseRecord(std::vector<std::string_view>* fields);
  Status FieldError(size_t field_index, uint64_t line, const std::string& what) const;
  Status CheckLimits(size_t field_index, std::string_view value) const;
  std::string ColumnLabel(size_t field_index) const;

  std::string_view data_;
  std::string source_name_;
  CsvOptions options_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  uint64_t record_line_ = 0;
  std::vector<std::string> header_;
  // One buffer per field index for quoted fields holding "". A deque, so that growing it never moves the
  // buffers that earlier fields of the same record still point into.
  std::deque<std::string> unescaped_;
  bool special_[256] = {};
};

// Reads a whole delimited file into a Table with one column per header name.
Result<Table> ReadCsvTable(FileSystem& fs, const std::string& path, const CsvOptions& options = {});
// The same, from text already in memory.
Result<Table> ParseCsvTable(std::string_view data, const std::string& source_name,
                            const CsvOptions& options = {});

// Quotes a value for CSV output when it holds the delimiter, a quote, CR or LF.
void AppendCsvField(std::string* out, std::string_view value, char delimiter = ',');

}  // namespace matchguard
