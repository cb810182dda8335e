#include "src/similarity/bit_matrix.h"

#include <cstring>
#include <new>

namespace matchguard::similarity {

BitMatrix::BitMatrix(size_t count, uint32_t bits) : count_(count), stride_bytes_(StrideBytesFor(bits)), bits_(bits) {
  size_t bytes = stride_bytes_ * (count == 0 ? 1 : count);
  data_.reset(static_cast<uint8_t*>(std::aligned_alloc(kRowAlignBytes, bytes)));
  if (!data_) throw std::bad_alloc();
  std::memset(data_.get(), 0, bytes);
}

BitMatrix BitMatrix::Random(size_t count, uint32_t bits, std::mt19937_64& rng) {
  BitMatrix m(count, bits);
  const size_t full_bytes = bits / 8;
  for (size_t i = 0; i < count; ++i) {
    uint8_t* row = reinterpret_cast<uint8_t*>(m.mutable_row(i));
    for (size_t k = 0; k < full_bytes; k += 8) {
      uint64_t r = rng();
      std::memcpy(row + k, &r, full_bytes - k < 8 ? full_bytes - k : 8);
    }
    for (uint32_t bit = static_cast<uint32_t>(full_bytes * 8); bit < bits; ++bit) m.SetBit(i, bit, rng() & 1);
  }
  return m;
}

void BitMatrix::SetBit(size_t i, uint32_t bit, bool value) {
  uint8_t* byte = reinterpret_cast<uint8_t*>(mutable_row(i)) + bit / 8;
  const uint8_t mask = static_cast<uint8_t>(0x80u >> (bit % 8));
  *byte = value ? static_cast<uint8_t>(*byte | mask) : static_cast<uint8_t>(*byte & ~mask);
}

}  // namespace matchguard::similarity
