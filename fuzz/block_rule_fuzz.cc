// Fuzzes the blocking-rule parser (rules come from config files): any text gives a rule that prints back
// to a rule that parses the same way, or a clean error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/block/blocking.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rule = matchguard::ParseBlockingRule(text);
  if (!rule.has_value()) {
    if (rule.error().message().empty()) __builtin_trap();
    return 0;
  }
  std::string printed = matchguard::BlockingRuleToString(*rule);
  auto again = matchguard::ParseBlockingRule(printed);
  if (!again.has_value() || matchguard::BlockingRuleToString(*again) != printed) __builtin_trap();
  return 0;
}
