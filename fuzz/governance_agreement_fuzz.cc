// Fuzzes the matching-agreement parser: any bytes must give an agreement or an error naming the file,
// never a crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/governance/agreement.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto agreement = matchguard::ParseAgreement(text, "fuzz.toml");
  if (agreement.has_value()) {
    // A valid agreement has consistent dates.
    if (agreement->expiry < agreement->effective || agreement->EndDate() < agreement->expiry) __builtin_trap();
  } else if (agreement.error().message().rfind("fuzz.toml", 0) != 0) {
    __builtin_trap();  // every error names the file
  }
  return 0;
}
