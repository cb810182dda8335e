// The clock of `matchguard-test-clock`, the end-to-end suite's build of the command: MATCHGUARD_TODAY
// (YYYY-MM-DD) sets today and MATCHGUARD_NOW (seconds since 1970) the time on audit checkpoints, so the
// scripts can walk through notice periods, expiry and retention. Linked into that test binary only: the
// released `matchguard` never reads these variables (src/audit/date.h).
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>

#include "src/audit/date.h"

namespace matchguard {
namespace {

class EnvironmentClock final : public Clock {
 public:
  Result<int64_t> NowSeconds() const override {
    const char* fixed = std::getenv("MATCHGUARD_NOW");
    if (fixed == nullptr || *fixed == '\0') return static_cast<int64_t>(std::time(nullptr));
    const std::string_view text(fixed);
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
      return Error(Status::InvalidArgument("MATCHGUARD_NOW: expected seconds since 1970, got '" +
                                           std::string(text.substr(0, 32)) + "'"));
    }
    return value;
  }
  Result<Date> Today() const override {
    const char* fixed = std::getenv("MATCHGUARD_TODAY");
    if (fixed == nullptr || *fixed == '\0') return Clock::Today();
    return Date::Parse(fixed, "MATCHGUARD_TODAY");
  }
};

const EnvironmentClock kClock;
// Installed before main() runs: every command of the test binary reads this clock.
const bool kInstalled = (SetClockForTesting(&kClock), true);

}  // namespace
}  // namespace matchguard
