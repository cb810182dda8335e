#include "src/block/lambda_fold.h"

#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_sort.h>
#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "src/encode/clk_file.h"
#include "src/io/table.h"
#include "src/normalize/text.h"

namespace matchguard {

// ---------------------------------------------------------------- CPython's Mersenne Twister

namespace {

constexpr size_t kN = 624;
constexpr size_t kM = 397;

void InitGenrand(std::array<uint32_t, kN>& mt, uint32_t s) {
  mt[0] = s;
  for (size_t i = 1; i < kN; ++i) mt[i] = 1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + static_cast<uint32_t>(i);
}

std::vector<uint32_t> SeedWords(uint64_t seed) {
  std::vector<uint32_t> key{static_cast<uint32_t>(seed)};
  if (seed >> 32) key.push_back(static_cast<uint32_t>(seed >> 32));
  return key;
}

}  // namespace

PythonRandom::PythonRandom(uint64_t seed) : PythonRandom(SeedWords(seed)) {}

PythonRandom::PythonRandom(const std::vector<uint32_t>& key) {
  InitGenrand(mt_, 19650218u);
  const size_t len = std::max<size_t>(key.size(), 1);
  size_t i = 1;
  size_t j = 0;
  for (size_t k = std::max(kN, len); k > 0; --k) {
    const uint32_t word = j < key.size() ? key[j] : 0;
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1664525u)) + word + static_cast<uint32_t>(j);
    ++i;
    ++j;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (size_t k = kN - 1; k > 0; --k) {
    mt_[i] = (mt_[i] ^ ((mt_[i - 1] ^ (mt_[i - 1] >> 30)) * 1566083941u)) - static_cast<uint32_t>(i);
    ++i;
    if (i >= kN) {
      mt_[0] = mt_[kN - 1];
      i = 1;
    }
  }
  mt_[0] = 0x80000000u;
  index_ = kN;
}

uint32_t PythonRandom::Next32() {
  constexpr uint32_t kUpper = 0x80000000u;
  constexpr uint32_t kLower = 0x7fffffffu;
  constexpr uint32_t kMatrix = 0x9908b0dfu;
  if (index_ >= kN) {
    for (size_t k = 0; k < kN; ++k) {
      const uint32_t y = (mt_[k] & kUpper) | (mt_[(k + 1) % kN] & kLower);
      mt_[k] = mt_[(k + kM) % kN] ^ (y >> 1) ^ ((y & 1u) ? kMatrix : 0u);
    }
    index_ = 0;
  }
  uint32_t y = mt_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

uint32_t PythonRandom::GetRandBits(int bits) { return Next32() >> (32 - bits); }

uint32_t PythonRandom::RandBelow(uint32_t n) {
  int bits = 0;
  while (bits < 32 && (n >> bits) != 0) ++bits;  // n.bit_length()
  uint32_t r = GetRandBits(bits);
  while (r >= n) r = GetRandBits(bits);
  return r;
}

std::vector<uint32_t> PythonRandom::SampleRange(uint32_t n, uint32_t k) {
  std::vector<uint32_t> result(k);
  double setsize = 21;  // CPython's estimate of when a list is smaller than a set
  if (k > 5) setsize += std::pow(4.0, std::ceil(std::log(k * 3.0) / std::log(4.0)));
  if (static_cast<double>(n) <= setsize) {
    std::vector<uint32_t> pool(n);
    for (uint32_t i = 0; i < n; ++i) pool[i] = i;
    for (uint32_t i = 0; i < k; ++i) {
      const uint32_t j = RandBelow(n - i);
      result[i] = pool[j];
      pool[j] = pool[n - i - 1];
    }
    return result;
  }
  std::unordered_set<uint32_t> selected;
  for (uint32_t i = 0; i < k; ++i) {
    uint32_t j = RandBelow(n);
    while (selected.count(j)) j = RandBelow(n);
    selected.insert(j);
    result[i] = j;
  }
  return result;
}

std::vector<std::vector<uint32_t>> LambdaFoldGroupPositions(const LambdaFoldSchema& schema, uint32_t bf_len) {
  PythonRandom random(schema.random_state);
  std::vector<std::vector<uint32_t>> groups;
  for (int64_t g = 0; g < schema.lambda; ++g)
    groups.push_back(random.SampleRange(bf_len, static_cast<uint32_t>(schema.k)));
  return groups;
}

// ---------------------------------------------------------------- Bloom filters

namespace {

// SHA-1 and MD5 with the algorithms fetched once (one per thread: the context is not shared).
class BigramHasher {
 public:
  BigramHasher()
      : sha1_(EVP_MD_fetch(nullptr, "SHA1", nullptr)),
        md5_(EVP_MD_fetch(nullptr, "MD5", nullptr)),
        ctx_(EVP_MD_CTX_new()) {}
  ~BigramHasher() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(sha1_);
    EVP_MD_free(md5_);
  }
  BigramHasher(const BigramHasher&) = delete;
  BigramHasher& operator=(const BigramHasher&) = delete;
  bool ok() const { return sha1_ != nullptr && md5_ != nullptr && ctx_ != nullptr; }

  // The digest of `data` read as a big-endian integer, mod m.
  uint32_t DigestMod(bool sha1, std::string_view data, uint32_t m) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestInit_ex2(ctx_, sha1 ? sha1_ : md5_, nullptr);
    EVP_DigestUpdate(ctx_, data.data(), data.size());
    EVP_DigestFinal_ex(ctx_, digest, &size);
    uint64_t r = 0;
    for (unsigned int i = 0; i < size; ++i) r = ((r << 8) | digest[i]) % m;
    return static_cast<uint32_t>(r);
  }

 private:
  EVP_MD* sha1_;
  EVP_MD* md5_;
  EVP_MD_CTX* ctx_;
};

