// The portable reference kernel: every other ISA path is tested against it.
#include <bit>

#include "src/similarity/isa.h"

namespace matchguard::similarity {

void AndCountScalar(const uint64_t* a, size_t n_a, const uint64_t* b, size_t n_b, size_t words,
                    uint32_t* counts) {
  for (size_t i = 0; i < n_a; ++i) {
    const uint64_t* ai = a + i * words;
    for (size_t j = 0; j < n_b; ++j) {
      const uint64_t* bj = b + j * words;
      uint32_t c = 0;
      for (size_t w = 0; w < words; ++w) c += static_cast<uint32_t>(std::popcount(ai[w] & bj[w]));
      counts[i * n_b + j] = c;
    }
  }
}

}  // namespace matchguard::similarity
