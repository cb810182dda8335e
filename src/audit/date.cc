#include "src/audit/date.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace matchguard {
namespace {

struct Civil {
  int year;
  int month;
  int day;
};

// Days-from-civil and its inverse over 400-year eras (the algorithm H. Hinnant describes in
// "chrono-Compatible Low-Level Date Algorithms"), exact for every Gregorian date.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  return {y, m, d};
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view text, int* out) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return std::from_chars(text.data(), text.data() + text.size(), *out).ec == std::errc();
}

}  // namespace

Date Date::FromCivil(int year, int month, int day) { return Date(DaysFromCivil(year, month, day)); }

Result<Date> Date::Parse(std::string_view text, std::string_view what) {
  auto bad = [&](const std::string& why) {
    return Error(Status::InvalidArgument(std::string(what) + ": expected a date YYYY-MM-DD, " + why));
  };
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text.substr(0, 4), &y) ||
      !ParseDigits(text.substr(5, 2), &m) || !ParseDigits(text.substr(8, 2), &d)) {
    return bad("got '" + std::string(text.substr(0, 32)) + "'");
  }
  if (m < 1 || m > 12) return bad("the month must be 01 to 12");
  if (d < 1 || d > DaysInMonth(y, m)) return bad("the day does not exist in that month");
  return FromCivil(y, m, d);
}

int Date::year() const { return CivilFromDays(days_).year; }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }

std::string Date::ToString() const {
  const Civil c = CivilFromDays(days_);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

Date Date::AddMonths(int months) const {
  const Civil c = CivilFromDays(days_);
  const int total = c.year * 12 + (c.month - 1) + months;
  const int y = total / 12;
  const int m = total % 12 + 1;
  return FromCivil(y, m, std::min(c.day, DaysInMonth(y, m)));
}

namespace {

const Clock* g_test_clock = nullptr;

// The variables once moved the release binary's clock; a script still setting them must not believe it
// ran on another day, so they are refused, naming the fix.
Status RefuseClockVariable(const char* name) {
  if (const char* value = std::getenv(name); value == nullptr || *value == '\0') return Status::Ok();
  return Status::FailedPrecondition(std::string(name) +
                                    " is set, but matchguard takes the date and time from the system clock only "
                                    "(an operator must not move the clock of a governed run); unset it");
}

int64_t SystemSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace

Result<Date> Clock::Today() const {
  MG_ASSIGN_OR_RETURN(int64_t now, NowSeconds());
  return Date::FromDays(now >= 0 ? now / 86400 : (now - 86399) / 86400);
}

void SetClockForTesting(const Clock* clock) { g_test_clock = clock; }

Result<Date> Today() {
  if (g_test_clock != nullptr) return g_test_clock->Today();
  MG_RETURN_IF_ERROR(RefuseClockVariable("MATCHGUARD_TODAY"));
  MG_RETURN_IF_ERROR(RefuseClockVariable("MATCHGUARD_NOW"));
  return Date::FromDays(SystemSeconds() / 86400);
}

Result<int64_t> NowSeconds() {
  if (g_test_clock != nullptr) return g_test_clock->NowSeconds();
  MG_RETURN_IF_ERROR(RefuseClockVariable("MATCHGUARD_TODAY"));
  MG_RETURN_IF_ERROR(RefuseClockVariable("MATCHGUARD_NOW"));
  return SystemSeconds();
}

std::string FormatTimestamp(int64_t unix_seconds) {
  const int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const int64_t secs = unix_seconds - days * 86400;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", Date::FromDays(days).ToString().c_str(),
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

}  // namespace matchguard
