// Fuzzes the model reader (`link --model`, `explain`): any bytes give a model or a clean error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/model/fellegi_sunter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto model = matchguard::ModelFromJson(text, "fuzz.json");
  if (!model.has_value()) {
    if (model.error().message().empty()) __builtin_trap();
    return 0;
  }
  (void)matchguard::ExplainModel(*model);  // a loaded model must be usable, not only parsed
  return 0;
}
