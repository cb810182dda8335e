#include "src/block/psig.h"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>
#include <optional>

#include "src/compare/phonetic.h"
#include "src/io/table.h"
#include "src/normalize/text.h"

namespace matchguard {

namespace {

constexpr std::string_view kFormat = "matchguard-psig-blocks";
constexpr int64_t kVersion = 1;
// Prefixes keep P-Sig keys apart from any other MAC made with the same secret (e.g. by `encode`).
constexpr std::string_view kSignatureLabel{"matchguard p-sig signature v1\0", 30};
constexpr std::string_view kLambdaFoldLabel{"matchguard lambda-fold group v1\0", 32};
constexpr std::string_view kKeyCheckLabel = "matchguard p-sig key check v1";

// Byte offsets of the code points of valid UTF-8 `value`, plus value.size() at the end.
std::vector<size_t> CodePointStarts(std::string_view value) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < value.size(); ++i) {
    if ((static_cast<unsigned char>(value[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(value.size());
  return starts;
}

// Python's normalisation of a slice bound against length n.
int64_t SliceBound(int64_t i, int64_t n) {
  if (i < 0) i += n;
  return std::clamp<int64_t>(i, 0, n);
}

}  // namespace

std::string PsigCharactersAt(std::string_view value, const std::vector<PsigPosition>& positions) {
  const std::vector<size_t> starts = CodePointStarts(value);
  const int64_t n = static_cast<int64_t>(starts.size()) - 1;
  auto chars = [&](int64_t from, int64_t to) {  // code points [from, to), already in range
    return from >= to ? std::string_view() : value.substr(starts[from], starts[to] - starts[from]);
  };
  std::string out;
  if (n == 0) return out;
  for (const PsigPosition& p : positions) {
    if (!p.slice) {
      // blocklib: feature[min(p, len - 1)]; a negative index beyond the start has no character.
      int64_t i = std::min(*p.start, n - 1);
      if (i < 0) i += n;
      if (i >= 0) out += chars(i, i + 1);
    } else if (p.start && p.end) {
      out += chars(SliceBound(std::min(*p.start, n - 1), n), SliceBound(std::min(*p.end, n), n));
    } else if (p.end) {
      out += chars(0, SliceBound(std::min(*p.end, n), n));
    } else {
      out += chars(SliceBound(std::min(*p.start, n), n), n);
    }
  }
  return out;
}

std::string PsigSpecPart(const PsigSpec& spec, std::string_view folded_value) {
  switch (spec.strategy) {
    case PsigStrategy::kFeatureValue:
      return std::string(folded_value);
    case PsigStrategy::kCharactersAt:
      return PsigCharactersAt(folded_value, spec.positions);
    case PsigStrategy::kMetaphone: {
      // blocklib joins both Double Metaphone codes; python-metaphone leaves the second empty when equal.
      DoubleMetaphoneCodes codes = DoubleMetaphoneBoth(folded_value);
      return codes.alternate == codes.primary ? codes.primary : codes.primary + codes.alternate;
    }
  }
  return {};
}

// ---------------------------------------------------------------- keys

struct PsigKeyer::Impl {
  EVP_MAC_CTX* ctx = nullptr;
  ~Impl() { EVP_MAC_CTX_free(ctx); }

  uint64_t Mac(std::string_view label, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    // Re-initialising without a key reuses the keyed state; these calls cannot fail once Create did.
    EVP_MAC_init(ctx, nullptr, 0, nullptr);
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(label.data()), label.size());
    EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    EVP_MAC_final(ctx, out, &len, sizeof(out));
    uint64_t key = 0;
    for (int i = 0; i < 8; ++i) key = (key << 8) | out[i];
    return key;
  }
};

PsigKeyer::PsigKeyer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PsigKeyer::PsigKeyer(PsigKeyer&&) noexcept = default;
PsigKeyer& PsigKeyer::operator=(PsigKeyer&&) noexcept = default;
PsigKeyer::~PsigKeyer() = default;

Result<PsigKeyer> PsigKeyer::Create(std::string_view secret) {
  if (secret.empty()) return Error(Status::InvalidArgument("the blocking secret is empty"));
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return Error(Status::Internal("OpenSSL has no HMAC"));
  auto impl = std::make_unique<Impl>();
  impl->ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (impl->ctx == nullptr ||
      EVP_MAC_init(impl->ctx, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), params) != 1) {
    return Error(Status::Internal("could not key HMAC-SHA256"));
  }
  return PsigKeyer(std::move(impl));
}

Result<PsigKeyer> PsigKeyer::Clone() const {
  auto impl = std::make_unique<Impl>();
  impl->ctx = EVP_MAC_CTX_dup(impl_->ctx);
  if (impl->ctx == nullptr) return Error(Status::Internal("could not copy the HMAC context"));
  return PsigKeyer(std::move(impl));
}

uint64_t PsigKeyer::Key(std::string_view signature) { return impl_->Mac(kSignatureLabel, signature); }
uint64_t PsigKeyer::LambdaFoldKey(std::string_view block_key) { return impl_->Mac(kLambdaFoldLabel, block_key); }
uint64_t PsigKeyer::KeyCheck() { return impl_->Mac(kKeyCheckLabel, ""); }

// ---------------------------------------------------------------- data-owner side

namespace {

// The table columns each strategy's specs read, checked against the header.
Result<std::vector<std::vector<size_t>>> ResolveColumns(const Table& table, const PsigSchema& schema,
                                                        const std::string& source) {
  auto column_of = [&](const PsigFeatureRef& ref) -> Result<size_t> {
    if (ref.name.empty()) {
      if (static_cast<size_t>(ref.index) < table.num_columns()) return static_cast<size_t>(ref.index);
      return Error(
          Status::InvalidArgument(fmt::format("{}: line 1: blocking feature column {} does not exist (the "
                                              "header has {} columns)",
                                              source, ref.index, table.num_columns())));
    }
    if (auto c = table.FindColumn(ref.name)) return *c;
    return Error(Status::InvalidArgument(
        fmt::format("{}: line 1: blocking feature '{}' is not a column of the header", source, ref.name)));
  };
  for (const PsigFeatureRef& ref : schema.blocking_features) MG_RETURN_IF_ERROR(column_of(ref).status());
  std::vector<std::vector<size_t>> columns;
  for (const auto& specs : schema.strategies) {
    columns.emplace_back();
    for (const PsigSpec& spec : specs) {
      MG_ASSIGN_OR_RETURN(size_t c, column_of(spec.feature));
      columns.back().push_back(c);
    }
  }
  return columns;
}

// Keys of one chunk of rows before filtering: counts[r - begin] keys per row, in order.
struct ChunkKeys {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> counts;
  uint64_t signatures = 0;
};

ChunkKeys KeyRows(const Table& table, const PsigSchema& schema, const std::vector<std::vector<size_t>>& columns,
                  const std::string& folded_sentinel, PsigKeyer& keyer, size_t begin, size_t end) {
  ChunkKeys out;
  out.counts.reserve(end - begin);
  std::vector<std::string> folded(table.num_columns());
  std::vector<char> is_folded(table.num_columns());
  std::string signature;
  for (size_t r = begin; r < end; ++r) {
    std::fill(is_folded.begin(), is_folded.end(), 0);
    uint32_t count = 0;
    for (size_t s = 0; s < schema.strategies.size(); ++s) {
      signature = std::to_string(s);
      bool missing = false;
      for (size_t j = 0; j < columns[s].size() && !missing; ++j) {
        const size_t c = columns[s][j];
        if (!is_folded[c]) {
          FoldTextInto(table.Get(c, r), &folded[c]);
          is_folded[c] = 1;
        }
        missing = folded[c].empty() || (!folded_sentinel.empty() && folded[c] == folded_sentinel);
        if (!missing) signature += "_" + PsigSpecPart(schema.strategies[s][j], folded[c]);
      }
      if (missing) continue;
      out.keys.push_back(keyer.Key(signature));
      ++count;
    }
    out.counts.push_back(count);
    out.signatures += count;
  }
  return out;
}

// Applies the schema's filter: drops keys held by more than max (or fewer than min) records.
void FilterKeys(const PsigSchema& schema, PsigBlocks* blocks) {
  std::vector<uint64_t> sorted = blocks->keys;
  tbb::parallel_sort(sorted.begin(), sorted.end());
  std::vector<uint64_t> distinct;
  std::vector<uint64_t> sizes;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    distinct.push_back(sorted[i]);
    sizes.push_back(j - i);
    i = j;
  }
  sorted = {};
  const double n = static_cast<double>(blocks->records());
  const double max = schema.filter.ratio ? n * schema.filter.max : schema.filter.max;
  const double min = schema.filter.ratio ? n * schema.filter.min : schema.filter.min;
  std::vector<char> keep(distinct.size());
  for (size_t k = 0; k < distinct.size(); ++k) {
    const double size = static_cast<double>(sizes[k]);
    keep[k] = size <= max && size >= min;
    if (!keep[k]) ++blocks->signatures_dropped;
    if (keep[k]) blocks->largest_block = std::max<uint64_t>(blocks->largest_block, sizes[k]);
  }
  blocks->distinct_signatures = distinct.size();
  std::vector<uint64_t> keys;
  std::vector<uint64_t> offsets{0};
  keys.reserve(blocks->keys.size());
  for (size_t r = 0; r < blocks->records(); ++r) {
    for (uint64_t i = blocks->offsets[r]; i < blocks->offsets[r + 1]; ++i) {
      const size_t k =
          static_cast<size_t>(std::lower_bound(distinct.begin(), distinct.end(), blocks->keys[i]) - distinct.begin());
      if (keep[k]) keys.push_back(blocks->keys[i]);
    }
    if (keys.size() == offsets.back()) ++blocks->records_without_blocks;
    offsets.push_back(keys.size());
  }
  blocks->keys = std::move(keys);
  blocks->offsets = std::move(offsets);
}

}  // namespace

Result<PsigBlocks> StartPsigBlocks(const Table& table, size_t id_column, const std::string& schema_sha256,
                                   const PsigKeyer& keyer) {
  PsigBlocks blocks;
  blocks.schema_sha256 = schema_sha256;
  MG_ASSIGN_OR_RETURN(PsigKeyer check, keyer.Clone());
  blocks.key_check = check.KeyCheck();
  blocks.ids.reserve(table.num_rows());
  for (size_t r = 0; r < table.num_rows(); ++r) blocks.ids.emplace_back(table.Get(id_column, r));
  blocks.offsets.reserve(table.num_rows() + 1);
  blocks.offsets.push_back(0);
  return blocks;
}

Result<PsigBlocks> BuildPsigBlocks(const Table& table, const PsigSchema& schema, const PsigKeyer& keyer,
                                   const PsigBuildOptions& options) {
  MG_ASSIGN_OR_RETURN(std::vector<std::vector<size_t>> columns, ResolveColumns(table, schema, options.source));
  if (options.id_column >= table.num_columns()) {
    return Error(
        Status::InvalidArgument(fmt::format("{}: the id column {} does not exist", options.source, options.id_column)));
  }
  const std::string folded_sentinel = FoldText(schema.null_sentinel);
  const size_t rows = table.num_rows();
  constexpr size_t kChunk = 4096;
  std::vector<ChunkKeys> chunks((rows + kChunk - 1) / kChunk);
  std::atomic<bool> failed{false};
  tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
    Result<PsigKeyer> local = keyer.Clone();
    if (!local.has_value()) {
      failed = true;
      return;
    }
    chunks[c] = KeyRows(table, schema, columns, folded_sentinel, *local, c * kChunk, std::min(rows, (c + 1) * kChunk));
  });
  if (failed) return Error(Status::Internal("could not copy the HMAC context"));

  MG_ASSIGN_OR_RETURN(PsigBlocks blocks, StartPsigBlocks(table, options.id_column, schema.sha256, keyer));
  for (ChunkKeys& chunk : chunks) {
    blocks.keys.insert(blocks.keys.end(), chunk.keys.begin(), chunk.keys.end());
    for (uint32_t count : chunk.counts) blocks.offsets.push_back(blocks.offsets.back() + count);
    blocks.signatures += chunk.signatures;
    chunk = {};
  }
  FilterKeys(schema, &blocks);
  return blocks;
}

