#include "src/normalize/values.h"

#include <vector>

#include "src/normalize/names.h"
#include "src/normalize/text.h"

namespace matchguard {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char AsciiUpper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Parses 1 to 4 ASCII digits.
bool ParseSmallNumber(std::string_view digits, int* value) {
  if (digits.empty() || digits.size() > 4) return false;
  int v = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *value = v;
  return true;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

constexpr int kMinYear = 1850;
constexpr int kMaxYear = 2100;

bool WriteDate(int year, int month, int day, std::string* out) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return false;
  }
  char buffer[10] = {static_cast<char>('0' + year / 1000),
                     static_cast<char>('0' + year / 100 % 10),
                     static_cast<char>('0' + year / 10 % 10),
                     static_cast<char>('0' + year % 10),
                     '-',
                     static_cast<char>('0' + month / 10),
                     static_cast<char>('0' + month % 10),
                     '-',
                     static_cast<char>('0' + day / 10),
                     static_cast<char>('0' + day % 10)};
  out->assign(buffer, sizeof(buffer));
  return true;
}

// Whether a/b/YYYY (or a-b-YYYY) puts the month first.
bool MonthFirst(DateOrder order, char separator, int a, int b) {
  switch (order) {
    case DateOrder::kMonthDay:
      return true;
    case DateOrder::kDayMonth:
      return false;
    case DateOrder::kAuto:
      break;
  }
  const bool month_first = separator == '/';
  if (month_first && a > 12 && b <= 12) return false;
  if (!month_first && b > 12 && a <= 12) return true;
  return month_first;
}

bool IsAllDigits(std::string_view s) {
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return !s.empty();
}

// One '@' after a non-empty local part, a domain with a dot inside it, and no white space.
bool IsPlausibleEmail(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  if (email.find_first_of(" \t") != std::string_view::npos) return false;
  const std::string_view domain = email.substr(at + 1);
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && domain.back() != '.';
}

}  // namespace

bool NormalizeName(std::string_view raw, std::string* out) {
  FoldTextInto(raw, out);
  return !out->empty();
}

bool NormalizeState(std::string_view raw, std::string* out) {
  FoldTextInto(raw, out);
  // Codes are the common case; only a name longer than any code needs the table.
  if (out->size() > 3) out->assign(StateAbbreviation(*out));
  return !out->empty();
}

bool NormalizeDate(std::string_view raw, DateOrder order, std::string* out) {
  out->clear();
  std::string_view s = TrimAscii(raw);
  // An ISO date followed by a time ("1990-01-31T00:00:00", "1990-01-31 00:00").
  if (s.size() > 10 && s[4] == '-' && (s[10] == 'T' || s[10] == ' ')) s = s.substr(0, 10);
  int year = 0;
  int month = 0;
  int day = 0;
  if (s.size() == 8 && IsAllDigits(s)) {
    return ParseSmallNumber(s.substr(0, 4), &year) && ParseSmallNumber(s.substr(4, 2), &month) &&
           ParseSmallNumber(s.substr(6, 2), &day) && WriteDate(year, month, day, out);
  }
  const size_t first = s.find_first_of("-/.");
  if (first == std::string_view::npos) return false;
  const char separator = s[first];
  const size_t second = s.find(separator, first + 1);
  if (second == std::string_view::npos) return false;
  const std::string_view p1 = s.substr(0, first);
  const std::string_view p2 = s.substr(first + 1, second - first - 1);
  const std::string_view p3 = s.substr(second + 1);
  int a = 0;
  int b = 0;
  int c = 0;
  if (!ParseSmallNumber(p1, &a) || !ParseSmallNumber(p2, &b) || !ParseSmallNumber(p3, &c)) return false;
  if (p1.size() == 4 && p2.size() <= 2 && p3.size() <= 2) return WriteDate(a, b, c, out);
  if (p3.size() != 4 || p1.size() > 2 || p2.size() > 2) return false;
  if (MonthFirst(order, separator, a, b)) return WriteDate(c, a, b, out);
  return WriteDate(c, b, a, out);
}

