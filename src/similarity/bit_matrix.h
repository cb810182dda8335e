// Bit matrices for the Dice kernels: a read-only view over any 64-byte-aligned, 64-byte-padded bit matrix
// (an encode::ClkSet or a BitMatrix), and an owning BitMatrix for generated or permuted data.
//
// Bit order inside a row does not matter to Dice (AND and popcount are order-free), so rows are copied
// byte for byte from the encodings. Padding bytes after `bits` must be zero: the kernels count them.
//
// Thread-safety: a view and a const BitMatrix may be read from any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>

namespace matchguard::similarity {

inline constexpr size_t kRowAlignBytes = 64;

struct BitMatrixView {
  const uint8_t* data = nullptr;  // 64-byte aligned; row i at data + i * stride_bytes
  size_t count = 0;
  size_t stride_bytes = 0;  // multiple of 64
  uint32_t bits = 0;

  const uint64_t* row(size_t i) const { return reinterpret_cast<const uint64_t*>(data + i * stride_bytes); }
  size_t words() const { return stride_bytes / 8; }
};

// Bytes per row for `bits`, rounded up to whole 64-byte blocks (at least one).
inline size_t StrideBytesFor(uint32_t bits) {
  size_t bytes = (static_cast<size_t>(bits) + 7) / 8;
  return bytes == 0 ? kRowAlignBytes : (bytes + kRowAlignBytes - 1) / kRowAlignBytes * kRowAlignBytes;
}

class BitMatrix {
 public:
  BitMatrix() = default;
  // A zeroed matrix of `count` rows of `bits` bits.
  BitMatrix(size_t count, uint32_t bits);

  // Rows of uniformly random bits (like anonlink's benchmark, which draws os.urandom bytes).
  static BitMatrix Random(size_t count, uint32_t bits, std::mt19937_64& rng);

  BitMatrixView view() const { return {data_.get(), count_, stride_bytes_, bits_}; }
  uint64_t* mutable_row(size_t i) { return reinterpret_cast<uint64_t*>(data_.get() + i * stride_bytes_); }
  const uint64_t* row(size_t i) const { return view().row(i); }
  size_t count() const { return count_; }
  uint32_t bits() const { return bits_; }
  size_t stride_bytes() const { return stride_bytes_; }
  // Sets or clears bit `bit` of row `i` (bit k lives in byte k/8, mask 0x80 >> k%8, as clkhash stores it).
  void SetBit(size_t i, uint32_t bit, bool value);

 private:
  struct FreeDeleter {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t[], FreeDeleter> data_;
  size_t count_ = 0;
  size_t stride_bytes_ = 0;
  uint32_t bits_ = 0;
};

}  // namespace matchguard::similarity