Status WritePsigBlocks(FileSystem& fs, const std::string& path, const PsigBlocks& blocks) {
  MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, fs.NewAtomicFile(path));
  std::string out = fmt::format(
      "{{\"format\": \"{}\", \"version\": {}, \"key\": \"hmac-sha256-64\", \"schema_sha256\": \"{}\", "
      "\"key_check\": \"{:016x}\", \"records\": {}, \"signatures\": {}, \"distinct_signatures\": {}, "
      "\"signatures_dropped\": {}, \"records_without_blocks\": {}, \"largest_block\": {},\n\"rows\": [",
      kFormat, kVersion, blocks.schema_sha256, blocks.key_check, blocks.records(), blocks.signatures,
      blocks.distinct_signatures, blocks.signatures_dropped, blocks.records_without_blocks, blocks.largest_block);
  for (size_t r = 0; r < blocks.records(); ++r) {
    const std::string id = nlohmann::json(blocks.ids[r]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    fmt::format_to(std::back_inserter(out), "{}\n{{\"row\": {}, \"id\": {}, \"keys\": [", r ? "," : "", r, id);
    for (uint64_t i = blocks.offsets[r]; i < blocks.offsets[r + 1]; ++i) {
      fmt::format_to(std::back_inserter(out), "{}\"{:016x}\"", i > blocks.offsets[r] ? ", " : "", blocks.keys[i]);
    }
    out += "]}";
    if (out.size() > (1 << 20)) {
      MG_RETURN_IF_ERROR(file->Append(out));
      out.clear();
    }
  }
  out += "\n]}\n";
  MG_RETURN_IF_ERROR(file->Append(out));
  return file->Commit();
}