bool NormalizeSex(std::string_view raw, std::string* out) {
  out->clear();
  std::string token;
  for (char c : TrimAscii(raw)) token.push_back(AsciiLower(c));
  static constexpr std::string_view kMale[] = {"m", "male", "man", "boy", "1", "masculine"};
  static constexpr std::string_view kFemale[] = {"f", "female", "woman", "girl", "2", "w", "feminine"};
  for (std::string_view m : kMale) {
    if (token == m) out->assign("m");
  }
  for (std::string_view f : kFemale) {
    if (token == f) out->assign("f");
  }
  return !out->empty();
}

bool NormalizeSsn(std::string_view raw, std::string* out) {
  out->clear();
  char digits[9];
  size_t count = 0;
  for (char c : TrimAscii(raw)) {
    if (c == '-' || c == ' ') continue;
    if (!IsDigit(c) || count == 9) return false;
    digits[count++] = c;
  }
  if (count == 0) return false;
  out->assign(9 - count, '0');
  out->append(digits, count);
  const std::string_view ssn = *out;
  const std::string_view area = ssn.substr(0, 3);
  const bool valid =
      area != "000" && area != "666" && area[0] != '9' && ssn.substr(3, 2) != "00" && ssn.substr(5, 4) != "0000";
  if (!valid) out->clear();
  return valid;
}

bool NormalizeZip(std::string_view raw, std::string* out) {
  out->clear();
  std::string_view s = TrimAscii(raw);
  const size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    if (!IsAllDigits(s.substr(dash + 1))) return false;
    s = s.substr(0, dash);
  }
  if (!IsAllDigits(s)) return false;
  if (s.size() == 9) s = s.substr(0, 5);
  if (s.size() > 5) return false;
  out->assign(5 - s.size(), '0');
  out->append(s);
  if (*out == "00000") out->clear();
  return !out->empty();
}

