// Lambda-fold blocking for privacy-preserving linkage (blocklib's "lambda-fold": Karapiperis and Verykios'
// redundant Hamming-LSH blocking), with keyed block keys.
//
// Data-owner side, as blocklib's PPRLIndexLambdaFold does it: a record's blocking features (each folded
// with FoldText, a missing one - empty or the schema's null-sentinel - contributing nothing) are
// concatenated without a separator; every bigram of that text (two consecutive code points, no padding)
// sets num-hash-funcs bits of a bf-len Bloom filter by double hashing, bit (h1 + i * h2) mod bf-len with
// h1 = SHA-1 and h2 = MD5 of the bigram's UTF-8 read as big-endian integers, each reduced mod bf-len
// (blocklib's flip_bloom_filter). With input-clks the filter is instead the record's CLK, read from its
// base64 column. Then Lambda groups each sample K distinct bit positions, drawn exactly as blocklib draws
// them: Python's random.seed(random_state) followed by one random.sample(range(bf-len), K) per group
// (PythonRandom below reimplements CPython's Mersenne Twister seeding and sample). A record's block in
// group g is blocklib's key string "<g><K bits as 0/1>"; what leaves the owner is its HMAC-SHA256 under the
// shared secret, truncated to 64 bits (PsigKeyer::LambdaFoldKey), so the same blocks-file format and the
// same `match --blocking psig` join serve both blocking types.
//
// DEVIATIONS FROM blocklib, on purpose: values are folded first (as P-Sig's are), so "Zoë" and "ZOE" give
// the same filter; a record whose text has no bigram (every feature missing, or one character in all)
// gets no block, where blocklib would put it in every group's all-zero block; keys are keyed HMACs, not
// blocklib's readable bit strings (which give away K bits of the record's Bloom filter per group).
//
// Thread-safety: pure functions (BuildLambdaFoldBlocks uses oneTBB inside). A PythonRandom belongs to one
// thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/block/psig.h"
#include "src/block/psig_schema.h"

namespace matchguard {

class Table;

// CPython's random.Random for the calls blocklib makes: seed(int), getrandbits(k <= 32), sample(range(n), k).
class PythonRandom {
 public:
  // random.seed(seed): init_by_array over the seed's 32-bit words, least significant first (at least one).
  explicit PythonRandom(uint64_t seed);
  // init_by_array(key), as the MT19937 reference code (mt19937ar.c) defines it.
  explicit PythonRandom(const std::vector<uint32_t>& key);

  uint32_t Next32();               // genrand_uint32
  uint32_t GetRandBits(int bits);  // 1 <= bits <= 32: the top `bits` bits of one draw
  uint32_t RandBelow(uint32_t n);  // n >= 1: rejection sampling on n.bit_length() bits
  // random.sample(range(n), k), k <= n: the pool algorithm for small n, the set algorithm otherwise.
  std::vector<uint32_t> SampleRange(uint32_t n, uint32_t k);

 private:
  std::array<uint32_t, 624> mt_{};
  size_t index_ = 624;
};

// The K positions of each of the schema's Lambda groups over a filter of bf_len bits.
std::vector<std::vector<uint32_t>> LambdaFoldGroupPositions(const LambdaFoldSchema& schema, uint32_t bf_len);

// blocklib's Bloom filter of `text` (bigrams of code points), as bytes with bit i at byte i / 8, mask
// 0x80 >> (i % 8) (a CLK's bit order). Empty when the text has no bigram.
std::vector<uint8_t> LambdaFoldFilter(std::string_view text, uint32_t bf_len, uint32_t num_hash_funcs);

// blocklib's block key string of group `group`: "<group><bit at each position as 0 or 1>".
std::string LambdaFoldBlockKey(size_t group, const std::vector<uint32_t>& positions,
                               const std::vector<uint8_t>& filter);

// Keys for every row of `table` (Lambda per record, none for a record without bigrams). Fails when a
// feature names no column, or (input-clks) a CLK is not base64 of exactly bf-len bits.
Result<PsigBlocks> BuildLambdaFoldBlocks(const Table& table, const LambdaFoldSchema& schema, const PsigKeyer& keyer,
                                         const PsigBuildOptions& options);

}  // namespace matchguard