// ---------------------------------------------------------------- linkage-unit side

namespace {

std::optional<uint64_t> ParseHex64(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return std::nullopt;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  return v;
}

// Streams a blocks file into (key, row) entries without building a JSON tree (files reach hundreds of MB).
class BlocksReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  BlocksReader(std::string_view text, const std::string& source, PsigBlocksFile* out, bool with_ids)
      : text_(text), source_(source), out_(out), with_ids_(with_ids) {}

  Status status() const { return status_; }
  bool saw_format() const { return saw_format_; }
  bool saw_rows() const { return saw_rows_; }
  uint64_t rows_read() const { return rows_read_; }

  bool null() override { return Scalar("null", nullptr, 0, false); }
  bool boolean(bool) override { return Scalar("a boolean", nullptr, 0, false); }
  bool number_integer(number_integer_t v) override {
    return v < 0 ? Scalar("a negative number", nullptr, 0, false) : Scalar("a number", nullptr, uint64_t(v), true);
  }
  bool number_unsigned(number_unsigned_t v) override { return Scalar("a number", nullptr, v, true); }
  bool number_float(number_float_t, const string_t&) override { return Scalar("a fraction", nullptr, 0, false); }
  bool string(string_t& v) override { return Scalar("a string", &v, 0, false); }
  bool binary(binary_t&) override { return Fail(Where(), "unexpected binary value"); }
  bool key(string_t& k) override {
    (depth_ == 1 ? top_key_ : row_key_) = k;
    return true;
  }
  bool start_object(std::size_t) override {
    ++depth_;
    if (depth_ == 1) return true;
    if (depth_ == 3 && in_rows_ && !in_keys_) {
      row_ = std::nullopt;
      row_key_.clear();
      pending_.clear();
      return true;
    }
    return Fail(Where(), "expected " + Expected());
  }
  bool end_object() override {
    --depth_;
    if (depth_ == 2 && in_rows_) return EndRow();
    return true;
  }
  bool start_array(std::size_t) override {
    ++depth_;
    if (depth_ == 2 && top_key_ == "rows" && !saw_rows_) return in_rows_ = saw_rows_ = true;
    if (depth_ == 4 && in_rows_ && row_key_ == "keys" && !in_keys_) return in_keys_ = true;
    return Fail(Where(), "expected " + Expected());
  }
  bool end_array() override {
    --depth_;
    if (depth_ == 1) in_rows_ = false;
    if (depth_ == 3) in_keys_ = false;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    if (status_.ok()) {
      const size_t at = std::min(position == 0 ? 0 : position - 1, text_.size());
      const auto line = 1 + std::count(text_.begin(), text_.begin() + static_cast<ptrdiff_t>(at), '\n');
      status_ = Status::InvalidArgument(
          fmt::format("{}:{}: not valid JSON (expected a blocks file written by matchguard block)", source_, line));
    }
    return false;
  }