bool NormalizeStreet(std::string_view raw, std::string* out) {
  thread_local std::string folded;
  thread_local std::vector<std::string_view> words;
  FoldTextInto(raw, &folded);
  words.clear();
  for (std::string_view rest = folded; !rest.empty();) {
    const size_t space = rest.find(' ');
    words.push_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  // The suffix is the last suffix word ("Old Mill Road" -> "old mill rd"); directionals stand first or last
  // among the words that are not numbers, and only beside another word ("North Street", not "North").
  for (size_t i = words.size(); i-- > 0;) {
    const std::string_view abbreviation = StreetSuffixAbbreviation(words[i]);
    if (abbreviation.empty()) continue;
    words[i] = abbreviation;
    break;
  }
  size_t first = 0;
  while (first < words.size() && IsDigit(words[first][0])) ++first;
  if (words.size() - first >= 2) {
    for (size_t i : {first, words.size() - 1}) {
      const std::string_view directional = DirectionalAbbreviation(words[i]);
      if (!directional.empty()) words[i] = directional;
    }
  }
  out->clear();
  for (std::string_view word : words) {
    if (!out->empty()) out->push_back(' ');
    out->append(word);
  }
  return !out->empty();
}

bool NormalizePhone(std::string_view raw, std::string* out) {
  out->clear();
  for (char c : TrimAscii(raw)) {
    if (IsDigit(c)) {
      out->push_back(c);
    } else if (IsAsciiAlpha(c)) {
      break;  // "x12", "ext 5": an extension is not part of the number
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.' && c != '+' && c != '/') {
      out->clear();
      return false;
    }
  }
  if (out->size() < 7) {
    out->clear();
    return false;
  }
  if (out->size() > 10) out->erase(0, out->size() - 10);
  return true;
}

bool NormalizeEmail(std::string_view raw, std::string* out) {
  out->clear();
  for (char c : TrimAscii(raw)) out->push_back(AsciiLower(c));
  if (!IsPlausibleEmail(*out)) out->clear();
  return !out->empty();
}

bool NormalizeMbi(std::string_view raw, std::string* out) {
  out->clear();
  for (char c : TrimAscii(raw)) {
    if (c == '-' || c == ' ') continue;
    out->push_back(AsciiUpper(c));
  }
  // N: numeric 0-9, C: numeric 1-9, A: letter other than S L O I B Z, X: A or N.
  static constexpr std::string_view kPattern = "CAXNAXNAANN";
  auto is_alpha = [](char c) {
    return c >= 'A' && c <= 'Z' && c != 'S' && c != 'L' && c != 'O' && c != 'I' && c != 'B' && c != 'Z';
  };
  bool valid = out->size() == kPattern.size();
  for (size_t i = 0; valid && i < kPattern.size(); ++i) {
    const char c = (*out)[i];
    switch (kPattern[i]) {
      case 'C':
        valid = c >= '1' && c <= '9';
        break;
      case 'N':
        valid = IsDigit(c);
        break;
      case 'A':
        valid = is_alpha(c);
        break;
      default:
        valid = IsDigit(c) || is_alpha(c);
        break;
    }
  }
  if (!valid) out->clear();
  return valid;
}

bool NormalizeValue(FieldKind kind, std::string_view raw, const NormalizeOptions& options, std::string* out) {
  switch (kind) {
    case FieldKind::kId:
      out->assign(TrimAscii(raw));
      return !out->empty();
    case FieldKind::kDob:
      return NormalizeDate(raw, options.date_order, out);
    case FieldKind::kSex:
      return NormalizeSex(raw, out);
    case FieldKind::kSsn:
      return NormalizeSsn(raw, out);
    case FieldKind::kZip:
      return NormalizeZip(raw, out);
    case FieldKind::kStreet:
      return NormalizeStreet(raw, out);
    case FieldKind::kPhone:
      return NormalizePhone(raw, out);
    case FieldKind::kEmail:
      return NormalizeEmail(raw, out);
    case FieldKind::kMbi:
      return NormalizeMbi(raw, out);
    case FieldKind::kState:
      return NormalizeState(raw, out);
    case FieldKind::kFirstName:
    case FieldKind::kMiddleName:
    case FieldKind::kLastName:
    case FieldKind::kFullName:
    case FieldKind::kStreetNumber:
    case FieldKind::kCity:
      break;
  }
  return NormalizeName(raw, out);
}

std::optional<std::string> NormalizedValue(FieldKind kind, std::string_view raw, const NormalizeOptions& options) {
  std::string out;
  if (!NormalizeValue(kind, raw, options, &out)) return std::nullopt;
  return out;
}

std::optional<std::string_view> DeclaredFormat(FieldKind kind) {
  switch (kind) {
    case FieldKind::kDob:
      return "a date of birth (a real date from 1850 to 2100)";
    case FieldKind::kSex:
      return "a sex (M, F, male, female, 1 or 2)";
    case FieldKind::kSsn:
      return "an SSN (nine digits, area not 000, 666 or 900-999, group not 00, serial not 0000)";
    case FieldKind::kZip:
      return "a ZIP code (five digits, or ZIP+4)";
    case FieldKind::kPhone:
      return "a phone number (at least seven digits)";
    case FieldKind::kEmail:
      return "an email address";
    case FieldKind::kMbi:
      return "an MBI (11 characters in the CMS pattern)";
    default:
      return std::nullopt;
  }
}

Status CheckDeclaredFormat(FieldKind kind, std::string_view raw, const NormalizeOptions& options) {
  const std::optional<std::string_view> format = DeclaredFormat(kind);
  if (!format || TrimAscii(raw).empty()) return Status::Ok();
  std::string normalized;
  if (NormalizeValue(kind, raw, options, &normalized)) return Status::Ok();
  return Status::InvalidArgument("the value is not " + std::string(*format));
}

}  // namespace matchguard