void SetBit(std::vector<uint8_t>& filter, uint32_t bit) { filter[bit / 8] |= static_cast<uint8_t>(0x80u >> (bit % 8)); }

// Sets the bits of every bigram of `text`; false when it has none. `cache` maps a bigram to (h1, h2).
bool FillFilter(std::string_view text, uint32_t bf_len, uint32_t num_hash_funcs, BigramHasher& hasher,
                std::unordered_map<std::string, std::pair<uint32_t, uint32_t>>& cache, std::vector<uint8_t>& filter) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(text.size());
  if (starts.size() < 3) return false;
  filter.assign((bf_len + 7) / 8, 0);
  std::string bigram;
  for (size_t c = 0; c + 2 < starts.size(); ++c) {
    bigram.assign(text.substr(starts[c], starts[c + 2] - starts[c]));
    auto it = cache.find(bigram);
    if (it == cache.end()) {
      it = cache
               .emplace(bigram,
                        std::pair{hasher.DigestMod(true, bigram, bf_len), hasher.DigestMod(false, bigram, bf_len)})
               .first;
    }
    const auto [h1, h2] = it->second;
    for (uint64_t i = 0; i < num_hash_funcs; ++i) SetBit(filter, static_cast<uint32_t>((h1 + i * h2) % bf_len));
  }
  return true;
}

}  // namespace

std::vector<uint8_t> LambdaFoldFilter(std::string_view text, uint32_t bf_len, uint32_t num_hash_funcs) {
  BigramHasher hasher;
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> cache;
  std::vector<uint8_t> filter;
  if (!hasher.ok() || !FillFilter(text, bf_len, num_hash_funcs, hasher, cache, filter)) return {};
  return filter;
}

std::string LambdaFoldBlockKey(size_t group, const std::vector<uint32_t>& positions,
                               const std::vector<uint8_t>& filter) {
  std::string key = std::to_string(group);
  for (uint32_t p : positions) key += (filter[p / 8] & (0x80u >> (p % 8))) ? '1' : '0';
  return key;
}

// ---------------------------------------------------------------- blocks