 private:
  std::string Where() const {
    if (depth_ <= 1 || !in_rows_) return top_key_;
    std::string at = fmt::format("rows[{}]", rows_read_);
    if (!row_key_.empty()) at += "." + row_key_;
    if (in_keys_) at += fmt::format("[{}]", pending_.size());
    return at;
  }
  std::string Expected() const {
    if (in_keys_) return "a block key (16 hexadecimal digits)";
    if (in_rows_ && depth_ == 3) return row_key_ == "id" ? "a string" : "a row number";
    if (in_rows_) return "a row object {\"row\", \"id\", \"keys\"}";
    return "a value of the blocks file's header";
  }
  bool Fail(const std::string& where, const std::string& what) {
    status_ = Status::InvalidArgument(source_ + ": " + (where.empty() ? "" : where + ": ") + what);
    return false;
  }
  bool Scalar(const char* kind, string_t* text, uint64_t number, bool is_number) {
    if (in_keys_ && depth_ == 4) {
      auto key = text ? ParseHex64(*text) : std::nullopt;
      if (!key) return Fail(Where(), "expected a block key (16 hexadecimal digits), found " + std::string(kind));
      pending_.push_back(*key);
      return true;
    }
    if (in_rows_ && depth_ == 3) {
      if (row_key_ == "row") {
        if (!is_number) return Fail(Where(), std::string("expected a row number, found ") + kind);
        row_ = number;
      } else if (row_key_ == "id") {
        if (!text) return Fail(Where(), std::string("expected a string, found ") + kind);
        if (with_ids_) id_ = std::move(*text);
      }
      return true;
    }
    if (depth_ != 1) return Fail(Where(), std::string("unexpected ") + kind);
    if (top_key_ == "format") {
      if (!text || *text != kFormat) return Fail("format", "not a matchguard P-Sig blocks file (run matchguard block)");
      saw_format_ = true;
    } else if (top_key_ == "version") {
      if (!is_number || number != static_cast<uint64_t>(kVersion)) {
        return Fail("version", fmt::format("unsupported version (this matchguard reads version {})", kVersion));
      }
    } else if (top_key_ == "schema_sha256") {
      if (!text) return Fail(top_key_, std::string("expected a string, found ") + kind);
      out_->schema_sha256 = *text;
    } else if (top_key_ == "key_check") {
      auto key = text ? ParseHex64(*text) : std::nullopt;
      if (!key) return Fail(top_key_, "expected 16 hexadecimal digits");
      out_->key_check = *key;
    } else if (top_key_ == "records") {
      if (!is_number) return Fail(top_key_, std::string("expected a count, found ") + kind);
      out_->records = number;
    }
    return true;
  }
  bool EndRow() {
    if (!row_) return Fail(fmt::format("rows[{}]", rows_read_), "missing required key 'row'");
    if (*row_ != rows_read_) {
      return Fail(fmt::format("rows[{}].row", rows_read_),
                  fmt::format("expected row {} (rows in order), found {}", rows_read_, *row_));
    }
    if (rows_read_ >= UINT32_MAX) return Fail("rows", "more than 4294967295 records");
    for (uint64_t key : pending_) out_->entries.push_back({key, static_cast<uint32_t>(rows_read_)});
    if (with_ids_) out_->ids.push_back(std::move(id_));
    id_.clear();
    ++rows_read_;
    return true;
  }

