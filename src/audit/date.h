// Date: a calendar day (proleptic Gregorian, no time zone), and the injectable "today" and "now" that
// governance rules are judged against.
//
// Agreements, notice periods and retention are counted in whole days, so a Date is a day number. Tests and
// demos fix the clock with the environment: MATCHGUARD_TODAY=YYYY-MM-DD sets today, and
// MATCHGUARD_NOW=<unix seconds> sets the time stamped on audit checkpoints.
//
// Thread-safety: Date is a plain value. Today() and NowSeconds() read the environment and the clock.
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

// Today's date in UTC, or MATCHGUARD_TODAY when set (an error when it is malformed).
Result<Date> Today();
// Seconds since the epoch, or MATCHGUARD_NOW when set.
Result<int64_t> NowSeconds();
// "2026-11-29T04:23:06Z".
std::string FormatTimestamp(int64_t unix_seconds);

}  // namespace matchguard
