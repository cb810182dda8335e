// Files of Bloom-filter encodings (CLKs): reading and writing the three formats matchguard exchanges.
//
// A ClkSet is one aligned bit matrix: `count` encodings of `bits` bits each, every row padded with zero
// bytes to a multiple of 64 bytes so SIMD similarity kernels can stream it with aligned loads. Bits are in
// clkhash's order: byte 0 first, and within a byte the most significant bit is bit 0 (Python bitarray's
// big-endian order), so `row(i)[j / 8] & (0x80 >> (j % 8))` is bit j of encoding i.
//
// Formats (ReadClkFile detects which from the content):
//   kClkhashJson  {"clks": ["<base64>", ...]}: clkhash's own output; carries no record ids.
//   kCsv          header `id,clk`, one row per record, clk in standard base64.
//   kBinary       8-byte magic "MGCLK001", uint32 LE bit length, uint32 LE flags (0), uint64 LE count,
//                 then `count` rows of bits/8 bytes each (unpadded in the file); carries no ids.
// Field-level Bloom filters (one filter per field, each with its own length) are stored as one ClkSet per
// field, i.e. one file per field; see docs/encodings.md for the naming convention the CLI uses.
//
// Thread-safety: a ClkSet is a plain value; the functions keep no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/core/aligned.h"

namespace matchguard {

enum class ClkFormat : uint8_t { kClkhashJson, kCsv, kBinary };

// Parses "clkhash-json", "csv" or "binary".
Result<ClkFormat> ParseClkFormat(std::string_view name);
std::string_view ClkFormatName(ClkFormat format);

struct ClkSet {
  static constexpr size_t kRowAlignment = 64;

  uint32_t bits = 0;        // bit length of each encoding (a multiple of 8)
  size_t count = 0;         // number of encodings
  size_t stride_bytes = 0;  // bytes per row in `data`, a multiple of 64, >= bits / 8
  std::vector<uint8_t, AlignedAllocator<uint8_t, 64>> data;  // row i at data.data() + i * stride_bytes
  std::vector<std::string> ids;  // one per row, or empty when the format carries no ids

  const uint8_t* row(size_t i) const { return data.data() + i * stride_bytes; }
  uint8_t* mutable_row(size_t i) { return data.data() + i * stride_bytes; }
  size_t row_bytes() const { return bits / 8; }
  bool GetBit(size_t i, uint32_t bit) const { return (row(i)[bit >> 3] >> (7 - (bit & 7))) & 1; }

  // Sets the shape and zero-fills `count` rows. REQUIRES: bits is a positive multiple of 8.
  void Resize(uint32_t bit_length, size_t rows);
};

// The row stride used for `bits`-bit encodings.
size_t ClkStrideBytes(uint32_t bits);

// Reads a file in any of the three formats. Every error is an InvalidArgument naming the file.
Result<ClkSet> ReadClkFile(FileSystem& fs, const std::string& path);
// The same, from bytes already in memory; `source_name` is used in error messages.
Result<ClkSet> ParseClkData(std::string_view data, const std::string& source_name);
// Writes atomically; the CSV format needs ids (or writes the row number as id when `set.ids` is empty).
Status WriteClkFile(FileSystem& fs, const std::string& path, const ClkSet& set, ClkFormat format);
// Serialises to bytes in `format`.
std::string SerializeClkSet(const ClkSet& set, ClkFormat format);

// Standard base64 (RFC 4648, with padding), as clkhash writes CLKs.
std::string Base64Encode(const uint8_t* bytes, size_t size);
// Decodes standard padded base64 into `out` (replacing its contents). False on any malformed input.
bool Base64Decode(std::string_view text, std::vector<uint8_t>* out);

}  // namespace matchguard
