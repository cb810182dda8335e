#include "src/io/csv.h"

#include <cstring>
#include <unordered_set>

#include "matchguard/limits.h"
#include "src/core/utf8.h"

namespace matchguard {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsTrimmable(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsTrimmable(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsTrimmable(s.back())) s.remove_suffix(1);
  return s;
}

std::string DescribeDelimiter(char d) {
  switch (d) {
    case ',': return "a comma";
    case '\t': return "a tab";
    case '|': return "a pipe";
    default: return std::string("'") + d + "'";
  }
}

}  // namespace

Result<char> ParseDelimiter(std::string_view name) {
  if (name == "comma" || name == ",") return ',';
  if (name == "tab" || name == "\t" || name == "\\t") return '\t';
  if (name == "pipe" || name == "|") return '|';
  if (name == "semicolon" || name == ";") return ';';
  return Error(Status::InvalidArgument("unknown delimiter '" + std::string(name) +
                                       "': expected comma, tab, pipe or semicolon"));
}

CsvReader::CsvReader(std::string_view data, std::string source_name, CsvOptions options)
    : data_(data), source_name_(std::move(source_name)), options_(options) {
  if (data_.starts_with(kByteOrderMark)) pos_ = kByteOrderMark.size();
  special_[static_cast<unsigned char>(options_.delimiter)] = true;
  special_[static_cast<unsigned char>('\n')] = true;
  special_[static_cast<unsigned char>('\r')] = true;
}

std::string CsvReader::ColumnLabel(size_t field_index) const {
  std::string label = "column " + std::to_string(field_index + 1);
  if (field_index < header_.size()) label += " (" + header_[field_index] + ")";
  return label;
}

Status CsvReader::FieldError(size_t field_index, uint64_t line, const std::string& what) const {
  return Status::InvalidArgument(source_name_ + ": line " + std::to_string(line) + ", " +
                                 ColumnLabel(field_index) + ": " + what);
}

Status CsvReader::ReadHeader(std::vector<std::string>* header) {
  if (pos_ >= data_.size()) {
    return Status::InvalidArgument(source_name_ + ": the file is empty; expected a header row naming the columns");
  }
  if (data_[pos_] == '\n' || data_[pos_] == '\r') {
    return Status::InvalidArgument(source_name_ +
                                   ": line 1: the first line is blank; expected a header row naming the columns");
  }
  std::vector<std::string_view> fields;
  MG_ASSIGN_OR_RETURN(bool got, ParseRecord(&fields));
  if (!got) return Status::InvalidArgument(source_name_ + ": expected a header row naming the columns");
  std::unordered_set<std::string> seen;
  header_.clear();
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string name(Trim(fields[i]));
    if (name.empty()) return FieldError(i, record_line_, "the header has an empty column name");
    if (!seen.insert(name).second) {
      return FieldError(i, record_line_, "the header names column '" + name + "' twice");
    }
    header_.push_back(std::move(name));
  }
  *header = header_;
  return Status::Ok();
}

// Limits and binary data, checked per field: a 100 MB name or a million-column row is refused where it
// starts, before anything downstream multiplies it.
Status CsvReader::CheckLimits(size_t field_index, std::string_view value) const {
  const InputLimits& limits = CurrentInputLimits();
  if (value.size() > limits.max_field_bytes) {
    return FieldError(field_index, record_line_,
                      "the field is longer than the limit of " + DescribeBytes(limits.max_field_bytes) +
                          " per field; raise it with --max-field-kb if such values are expected");
  }
  if (field_index >= limits.max_columns) {
    return Status::InvalidArgument(source_name_ + ": line " + std::to_string(record_line_) + ": more than " +
                                   std::to_string(limits.max_columns) +
                                   " fields in a row, the limit (raise it with --max-columns)");
  }
  if (std::memchr(value.data(), '\0', value.size()) != nullptr) {
    return FieldError(field_index, record_line_, "a NUL byte: this is binary data, expected UTF-8 text");
  }
  return Status::Ok();
}

Result<bool> CsvReader::Next(std::vector<std::string_view>* fields) {
  while (true) {
    // Skip blank lines between records.
    while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
      if (data_[pos_] == '\n') ++line_;
      ++pos_;
    }
    if (pos_ >= data_.size()) return false;
    MG_ASSIGN_OR_RETURN(bool got, ParseRecord(fields));
    if (!got) return false;
    if (!header_.empty() && fields->size() != header_.size()) {
      return Error(Status::InvalidArgument(
          source_name_ + ": line " + std::to_string(record_line_) + ": the row has " +
          std::to_string(fields->size()) + " fields, expected " + std::to_string(header_.size()) +
          " as in the header (check for an unquoted " + DescribeDelimiter(options_.delimiter) + ")"));
    }
    return true;
  }
}