namespace {

Result<std::vector<size_t>> FeatureColumns(const Table& table, const LambdaFoldSchema& schema,
                                           const std::string& source) {
  std::vector<size_t> columns;
  for (const PsigFeatureRef& ref : schema.blocking_features) {
    if (ref.name.empty()) {
      if (static_cast<size_t>(ref.index) >= table.num_columns()) {
        return Error(Status::InvalidArgument(
            fmt::format("{}: line 1: blocking feature column {} does not exist (the header has {} columns)", source,
                        ref.index, table.num_columns())));
      }
      columns.push_back(static_cast<size_t>(ref.index));
    } else if (auto c = table.FindColumn(ref.name)) {
      columns.push_back(*c);
    } else {
      return Error(Status::InvalidArgument(
          fmt::format("{}: line 1: blocking feature '{}' is not a column of the header", source, ref.name)));
    }
  }
  return columns;
}

struct ChunkKeys {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> counts;
  Status status;
};

struct Context {
  const Table& table;
  const LambdaFoldSchema& schema;
  const std::vector<size_t>& columns;
  const std::vector<std::vector<uint32_t>>& groups;
  std::string folded_sentinel;
  const std::string& source;
};

// The record's filter: from its CLK column, or built from its folded features. False: no filter (no block).
Result<bool> RecordFilter(const Context& c, size_t r, BigramHasher& hasher,
                          std::unordered_map<std::string, std::pair<uint32_t, uint32_t>>& cache, std::string& text,
                          std::string& folded, std::vector<uint8_t>& filter) {
  const uint32_t bf_len = static_cast<uint32_t>(c.schema.bf_len);
  if (c.schema.input_clks) {
    const size_t col = c.columns[0];
    const std::string_view value = c.table.Get(col, r);
    if (value.empty()) return false;
    if (!Base64Decode(value, &filter) || filter.size() * 8 != bf_len) {
      return Error(Status::InvalidArgument(fmt::format(
          "{}: line {}: column '{}': expected a base64 CLK of {} bits (config.bf-len with input-clks true), found {}",
          c.source, c.table.source_line(r), c.table.column_names()[col], bf_len,
          filter.empty() && !value.empty() ? "text that is not base64" : fmt::format("{} bits", filter.size() * 8))));
    }
    return true;
  }
  text.clear();
  for (size_t col : c.columns) {
    FoldTextInto(c.table.Get(col, r), &folded);
    if (!c.folded_sentinel.empty() && folded == c.folded_sentinel) continue;
    text += folded;
  }
  return FillFilter(text, bf_len, static_cast<uint32_t>(c.schema.num_hash_funcs), hasher, cache, filter);
}

ChunkKeys KeyRows(const Context& c, PsigKeyer& keyer, size_t begin, size_t end) {
  ChunkKeys out;
  BigramHasher hasher;
  if (!hasher.ok()) {
    out.status = Status::Internal("OpenSSL has no SHA-1 or MD5");
    return out;
  }
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>> cache;
  std::string text;
  std::string folded;
  std::vector<uint8_t> filter;
  for (size_t r = begin; r < end; ++r) {
    Result<bool> has_filter = RecordFilter(c, r, hasher, cache, text, folded, filter);
    if (!has_filter.has_value()) {
      out.status = has_filter.status();
      return out;
    }
    if (!*has_filter) {
      out.counts.push_back(0);
      continue;
    }
    for (size_t g = 0; g < c.groups.size(); ++g)
      out.keys.push_back(keyer.LambdaFoldKey(LambdaFoldBlockKey(g, c.groups[g], filter)));
    out.counts.push_back(static_cast<uint32_t>(c.groups.size()));
  }
  return out;
}

// Distinct keys and the largest block (lambda-fold has no frequency filter: nothing is dropped).
void CountBlocks(PsigBlocks* blocks) {
  std::vector<uint64_t> sorted = blocks->keys;
  tbb::parallel_sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
    ++blocks->distinct_signatures;
    blocks->largest_block = std::max<uint64_t>(blocks->largest_block, j - i);
    i = j;
  }
  blocks->signatures = blocks->keys.size();
}

}  // namespace

Result<PsigBlocks> BuildLambdaFoldBlocks(const Table& table, const LambdaFoldSchema& schema, const PsigKeyer& keyer,
                                         const PsigBuildOptions& options) {
  MG_ASSIGN_OR_RETURN(std::vector<size_t> columns, FeatureColumns(table, schema, options.source));
  if (options.id_column >= table.num_columns()) {
    return Error(
        Status::InvalidArgument(fmt::format("{}: the id column {} does not exist", options.source, options.id_column)));
  }
  const std::vector<std::vector<uint32_t>> groups =
      LambdaFoldGroupPositions(schema, static_cast<uint32_t>(schema.bf_len));
  const Context context{table, schema, columns, groups, FoldText(schema.null_sentinel), options.source};
  const size_t rows = table.num_rows();
  constexpr size_t kChunk = 4096;
  std::vector<ChunkKeys> chunks((rows + kChunk - 1) / kChunk);
  tbb::parallel_for(size_t{0}, chunks.size(), [&](size_t c) {
    Result<PsigKeyer> local = keyer.Clone();
    if (!local.has_value()) {
      chunks[c].status = local.status();
      return;
    }
    chunks[c] = KeyRows(context, *local, c * kChunk, std::min(rows, (c + 1) * kChunk));
  });
  for (const ChunkKeys& chunk : chunks) MG_RETURN_IF_ERROR(chunk.status);  // the first failing row's chunk

  MG_ASSIGN_OR_RETURN(PsigBlocks blocks, StartPsigBlocks(table, options.id_column, schema.sha256, keyer));
  for (ChunkKeys& chunk : chunks) {
    blocks.keys.insert(blocks.keys.end(), chunk.keys.begin(), chunk.keys.end());
    for (uint32_t count : chunk.counts) {
      if (count == 0) ++blocks.records_without_blocks;
      blocks.offsets.push_back(blocks.offsets.back() + count);
    }
    chunk = {};
  }
  CountBlocks(&blocks);
  return blocks;
}

}  // namespace matchguard
