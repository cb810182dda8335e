// Fuzzes the encodings reader (clkhash JSON, id,clk CSV, MGCLK001 binary; field-level filter files are the
// same formats): the linkage unit's main untrusted input. Any bytes give a ClkSet or a clean error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/encode/clk_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto set = matchguard::ParseClkData(text, "fuzz.clk");
  if (!set.has_value()) {
    if (set.error().message().empty()) __builtin_trap();  // every error must explain itself
    return 0;
  }
  // The matrix must hold every row it claims, and ids (when present) one per row.
  if (set->data.size() < set->count * set->stride_bytes) __builtin_trap();
  if (!set->ids.empty() && set->ids.size() != set->count) __builtin_trap();
  for (size_t i = 0; i < set->count; ++i) (void)set->GetBit(i, set->bits - 1);
  return 0;
}
