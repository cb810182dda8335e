// Fuzzes the clkhash schema parser: any bytes must give a schema or a clean error, never a crash or hang.
// A schema that parses is then used to encode a few short values, so every parsed option (date formats,
// patterns, numeric comparisons, folding) is exercised.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "src/encode/clk_encoder.h"
#include "src/encode/clk_schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto schema = matchguard::ParseClkSchema(text, "fuzz.json");
  if (!schema.has_value()) {
    if (schema.error().message().empty()) __builtin_trap();  // every error must explain itself
    return 0;
  }
  if (schema->features.size() > 64 || schema->hash_bits() > (1u << 20)) return 0;  // keep iterations fast
  auto encoder = matchguard::ClkEncoder::Create(*schema, "fuzzing-secret-0123456789");
  if (!encoder.has_value()) return 0;
  auto worker = (*encoder)->NewWorker();
  std::vector<uint8_t> out((*encoder)->clk_bytes());
  for (std::string_view value : {"", "smith", "19800101", "01/02/1980", "42", "-3.5", "m", "\xC3\xA9t\xC3\xA9"}) {
    std::vector<std::string_view> values(schema->features.size(), value);
    matchguard::FieldError error;
    if (!(*encoder)->Encode(*worker, values, out.data(), &error) && error.message.empty()) __builtin_trap();
  }
  return 0;
}