  std::string_view text_;
  const std::string& source_;
  PsigBlocksFile* out_;
  bool with_ids_;
  std::string id_;
  Status status_;
  int depth_ = 0;
  bool in_rows_ = false, in_keys_ = false, saw_rows_ = false, saw_format_ = false;
  std::string top_key_, row_key_;
  std::optional<uint64_t> row_;
  std::vector<uint64_t> pending_;
  uint64_t rows_read_ = 0;
};

}  // namespace

Result<PsigBlocksFile> ParsePsigBlocks(std::string_view text, const std::string& source, bool with_ids) {
  PsigBlocksFile file;
  BlocksReader reader(text, source, &file, with_ids);
  const bool ok = nlohmann::json::sax_parse(text.begin(), text.end(), &reader);
  if (!ok || !reader.status().ok()) {
    if (!reader.status().ok()) return Error(reader.status());
    return Error(Status::InvalidArgument(source + ": not a valid blocks file"));
  }
  if (!reader.saw_format())
    return Error(Status::InvalidArgument(
        source + ": missing required key 'format' (not a blocks file written by matchguard block)"));
  if (!reader.saw_rows()) return Error(Status::InvalidArgument(source + ": missing required key 'rows'"));
  if (file.schema_sha256.empty())
    return Error(Status::InvalidArgument(source + ": missing required key 'schema_sha256'"));
  if (reader.rows_read() != file.records) {
    return Error(Status::InvalidArgument(
        fmt::format("{}: 'records' says {} but 'rows' lists {}", source, file.records, reader.rows_read())));
  }
  return file;
}

