// Fuzzes the linkage config reader (TOML: [input], [fields], [blocking], [comparisons], [model]).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/normalize/config.h"
#include "src/pipeline/linkage_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto input = matchguard::ParseInputConfig(text, "fuzz.toml");
  if (!input.has_value() && input.error().message().empty()) __builtin_trap();
  auto linkage = matchguard::ParseLinkageConfig(text, "fuzz.toml");
  if (!linkage.has_value() && linkage.error().message().empty()) __builtin_trap();
  return 0;
}
