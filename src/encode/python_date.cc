#include "src/encode/python_date.h"

#include <array>
#include <cctype>

namespace matchguard {
namespace {

enum FieldIndex { kYear4, kYear2, kMonth, kDay, kJulian, kHour, kHour12, kMinute, kSecond, kFraction,
                  kMonthName, kFieldCount };

// One alternative of a directive's regular expression: a sequence of character ranges.
using Alternative = std::vector<std::pair<char, char>>;

// Parses the tiny notation used below: a literal character, `[..]` with ranges, or `\d`.
Alternative Compile(std::string_view pattern) {
  Alternative out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      out.emplace_back('0', '9');
      ++i;
    } else if (pattern[i] == '[') {
      // Only single ranges ("0-5") or single pairs ("01") occur in Python's table.
      size_t end = pattern.find(']', i);
      std::string_view cls = pattern.substr(i + 1, end - i - 1);
      if (cls.size() == 3 && cls[1] == '-') {
        out.emplace_back(cls[0], cls[2]);
      } else {
        out.emplace_back(cls[0], cls[cls.size() - 1]);  // "01" -> 0..1, "12" -> 1..2
      }
      i = end;
    } else {
      out.emplace_back(pattern[i], pattern[i]);
    }
  }
  return out;
}

// Python's _strptime.TimeRE alternations, in the order the regular expression tries them.
const std::vector<Alternative>& Alternatives(char directive) {
  static const auto make = [](std::initializer_list<std::string_view> list) {
    std::vector<Alternative> out;
    for (auto p : list) out.push_back(Compile(p));
    return out;
  };
  static const std::vector<Alternative> kDay = make({"3[01]", "[12]\\d", "0[1-9]", "[1-9]", " [1-9]"});
  static const std::vector<Alternative> kMonth = make({"1[0-2]", "0[1-9]", "[1-9]"});
  static const std::vector<Alternative> kYear4 = make({"\\d\\d\\d\\d"});
  static const std::vector<Alternative> kYear2 = make({"\\d\\d"});
  static const std::vector<Alternative> kHour = make({"2[0-3]", "[01]\\d", "\\d"});
  static const std::vector<Alternative> kHour12 = make({"1[0-2]", "0[1-9]", "[1-9]"});
  static const std::vector<Alternative> kMinute = make({"[0-5]\\d", "\\d"});
  static const std::vector<Alternative> kSecond = make({"6[01]", "[0-5]\\d", "\\d"});
  static const std::vector<Alternative> kJulian = make(
      {"36[0-6]", "3[0-5]\\d", "[12]\\d\\d", "0[1-9]\\d", "00[1-9]", "[1-9]\\d", "0[1-9]", "[1-9]"});
  static const std::vector<Alternative> kFraction = make(
      {"\\d\\d\\d\\d\\d\\d", "\\d\\d\\d\\d\\d", "\\d\\d\\d\\d", "\\d\\d\\d", "\\d\\d", "\\d"});
  // %z without seconds: +HH:MM, +HHMM or a case-sensitive Z ('+-' below means either sign).
  static const std::vector<Alternative> kZone = make({"[+-]\\d\\d:[0-5]\\d", "[+-]\\d\\d[0-5]\\d", "Z"});
  static const std::vector<Alternative> kNone;
  switch (directive) {
    case 'z': return kZone;
    case 'd': return kDay;
    case 'm': return kMonth;
    case 'Y': return kYear4;
    case 'y': return kYear2;
    case 'H': return kHour;
    case 'I': return kHour12;
    case 'M': return kMinute;
    case 'S': return kSecond;
    case 'j': return kJulian;
    case 'f': return kFraction;
    default: return kNone;
  }
}

// Name alternations (C locale), longest first as Python's seqToRE sorts them (stable for equal lengths).
const std::vector<std::string>& Names(char directive) {
  static const std::vector<std::string> kFullMonths = {"september", "february", "november", "december",
                                                       "january", "october", "august", "march",
                                                       "april", "june", "july", "may"};
  static const std::vector<std::string> kShortMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};
  static const std::vector<std::string> kFullDays = {"wednesday", "thursday", "saturday", "tuesday",
                                                     "monday", "friday", "sunday"};
  static const std::vector<std::string> kShortDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  static const std::vector<std::string> kAmPm = {"am", "pm"};
  static const std::vector<std::string> kNone;
  switch (directive) {
    case 'B': return kFullMonths;
    case 'b': return kShortMonths;
    case 'A': return kFullDays;
    case 'a': return kShortDays;
    case 'p': return kAmPm;
    default: return kNone;
  }
}

int MonthOfName(std::string_view lower_name) {
  static const std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                           "jul", "aug", "sep", "oct", "nov", "dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (lower_name.substr(0, 3) == kMonths[i]) return static_cast<int>(i) + 1;
  }
  return 0;
}

bool IsPySpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

int FieldOf(char directive) {
  switch (directive) {
    case 'Y': return kYear4;
    case 'y': return kYear2;
    case 'm': return kMonth;
    case 'd': return kDay;
    case 'j': return kJulian;
    case 'H': return kHour;
    case 'I': return kHour12;
    case 'M': return kMinute;
    case 'S': return kSecond;
    case 'f': return kFraction;
    case 'b':
    case 'B': return kMonthName;
    default: return -1;
  }
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

}  // namespace