Result<bool> CsvReader::ParseRecord(std::vector<std::string_view>* fields) {
  fields->clear();
  record_line_ = line_;
  const char* data = data_.data();
  const size_t n = data_.size();
  const char delim = options_.delimiter;
  size_t pos = pos_;
  if (pos >= n) return false;
  while (true) {
    const size_t field_index = fields->size();
    std::string_view value;
    bool needs_utf8_check = false;
    if (options_.trim_unquoted) {
      size_t p = pos;
      while (p < n && IsTrimmable(data[p]) && data[p] != delim) ++p;
      if (p < n && data[p] == '"') pos = p;
    }
    if (pos < n && data[pos] == '"') {
      const uint64_t open_line = line_;
      size_t start = ++pos;
      bool escaped = false;
      while (true) {
        const void* q = std::memchr(data + pos, '"', n - pos);
        if (q == nullptr) {
          return Error(FieldError(field_index, open_line,
                                  "a quoted field is not closed: expected a closing '\"' before the end of the file"));
        }
        size_t qpos = static_cast<size_t>(static_cast<const char*>(q) - data);
        for (size_t k = pos; k < qpos; ++k) line_ += data[k] == '\n';
        if (qpos + 1 < n && data[qpos + 1] == '"') {
          escaped = true;
          pos = qpos + 2;
          continue;
        }
        value = std::string_view(data + start, qpos - start);
        pos = qpos + 1;
        break;
      }
      if (escaped) {
        if (unescaped_.size() <= field_index) unescaped_.resize(field_index + 1);
        std::string& buf = unescaped_[field_index];
        buf.clear();
        for (size_t k = 0; k < value.size(); ++k) {
          buf.push_back(value[k]);
          if (value[k] == '"') ++k;  // skip the second quote of a doubled pair
        }
        value = buf;
      }
      if (options_.trim_unquoted) {
        while (pos < n && IsTrimmable(data[pos]) && data[pos] != delim) ++pos;
      }
      if (pos < n && data[pos] != delim && data[pos] != '\n' && data[pos] != '\r') {
        return Error(FieldError(field_index, line_,
                                "unexpected character after a closing quote: expected " +
                                    DescribeDelimiter(delim) + " or the end of the line"));
      }
      needs_utf8_check = true;
    } else {
      size_t start = pos;
      unsigned char high = 0;
      while (pos < n) {
        unsigned char c = static_cast<unsigned char>(data[pos]);
        if (special_[c]) break;
        high |= c;
        ++pos;
      }
      value = std::string_view(data + start, pos - start);
      if (options_.trim_unquoted) value = Trim(value);
      needs_utf8_check = (high & 0x80) != 0;
    }
    if (needs_utf8_check) {
      size_t bad = FindInvalidUtf8(value);
      if (bad != std::string_view::npos) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(value[bad]));
        return Error(FieldError(field_index, record_line_,
                                std::string("invalid UTF-8 (byte ") + hex + " at offset " + std::to_string(bad) +
                                    " of the field); expected UTF-8 text"));
      }
    }
    MG_RETURN_IF_ERROR(CheckLimits(field_index, value));
    fields->push_back(value);
    if (pos >= n) break;
    char c = data[pos];
    if (c == delim) {
      ++pos;
      if (pos >= n) {  // a trailing delimiter means one more empty field
        fields->push_back(std::string_view());
        break;
      }
      continue;
    }
    // End of line: LF, CRLF or a lone CR.
    if (c == '\r') ++pos;
    if (pos < n && data[pos] == '\n') ++pos;
    ++line_;
    break;
  }
  pos_ = pos;
  return true;
}

Result<Table> ParseCsvTable(std::string_view data, const std::string& source_name, const CsvOptions& options) {
  CsvReader reader(data, source_name, options);
  std::vector<std::string> header;
  MG_RETURN_IF_ERROR(reader.ReadHeader(&header));
  Table table(source_name, header);
  // Estimate rows from the size so that arenas grow rarely.
  const size_t approx_rows = data.size() / (16 * header.size() + 1) + 1;
  for (size_t c = 0; c < header.size(); ++c) {
    table.mutable_column(c).Reserve(approx_rows, data.size() / header.size());
  }
  std::vector<std::string_view> fields;
  while (true) {
    MG_ASSIGN_OR_RETURN(bool got, reader.Next(&fields));
    if (!got) break;
    for (size_t c = 0; c < fields.size(); ++c) table.mutable_column(c).Append(fields[c]);
    table.AppendRowLine(reader.record_line());
  }
  return table;
}

Result<Table> ReadCsvTable(FileSystem& fs, const std::string& path, const CsvOptions& options) {
  MG_ASSIGN_OR_RETURN(std::string data, fs.ReadFile(path));
  return ParseCsvTable(data, path, options);
}

void AppendCsvField(std::string* out, std::string_view value, char delimiter) {
  bool needs_quotes = false;
  for (char c : value) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) {
    out->append(value);
    return;
  }
  out->push_back('"');
  for (char c : value) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

}  // namespace matchguard
