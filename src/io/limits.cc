#include "matchguard/limits.h"

#include <fmt/format.h>

namespace matchguard {
namespace {

InputLimits& MutableLimits() {
  static InputLimits limits;
  return limits;
}

}  // namespace

const InputLimits& CurrentInputLimits() { return MutableLimits(); }

void SetInputLimits(const InputLimits& limits) { MutableLimits() = limits; }

std::string DescribeBytes(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0) return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (uint64_t{1} << 10) && bytes % (uint64_t{1} << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

}  // namespace matchguard
