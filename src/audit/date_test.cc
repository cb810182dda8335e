#include "src/audit/date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

TEST(DateTest, ParsesAndPrintsCivilDates) {
  auto d = Date::Parse("2024-02-29", "d");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->ToString(), "2024-02-29");
  EXPECT_EQ(Date::FromCivil(1970, 1, 1).days(), 0);
  EXPECT_EQ(Date::FromCivil(2000, 3, 1).days(), 11017);
  EXPECT_EQ(Date::FromDays(-1).ToString(), "1969-12-31");
}

TEST(DateTest, RejectsMalformedDatesNamingTheValue) {
  for (const char* bad : {"2023-02-29", "2024-13-01", "2024-1-01", "24-01-01", "2024/01/01", "", "2024-01-00"}) {
    auto d = Date::Parse(bad, "dates.transmittal");
    ASSERT_FALSE(d.has_value()) << bad;
    EXPECT_THAT(d.error().message(), HasSubstr("dates.transmittal: expected a date YYYY-MM-DD"));
  }
}

TEST(DateTest, MonthArithmeticClampsToTheMonthEnd) {
  EXPECT_EQ(Date::FromCivil(2025, 1, 31).AddMonths(1).ToString(), "2025-02-28");
  EXPECT_EQ(Date::FromCivil(2024, 8, 31).AddMonths(18).ToString(), "2026-02-28");
  EXPECT_EQ(Date::FromCivil(2025, 11, 15).AddMonths(14).ToString(), "2027-01-15");
  EXPECT_EQ(Date::FromCivil(2025, 12, 31).AddDays(1).ToString(), "2026-01-01");
}

class FixedClock final : public Clock {
 public:
  explicit FixedClock(int64_t now) : now_(now) {}
  Result<int64_t> NowSeconds() const override { return now_; }

 private:
  int64_t now_;
};

TEST(DateTest, TodayAndNowComeFromTheInjectedClock) {
  const FixedClock clock(86461);
  SetClockForTesting(&clock);
  EXPECT_EQ(*NowSeconds(), 86461);
  EXPECT_EQ(Today()->ToString(), "1970-01-02");
  EXPECT_EQ(FormatTimestamp(86461), "1970-01-02T00:01:01Z");
  SetClockForTesting(nullptr);
}

// The release clock is the system's: the variables that once moved it are refused, naming the fix, so an
// operator cannot run an expired agreement or skip a notice period by setting them.
TEST(DateTest, TheSystemClockRefusesTheOldClockVariables) {
  ::setenv("MATCHGUARD_TODAY", "2030-06-15", 1);
  EXPECT_THAT(Today().error().message(), HasSubstr("MATCHGUARD_TODAY is set, but matchguard takes the date"));
  EXPECT_THAT(NowSeconds().error().message(), HasSubstr("unset it"));
  ::unsetenv("MATCHGUARD_TODAY");
  ::setenv("MATCHGUARD_NOW", "86461", 1);
  EXPECT_THAT(NowSeconds().error().message(), HasSubstr("MATCHGUARD_NOW is set"));
  ::unsetenv("MATCHGUARD_NOW");
  EXPECT_GT(*NowSeconds(), 1700000000);
}

}  // namespace
}  // namespace matchguard
