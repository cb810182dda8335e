// Date: a calendar day (proleptic Gregorian, no time zone), and the injectable "today" and "now" that
// governance rules are judged against.
//
// Agreements, notice periods and retention are counted in whole days, so a Date is a day number.
//
// The clock is not the operator's: an agreement's dates, notice periods and retention are judged against
// it, so release code takes time from the system clock only. Tests inject another Clock with
// SetClockForTesting (the test binary of the end-to-end suite installs one that reads MATCHGUARD_TODAY and
// MATCHGUARD_NOW); without one, those variables are refused rather than silently ignored, so a script that
// relies on them fails loudly instead of running on the real date.
//
// Thread-safety: Date is a plain value. SetClockForTesting must run before any other thread starts.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "matchguard/status.h"

namespace matchguard {

class Date {
 public:
  Date() = default;
  // Days since 1970-01-01.
  static Date FromDays(int64_t days) { return Date(days); }
  // REQUIRES: a valid day of a valid month.
  static Date FromCivil(int year, int month, int day);
  // Strict "YYYY-MM-DD"; `what` names the value in the error ("--date", "dates.transmittal").
  static Result<Date> Parse(std::string_view text, std::string_view what);

  int64_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  std::string ToString() const;

  Date AddDays(int64_t n) const { return Date(days_ + n); }
  // Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29).
  Date AddMonths(int months) const;

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(int64_t days) : days_(days) {}
  int64_t days_ = 0;
};

// Where "now" comes from.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Result<int64_t> NowSeconds() const = 0;
  // The UTC day of NowSeconds() unless a clock says otherwise.
  virtual Result<Date> Today() const;
};
// Installs `clock` for Today() and NowSeconds(); nullptr restores the system clock.
// REQUIRES: `clock` outlives its use; called before other threads start.
void SetClockForTesting(const Clock* clock);

// Today's date in UTC from the installed clock. With the system clock, FailedPrecondition when
// MATCHGUARD_TODAY is set (see above).
Result<Date> Today();
// Seconds since the epoch from the installed clock; with the system clock, refuses MATCHGUARD_NOW.
Result<int64_t> NowSeconds();
// "2026-11-29T04:23:06Z".
std::string FormatTimestamp(int64_t unix_seconds);

}  // namespace matchguard
