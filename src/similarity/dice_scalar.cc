// The portable reference kernel: every other ISA path is tested against it.
#include <bit>

#include "src/similarity/isa.h"

namespace matchguard::similarity {

// The reference ignores b_tail: it always counts whole rows, which is what the pruning kernels must match.
size_t AndCountScalar(const uint64_t* a, const uint64_t* b, const uint32_t* /*b_tail*/, size_t n_b, size_t words,
                      uint32_t floor, uint32_t* hit_rows, uint32_t* hit_counts) {
  size_t hits = 0;
  for (size_t j = 0; j < n_b; ++j) {
    const uint64_t* bj = b + j * words;
    uint32_t c = 0;
    for (size_t w = 0; w < words; ++w) c += static_cast<uint32_t>(std::popcount(a[w] & bj[w]));
    if (c >= floor) {
      hit_rows[hits] = static_cast<uint32_t>(j);
      hit_counts[hits++] = c;
    }
  }
  return hits;
}

}  // namespace matchguard::similarity
