#include "src/encode/clk_file.h"

#include <openssl/evp.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "src/io/csv.h"
#include "src/io/record_ids.h"

namespace matchguard {
namespace {

constexpr std::string_view kBinaryMagic = "MGCLK001";
constexpr size_t kBinaryHeaderBytes = 24;

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

uint64_t LoadLe(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void StoreLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Collects decoded rows, checking that they all have the same length.
class RowCollector {
 public:
  explicit RowCollector(const std::string& source) : source_(source) {}

  // `row` is 0-based among the encodings; `where` describes its position for messages ("line 3").
  Status Add(std::string_view base64, size_t row, const std::string& where) {
    if (!Base64Decode(base64, &scratch_)) {
      return Status::InvalidArgument(source_ + ": " + where + " (encoding " + std::to_string(row) +
                                     "): corrupt base64 in the clk");
    }
    if (scratch_.empty()) {
      return Status::InvalidArgument(source_ + ": " + where + " (encoding " + std::to_string(row) +
                                     "): empty clk");
    }
    if (!first_size_) {
      first_size_ = scratch_.size();
      first_where_ = where;
    } else if (*first_size_ != scratch_.size()) {
      return Status::InvalidArgument(source_ + ": encodings of different lengths: " + where + " (encoding " +
                                     std::to_string(row) + ") has " + std::to_string(scratch_.size() * 8) +
                                     " bits but " + first_where_ + " (encoding 0) has " +
                                     std::to_string(*first_size_ * 8) + " bits");
    }
    bytes_.insert(bytes_.end(), scratch_.begin(), scratch_.end());
    return Status::Ok();
  }

  ClkSet Finish() const {
    ClkSet set;
    size_t row_bytes = first_size_.value_or(0);
    size_t rows = row_bytes == 0 ? 0 : bytes_.size() / row_bytes;
    if (row_bytes == 0) return set;
    set.Resize(static_cast<uint32_t>(row_bytes * 8), rows);
    for (size_t i = 0; i < rows; ++i) std::memcpy(set.mutable_row(i), bytes_.data() + i * row_bytes, row_bytes);
    return set;
  }

 private:
  const std::string& source_;
  std::vector<uint8_t> scratch_;
  std::vector<uint8_t> bytes_;
  std::optional<size_t> first_size_;
  std::string first_where_;
};

Result<ClkSet> ParseBinary(std::string_view data, const std::string& source) {
  if (data.size() < kBinaryHeaderBytes) {
    return Error(Status::InvalidArgument(source + ": truncated binary clk file: expected a " +
                                         std::to_string(kBinaryHeaderBytes) + "-byte header, found " +
                                         std::to_string(data.size()) + " bytes"));
  }
  uint64_t bits = LoadLe(data.data() + 8, 4);
  uint64_t flags = LoadLe(data.data() + 12, 4);
  uint64_t count = LoadLe(data.data() + 16, 8);
  if (bits == 0 || bits % 8 != 0) {
    return Error(Status::InvalidArgument(source + ": binary clk header: bit length " + std::to_string(bits) +
                                         " is not a positive multiple of 8"));
  }
  if (flags != 0) {
    return Error(Status::InvalidArgument(source + ": binary clk header: unsupported flags " +
                                         std::to_string(flags) + " (expected 0)"));
  }
  uint64_t row_bytes = bits / 8;
  uint64_t body = data.size() - kBinaryHeaderBytes;
  std::string shape = "header says " + std::to_string(count) + " encodings of " + std::to_string(bits) +
                      " bits, so expected ";
  if (count > body / row_bytes) {
    // Guard the multiplication against a hostile count.
    std::string expected = count > (UINT64_MAX - kBinaryHeaderBytes) / row_bytes
                               ? "more than 2^64"
                               : std::to_string(kBinaryHeaderBytes + count * row_bytes);
    return Error(Status::InvalidArgument(source + ": truncated binary clk file: " + shape + expected +
                                         " bytes, found " + std::to_string(data.size())));
  }
  if (body != count * row_bytes) {
    return Error(Status::InvalidArgument(source + ": binary clk file has trailing bytes: " + shape +
                                         std::to_string(kBinaryHeaderBytes + count * row_bytes) +
                                         " bytes, found " + std::to_string(data.size())));
  }
  ClkSet set;
  set.Resize(static_cast<uint32_t>(bits), count);
  const char* p = data.data() + kBinaryHeaderBytes;
  for (size_t i = 0; i < count; ++i) std::memcpy(set.mutable_row(i), p + i * row_bytes, row_bytes);
  return set;
}

Result<ClkSet> ParseJson(std::string_view data, const std::string& source) {
  nlohmann::json doc = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Error(Status::InvalidArgument(source + ": not valid JSON (expected {\"clks\": [base64, ...]})"));
  }
  if (!doc.is_object() || !doc.contains("clks") || !doc["clks"].is_array()) {
    return Error(Status::InvalidArgument(source + ": expected a JSON object with a \"clks\" array"));
  }
  RowCollector rows(source);
  const auto& clks = doc["clks"];
  for (size_t i = 0; i < clks.size(); ++i) {
    std::string where = "clks[" + std::to_string(i) + "]";
    if (!clks[i].is_string()) {
      return Error(Status::InvalidArgument(source + ": " + where + " is not a string (expected base64)"));
    }
    MG_RETURN_IF_ERROR(rows.Add(clks[i].get_ref<const std::string&>(), i, where));
  }
  return rows.Finish();
}

Result<ClkSet> ParseCsv(std::string_view data, const std::string& source) {
  CsvReader reader(data, source);
  std::vector<std::string> header;
  MG_RETURN_IF_ERROR(reader.ReadHeader(&header));
  if (header.size() != 2 || header[0] != "id" || header[1] != "clk") {
    return Error(Status::InvalidArgument(source + ": line 1: expected the header 'id,clk'"));
  }
  RowCollector rows(source);
  std::vector<std::string> ids;
  std::vector<uint64_t> lines;
  std::vector<std::string_view> fields;
  for (size_t i = 0;; ++i) {
    MG_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    MG_RETURN_IF_ERROR(rows.Add(fields[1], i, "line " + std::to_string(reader.record_line())));
    ids.emplace_back(fields[0]);
    lines.push_back(reader.record_line());
  }
  // The matcher's pairs and the blocks files key on these ids.
  RecordIdAudit audit;
  for (size_t i = 0; i < ids.size(); ++i) audit.Add(ids[i], lines[i]);
  MG_RETURN_IF_ERROR(audit.ToStatus(source, "column 1 (id)"));
  ClkSet set = rows.Finish();
  set.ids = std::move(ids);
  return set;
}

void AppendBase64Row(std::string* out, const ClkSet& set, size_t i) {
  size_t start = out->size();
  out->resize(start + 4 * ((set.row_bytes() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out->data() + start), set.row(i),
                          static_cast<int>(set.row_bytes()));
  out->resize(start + static_cast<size_t>(n));
}

}  // namespace

Result<ClkFormat> ParseClkFormat(std::string_view name) {
  if (name == "clkhash-json" || name == "json") return ClkFormat::kClkhashJson;
  if (name == "csv") return ClkFormat::kCsv;
  if (name == "binary") return ClkFormat::kBinary;
  return Error(Status::InvalidArgument("unknown encoding format '" + std::string(name) +
                                       "' (expected clkhash-json, csv or binary)"));
}

std::string_view ClkFormatName(ClkFormat format) {
  switch (format) {
    case ClkFormat::kClkhashJson:
      return "clkhash-json";
    case ClkFormat::kCsv:
      return "csv";
    case ClkFormat::kBinary:
      return "binary";
  }
  return "unknown";
}

size_t ClkStrideBytes(uint32_t bits) {
  size_t bytes = (bits + 7) / 8;
  return (bytes + ClkSet::kRowAlignment - 1) / ClkSet::kRowAlignment * ClkSet::kRowAlignment;
}

void ClkSet::Resize(uint32_t bit_length, size_t rows) {
  bits = bit_length;
  count = rows;
  stride_bytes = ClkStrideBytes(bit_length);
  data.assign(stride_bytes * rows, 0);
}

bool Base64Decode(std::string_view text, std::vector<uint8_t>* out) {
  out->clear();
  if (text.size() % 4 != 0) return false;
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  for (size_t i = 0; i + pad < text.size(); ++i) {
    if (!IsBase64Char(text[i])) return false;
  }
  if (text.empty()) return true;
  out->resize(text.size() / 4 * 3);
  // EVP_DecodeBlock decodes padding as zero bytes, so the pad count is removed afterwards.
  int n = EVP_DecodeBlock(out->data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0 || static_cast<size_t>(n) != out->size()) return false;
  out->resize(out->size() - pad);
  return true;
}

std::string Base64Encode(const uint8_t* bytes, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<size_t>(n));
  return out;
}

Result<ClkSet> ParseClkData(std::string_view data, const std::string& source_name) {
  if (data.substr(0, kBinaryMagic.size()) == kBinaryMagic) return ParseBinary(data, source_name);
  size_t first = data.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && data[first] == '{') return ParseJson(data, source_name);
  std::string_view head = data.substr(0, 16);
  if (head.substr(0, 3) == "\xEF\xBB\xBF") head.remove_prefix(3);
  if (head.substr(0, 6) == "id,clk") return ParseCsv(data, source_name);
  return Error(Status::InvalidArgument(
      source_name + ": unknown encodings format (expected clkhash JSON {\"clks\": [...]}, CSV with header "
                    "'id,clk', or a binary file starting with MGCLK001)"));
}