Result<PythonDateFormat> PythonDateFormat::Compile(std::string_view format) {
  PythonDateFormat out;
  for (size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '%') {
      if (i + 1 >= format.size()) {
        return Error(Status::InvalidArgument("date format ends with a lone '%'"));
      }
      char d = format[++i];
      if (d == '%') {
        out.elements_.push_back({0, "%", false});
        continue;
      }
      if (Alternatives(d).empty() && Names(d).empty()) {
        return Error(Status::InvalidArgument(std::string("unsupported date directive '%") + d +
                                             "' (supported: %Y %y %m %d %j %H %I %M %S %f %z %p %a %A %b %B %%)"));
      }
      out.elements_.push_back({d, "", false});
    } else if (IsPySpace(c)) {
      while (i + 1 < format.size() && IsPySpace(format[i + 1])) ++i;
      out.elements_.push_back({0, "", true});
    } else {
      char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!out.elements_.empty() && out.elements_.back().directive == 0 && !out.elements_.back().whitespace) {
        out.elements_.back().literal.push_back(lower);
      } else {
        out.elements_.push_back({0, std::string(1, lower), false});
      }
    }
  }
  return out;
}

// Depth-first in the regular expression's order; `fields[kFieldCount]` receives the end position.
bool PythonDateFormat::Match(size_t element, std::string_view value, size_t pos, int* fields,
                             std::vector<uint8_t>* failed) const {
  if (element == elements_.size()) {
    fields[kFieldCount] = static_cast<int>(pos);
    return true;
  }
  // Whether the rest matches from `pos` does not depend on the fields captured so far, so a failure is
  // remembered; this keeps hostile formats (many adjacent numeric directives) from backtracking
  // exponentially.
  uint8_t& memo = (*failed)[element * (value.size() + 1) + pos];
  if (memo) return false;
  bool matched = MatchHere(element, value, pos, fields, failed);
  if (!matched) memo = 1;
  return matched;
}

bool PythonDateFormat::MatchHere(size_t element, std::string_view value, size_t pos, int* fields,
                                 std::vector<uint8_t>* failed) const {
  const Element& e = elements_[element];
  if (e.directive == 0) {
    if (e.whitespace) {
      size_t end = pos;
      while (end < value.size() && IsPySpace(value[end])) ++end;
      // \s+ is greedy: try the longest run first, then give characters back.
      for (size_t stop = end; stop > pos; --stop) {
        if (Match(element + 1, value, stop, fields, failed)) return true;
      }
      return false;
    }
    if (value.size() - pos < e.literal.size()) return false;
    for (size_t k = 0; k < e.literal.size(); ++k) {
      if (std::tolower(static_cast<unsigned char>(value[pos + k])) != e.literal[k]) return false;
    }
    return Match(element + 1, value, pos + e.literal.size(), fields, failed);
  }
  int field = FieldOf(e.directive);
  for (const Alternative& alt : Alternatives(e.directive)) {
    if (value.size() - pos < alt.size()) continue;
    bool ok = true;
    int number = 0;
    for (size_t k = 0; k < alt.size() && ok; ++k) {
      char c = value[pos + k];
      ok = alt[k].first == '+' && alt[k].second == '-' ? (c == '+' || c == '-')
                                                       : (c >= alt[k].first && c <= alt[k].second);
      if (c != ' ') number = number * 10 + (c - '0');
    }
    if (!ok) continue;
    int saved = field >= 0 ? fields[field] : 0;
    if (field >= 0) fields[field] = number;
    if (Match(element + 1, value, pos + alt.size(), fields, failed)) return true;
    if (field >= 0) fields[field] = saved;
  }
  for (const std::string& name : Names(e.directive)) {
    if (value.size() - pos < name.size()) continue;
    bool ok = true;
    for (size_t k = 0; k < name.size() && ok; ++k) {
      ok = std::tolower(static_cast<unsigned char>(value[pos + k])) == name[k];
    }
    if (!ok) continue;
    int saved = field >= 0 ? fields[field] : 0;
    if (field >= 0) fields[field] = MonthOfName(name);
    if (Match(element + 1, value, pos + name.size(), fields, failed)) return true;
    if (field >= 0) fields[field] = saved;
  }
  return false;
}

std::optional<CivilDate> PythonDateFormat::Parse(std::string_view value) const {
  int fields[kFieldCount + 1];
  for (int& f : fields) f = -1;
  std::vector<uint8_t> failed(elements_.size() * (value.size() + 1), 0);
  if (!Match(0, value, 0, fields, &failed) || static_cast<size_t>(fields[kFieldCount]) != value.size()) {
    return std::nullopt;
  }
  CivilDate date;
  // Later directives in the format override earlier ones, as in Python; year4 vs year2 is rare enough
  // that we let %Y win when both are present.
  if (fields[kYear2] >= 0) date.year = fields[kYear2] <= 68 ? 2000 + fields[kYear2] : 1900 + fields[kYear2];
  if (fields[kYear4] >= 0) date.year = fields[kYear4];
  if (fields[kMonthName] >= 0) date.month = fields[kMonthName];
  if (fields[kMonth] >= 0) date.month = fields[kMonth];
  if (fields[kDay] >= 0) date.day = fields[kDay];
  if (date.year < 1 || date.year > 9999) return std::nullopt;
  if (fields[kJulian] >= 0) {
    // The day of the year wins over month and day, and may roll into the next year (366 in a common year).
    int julian = fields[kJulian];
    int y = date.year;
    int m = 1;
    while (julian > DaysInMonth(y, m)) {
      julian -= DaysInMonth(y, m);
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
    if (y > 9999) return std::nullopt;
    return CivilDate{y, m, julian};
  }
  if (date.day > DaysInMonth(date.year, date.month)) return std::nullopt;
  return date;
}

std::string PythonDateFormat::FormatYmd(const CivilDate& date) {
  std::string out = std::to_string(date.year);
  out.push_back(static_cast<char>('0' + date.month / 10));
  out.push_back(static_cast<char>('0' + date.month % 10));
  out.push_back(static_cast<char>('0' + date.day / 10));
  out.push_back(static_cast<char>('0' + date.day % 10));
  return out;
}

}  // namespace matchguard