Result<PsigPairs> JoinPsigBlocks(PsigBlocksFile& left, PsigBlocksFile& right, const std::string& left_source,
                                 const std::string& right_source, const PsigJoinLimits& limits) {
  if (left.schema_sha256 != right.schema_sha256) {
    return Error(Status::InvalidArgument(fmt::format(
        "{} and {} were made with different blocking schemas (schema_sha256 differs); both parties must block "
        "with the same schema",
        left_source, right_source)));
  }
  if (left.key_check != right.key_check) {
    return Error(Status::InvalidArgument(fmt::format(
        "{} and {} were made with different secrets (key_check differs); both parties must block with the same "
        "shared secret",
        left_source, right_source)));
  }
  auto by_key_then_row = [](const PsigKeyRow& a, const PsigKeyRow& b) {
    return a.key != b.key ? a.key < b.key : a.row < b.row;
  };
  tbb::parallel_sort(left.entries.begin(), left.entries.end(), by_key_then_row);
  tbb::parallel_sort(right.entries.begin(), right.entries.end(), by_key_then_row);
  // Visits each key held on both sides with its runs [a, a_end) and [b, b_end).
  auto for_each_shared = [&](auto&& visit) -> Status {
    size_t a = 0, b = 0;
    const auto &l = left.entries, &r = right.entries;
    while (a < l.size() && b < r.size()) {
      if (l[a].key < r[b].key) {
        ++a;
      } else if (r[b].key < l[a].key) {
        ++b;
      } else {
        size_t a_end = a, b_end = b;
        while (a_end < l.size() && l[a_end].key == l[a].key) ++a_end;
        while (b_end < r.size() && r[b_end].key == r[b].key) ++b_end;
        MG_RETURN_IF_ERROR(visit(a, a_end, b, b_end));
        a = a_end;
        b = b_end;
      }
    }
    return Status::Ok();
  };
  PsigPairs pairs;
  uint64_t total = 0;
  MG_RETURN_IF_ERROR(for_each_shared([&](size_t a, size_t a_end, size_t b, size_t b_end) {
    const uint64_t n = uint64_t{a_end - a} * (b_end - b);
    if (n > limits.max_block_pairs) {
      return Status::InvalidArgument(fmt::format(
          "{} and {} share a block of {} x {} records ({} pairs, more than the limit of {} per block): lower the "
          "schema's filter max or make its signatures more specific",
          left_source, right_source, a_end - a, b_end - b, n, limits.max_block_pairs));
    }
    total += n;
    ++pairs.shared_blocks;
    if (total > limits.max_pairs) {
      return Status::InvalidArgument(fmt::format(
          "{} and {} share blocks giving more than {} pairs: lower the schema's filter max, make its signatures "
          "more specific or raise --max-blocked-pairs",
          left_source, right_source, limits.max_pairs));
    }
    return Status::Ok();
  }));
  // Pairs grouped by left row with a counting sort, then each row's right rows sorted and deduplicated
  // in place: cheaper in time and memory than sorting every pair packed in 64 bits.
  const size_t left_rows = left.records;
  std::vector<uint64_t> start(left_rows + 1, 0);
  MG_RETURN_IF_ERROR(for_each_shared([&](size_t a, size_t a_end, size_t b, size_t b_end) {
    for (size_t i = a; i < a_end; ++i) {
      if (left.entries[i].row >= left_rows) return Status::Internal(left_source + ": a row number beyond 'records'");
      start[left.entries[i].row + 1] += b_end - b;
    }
    return Status::Ok();
  }));
  for (size_t r = 0; r < left_rows; ++r) start[r + 1] += start[r];
  std::vector<uint32_t> rights(total);
  std::vector<uint64_t> next(start.begin(), start.end() - 1);
  MG_RETURN_IF_ERROR(for_each_shared([&](size_t a, size_t a_end, size_t b, size_t b_end) {
    for (size_t i = a; i < a_end; ++i) {
      uint64_t& at = next[left.entries[i].row];
      for (size_t j = b; j < b_end; ++j) rights[at++] = right.entries[j].row;
    }
    return Status::Ok();
  }));
  left.entries = {};
  right.entries = {};
  next = {};
  std::vector<uint32_t> kept(left_rows);
  tbb::parallel_for(size_t{0}, left_rows, [&](size_t r) {
    auto first = rights.begin() + static_cast<ptrdiff_t>(start[r]),
         last = rights.begin() + static_cast<ptrdiff_t>(start[r + 1]);
    std::sort(first, last);
    kept[r] = static_cast<uint32_t>(std::unique(first, last) - first);
  });
  uint64_t m = 0;
  for (size_t r = 0; r < left_rows; ++r) m += kept[r];
  pairs.left.resize(m);
  uint64_t out = 0;
  for (size_t r = 0; r < left_rows; ++r) {  // compacts in place: out never passes start[r]
    std::fill_n(pairs.left.begin() + static_cast<ptrdiff_t>(out), kept[r], static_cast<uint32_t>(r));
    std::copy_n(rights.begin() + static_cast<ptrdiff_t>(start[r]), kept[r],
                rights.begin() + static_cast<ptrdiff_t>(out));
    out += kept[r];
  }
  rights.resize(m);
  rights.shrink_to_fit();
  pairs.right = std::move(rights);
  return pairs;
}