Result<ClkSet> ReadClkFile(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string data, fs.ReadFile(path));
  return ParseClkData(data, path);
}

std::string SerializeClkSet(const ClkSet& set, ClkFormat format) {
  std::string out;
  switch (format) {
    case ClkFormat::kBinary:
      out.reserve(kBinaryHeaderBytes + set.count * set.row_bytes());
      out.append(kBinaryMagic);
      StoreLe(&out, set.bits, 4);
      StoreLe(&out, 0, 4);
      StoreLe(&out, set.count, 8);
      for (size_t i = 0; i < set.count; ++i) {
        out.append(reinterpret_cast<const char*>(set.row(i)), set.row_bytes());
      }
      break;
    case ClkFormat::kClkhashJson:
      out.reserve(16 + set.count * (set.row_bytes() * 4 / 3 + 8));
      out.append("{\"clks\": [");
      for (size_t i = 0; i < set.count; ++i) {
        out.append(i == 0 ? "\"" : ", \"");
        AppendBase64Row(&out, set, i);
        out.push_back('"');
      }
      out.append("]}\n");
      break;
    case ClkFormat::kCsv:
      out.reserve(8 + set.count * (set.row_bytes() * 4 / 3 + 24));
      out.append("id,clk\n");
      for (size_t i = 0; i < set.count; ++i) {
        if (set.ids.size() == set.count) {
          AppendCsvField(&out, set.ids[i]);
        } else {
          out.append(std::to_string(i));
        }
        out.push_back(',');
        AppendBase64Row(&out, set, i);
        out.push_back('\n');
      }
      break;
  }
  return out;
}

Status WriteClkFile(FileSystem& fs, const std::string& path, const ClkSet& set, ClkFormat format) {
  return fs.WriteFileAtomically(path, SerializeClkSet(set, format));
}

}  // namespace matchguard