namespace {

Result<PsigBlocksFile> ReadBlocksFor(FileSystem& fs, const std::string& path, const PsigEncodings& encodings) {
  const bool check_ids = encodings.ids != nullptr && !encodings.ids->empty();
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  MG_ASSIGN_OR_RETURN(PsigBlocksFile file, ParsePsigBlocks(text, path, check_ids));
  if (file.records != encodings.rows) {
    return Error(Status::InvalidArgument(fmt::format(
        "{}: the blocks file lists {} records but its encodings hold {}; block the same CSV file that was encoded",
        path, file.records, encodings.rows)));
  }
  if (check_ids && encodings.ids->size() == file.ids.size()) {
    // Ids are not printed: the id column may hold an identifier.
    auto [a, b] = std::mismatch(file.ids.begin(), file.ids.end(), encodings.ids->begin());
    if (a != file.ids.end()) {
      return Error(Status::InvalidArgument(fmt::format(
          "{}: row {}: the id differs from the id of row {} of the encodings; block the same CSV file, in the same "
          "order, that was encoded",
          path, a - file.ids.begin(), a - file.ids.begin())));
    }
  }
  file.ids = {};
  return file;
}

}  // namespace

Result<PsigPairs> PsigCandidatePairs(FileSystem& fs, const std::string& left_blocks, const std::string& right_blocks,
                                     const PsigEncodings& left, const PsigEncodings& right,
                                     const PsigJoinLimits& limits) {
  MG_ASSIGN_OR_RETURN(PsigBlocksFile l, ReadBlocksFor(fs, left_blocks, left));
  MG_ASSIGN_OR_RETURN(PsigBlocksFile r, ReadBlocksFor(fs, right_blocks, right));
  return JoinPsigBlocks(l, r, left_blocks, right_blocks, limits);
}

Result<PsigPairs> PsigCandidatePairs(FileSystem& fs, const std::string& left_blocks, const std::string& right_blocks,
                                     size_t left_rows, size_t right_rows) {
  return PsigCandidatePairs(fs, left_blocks, right_blocks, PsigEncodings{left_rows, nullptr},
                            PsigEncodings{right_rows, nullptr});
}

}  // namespace matchguard
