#include "src/encode/opentoken.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <utf8proc.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>

#include "src/encode/clk_file.h"
#include "src/encode/python_date.h"

namespace matchguard {
namespace {

using Attr = PersonAttribute;

// Python's str.isspace() for the ASCII range (\s in its regular expressions).
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view Strip(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool NotBlank(std::string_view s) { return !Strip(s).empty(); }

bool AllDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

std::string RemoveWhitespace(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (!IsSpace(c)) out.push_back(c);
  }
  return out;
}

bool IsPlaceholderName(std::string_view value) {
  static const char* const kPlaceholders[] = {
      "unknown",   "n/a",       "none",          "test",         "sample",      "donor",
      "patient",   "automation test", "automationtest", "patient not found", "patientnotfound",
      "<masked>",  "anonymous", "zzztrash",      "missing",      "unavailable", "not available",
      "notavailable"};
  std::string lower = Lower(value);
  for (const char* p : kPlaceholders) {
    if (lower == p) return true;
  }
  return false;
}

// AttributeUtilities.normalize_diacritics: strip, NFD, drop nonspacing marks (category Mn).
std::string NormalizeDiacritics(std::string_view value) {
  std::string_view trimmed = Strip(value);
  if (std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(trimmed);
  }
  utf8proc_uint8_t* nfd = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(trimmed.data()),
                                    static_cast<utf8proc_ssize_t>(trimmed.size()), &nfd,
                                    static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE));
  if (n < 0) return std::string(trimmed);
  std::string out;
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t len = utf8proc_iterate(nfd + i, n - i, &cp);
    if (len <= 0) break;
    if (utf8proc_category(cp) != UTF8PROC_CATEGORY_MN) out.append(reinterpret_cast<char*>(nfd + i), static_cast<size_t>(len));
    i += len;
  }
  std::free(nfd);
  return out;
}

// The tail of a generational-suffix match: jr, sr (with an optional dot), junior, senior, roman numerals
// up to ix/x as OpenToken lists them, or an ordinal such as 3rd.
bool IsGenerationalSuffix(std::string_view tail) {
  static const char* const kWords[] = {"jr", "jr.", "junior", "sr", "sr.", "senior", "i", "ii", "iii", "iv",
                                       "v", "vi", "vii", "viii", "ix", "x"};
  std::string lower = Lower(tail);
  for (const char* w : kWords) {
    if (lower == w) return true;
  }
  size_t digits = 0;
  while (digits < lower.size() && IsDigit(lower[digits])) ++digits;
  if (digits == 0 || lower.size() != digits + 2) return false;
  std::string_view ending = std::string_view(lower).substr(digits);
  return ending == "st" || ending == "nd" || ending == "rd" || ending == "th";
}

// GENERATIONAL_SUFFIX_PATTERN.sub('', value): `\s+(suffix)$`; only the last whitespace run can match.
std::string RemoveSuffixUnstripped(std::string_view value) {
  size_t end = value.size();
  size_t tail_start = end;
  while (tail_start > 0 && !IsSpace(value[tail_start - 1])) --tail_start;
  if (tail_start == 0 || tail_start == end) return std::string(value);
  size_t run_start = tail_start;
  while (run_start > 0 && IsSpace(value[run_start - 1])) --run_start;
  if (!IsGenerationalSuffix(value.substr(tail_start))) return std::string(value);
  return std::string(value.substr(0, run_start));
}

std::string KeepLetters(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (IsAlpha(c)) out.push_back(c);
  }
  return out;
}

// FirstNameAttribute.TITLE_PATTERN: `^\s*(mr|mrs|...)\.?\s+`, case-insensitive; returns what follows.
std::optional<std::string_view> StripTitle(std::string_view s) {
  static const char* const kTitles[] = {"mr",     "mrs",    "ms",       "miss",    "dr",     "prof", "capt",
                                        "sir",    "col",    "gen",      "cmdr",    "lt",     "rabbi", "father",
                                        "brother", "sister", "hon",     "honorable", "reverend", "rev", "doctor"};
  size_t start = 0;
  while (start < s.size() && IsSpace(s[start])) ++start;
  std::string lower = Lower(s);
  for (const char* title : kTitles) {
    std::string_view t(title);
    if (lower.compare(start, t.size(), t) != 0) continue;
    size_t pos = start + t.size();
    for (size_t after : {pos + 1, pos}) {
      if (after == pos + 1 && (pos >= s.size() || s[pos] != '.')) continue;
      if (after < s.size() && IsSpace(s[after])) {
        size_t rest = after;
        while (rest < s.size() && IsSpace(s[rest])) ++rest;
        return s.substr(rest);
      }
    }
  }
  return std::nullopt;
}

// Start of the last UTF-8 code point of `s` (which is non-empty).
size_t LastCodePointStart(std::string_view s) {
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

// TRAILING_PERIOD_AND_INITIAL_PATTERN.sub: removes a final `\s[^\s]\.?`.
std::string RemoveTrailingInitial(std::string_view s) {
  if (s.size() < 2) return std::string(s);
  // Leftmost match first: whitespace, one character, a dot.
  if (s.back() == '.') {
    std::string_view head = s.substr(0, s.size() - 1);
    if (!head.empty()) {
      size_t c = LastCodePointStart(head);
      if (c > 0 && IsSpace(head[c - 1]) && !IsSpace(head[c])) return std::string(s.substr(0, c - 1));
    }
  }
  size_t c = LastCodePointStart(s);
  if (c > 0 && IsSpace(s[c - 1]) && !IsSpace(s[c])) return std::string(s.substr(0, c - 1));
  return std::string(s);
}

std::string NormalizeFirstName(std::string_view value) {
  if (value.empty()) return std::string();
  std::string normalized = NormalizeDiacritics(value);
  if (auto without_title = StripTitle(normalized)) {
    std::string stripped(Strip(*without_title));
    if (!stripped.empty()) normalized = stripped;
  }
  std::string without_suffix(Strip(RemoveSuffixUnstripped(normalized)));
  if (!without_suffix.empty()) normalized = without_suffix;
  normalized = std::string(Strip(RemoveTrailingInitial(normalized)));
  return KeepLetters(normalized);  // letters only, so no whitespace is left to collapse
}

std::string NormalizeLastName(std::string_view value) {
  std::string normalized = NormalizeDiacritics(value);
  std::string without_suffix = RemoveSuffixUnstripped(normalized);
  if (NotBlank(without_suffix)) normalized = without_suffix;
  return KeepLetters(normalized);
}

bool IsVowel(char c) { return std::string_view("aeiouAEIOU").find(c) != std::string_view::npos; }

bool ValidateFirstName(std::string_view value) {
  if (!NotBlank(value) || IsPlaceholderName(value)) return false;
  std::string n = NormalizeFirstName(value);
  return NotBlank(n) && !IsPlaceholderName(n);
}

bool ValidateLastName(std::string_view value) {
  if (!NotBlank(value) || IsPlaceholderName(value)) return false;
  std::string n = NormalizeLastName(value);
  if (n.size() == 1 || !NotBlank(n) || IsPlaceholderName(n)) return false;
  if (n.size() >= 3) return true;
  if (n.size() != 2) return false;
  return (!IsVowel(n[0]) && IsVowel(n[1])) || (IsVowel(n[0]) && !IsVowel(n[1])) ||
         (IsVowel(n[0]) && IsVowel(n[1])) || Lower(n) == "ng";
}

bool ValidateSex(std::string_view value) {
  if (!NotBlank(value)) return false;
  std::string_view s = Strip(value);
  return s == "M" || s == "m" || s == "Male" || s == "male" || s == "F" || s == "f" || s == "Female" ||
         s == "female";
}

std::string NormalizeSex(std::string_view value) {
  std::string_view s = Strip(value);
  if (s.empty()) return std::string();
  char first = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return first == 'm' ? "Male" : first == 'f' ? "Female" : "";
}

// Digits-only helpers for the fixed-shape date and number patterns below.
bool DigitsAt(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit(s[pos + i])) return false;
  }
  return true;
}

// DateAttribute.VALIDATION_PATTERN, matched against the raw value.
bool DateShapeOk(std::string_view s) {
  auto sep = [&](size_t pos, std::string_view allowed) {
    return pos < s.size() && allowed.find(s[pos]) != std::string_view::npos;
  };
  if (s.size() == 10 && DigitsAt(s, 0, 4) && sep(4, "-/") && DigitsAt(s, 5, 2) && sep(7, "-/") && DigitsAt(s, 8, 2)) {
    return true;
  }
  if (s.size() == 10 && DigitsAt(s, 0, 2) && sep(2, "-./") && DigitsAt(s, 3, 2) && sep(5, "-./") &&
      DigitsAt(s, 6, 4)) {
    return true;
  }
  if (s.size() < 19 || !DigitsAt(s, 0, 4) || s[4] != '-' || !DigitsAt(s, 5, 2) || s[7] != '-' ||
      !DigitsAt(s, 8, 2) || s[10] != 'T' || !DigitsAt(s, 11, 2) || s[13] != ':' || !DigitsAt(s, 14, 2) ||
      s[16] != ':' || !DigitsAt(s, 17, 2)) {
    return false;
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    if (!DigitsAt(s, pos + 1, 3)) return false;
    pos += 4;
  }
  if (pos == s.size()) return true;
  if (s[pos] == 'Z') return pos + 1 == s.size();
  return (s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && DigitsAt(s, pos + 1, 2) && s[pos + 3] == ':' &&
         DigitsAt(s, pos + 4, 2);
}

// DateAttribute.normalize tries ISO timestamps first; DateRangeValidator tries the plain formats first.
// Both end in the same day for any value that passes DateShapeOk.
std::optional<CivilDate> ParseOpenTokenDate(std::string_view value, bool iso_first) {
  static const auto compile = [](std::initializer_list<const char*> formats) {
    std::vector<PythonDateFormat> out;
    for (const char* f : formats) out.push_back(std::move(PythonDateFormat::Compile(f)).value());
    return out;
  };
  static const std::vector<PythonDateFormat> kPlain = compile({"%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%m-%d-%Y", "%d.%m.%Y"});
  static const std::vector<PythonDateFormat> kIso = compile(
      {"%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z"});
  std::string_view s = Strip(value);
  const std::vector<PythonDateFormat>* order[2] = {&kPlain, &kIso};
  if (iso_first) std::swap(order[0], order[1]);
  for (const auto* list : order) {
    for (const PythonDateFormat& f : *list) {
      if (auto d = f.Parse(s)) return d;
    }
  }
  return std::nullopt;
}

int DateKey(const CivilDate& d) { return d.year * 10000 + d.month * 100 + d.day; }

int TodayKey() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return (local.tm_year + 1900) * 10000 + (local.tm_mon + 1) * 100 + local.tm_mday;
}

bool ValidateBirthDate(std::string_view value) {
  if (!NotBlank(value) || !DateShapeOk(value)) return false;
  auto d = ParseOpenTokenDate(value, /*iso_first=*/false);
  return d && DateKey(*d) >= 19100101 && DateKey(*d) <= TodayKey();
}

std::string FormatIsoDate(const CivilDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string NormalizeBirthDate(std::string_view value) {
  auto d = ParseOpenTokenDate(value, /*iso_first=*/true);
  return d ? FormatIsoDate(*d) : std::string(Strip(value));
}

bool ValidateSsn(std::string_view value) {
  static const char* const kInvalid[] = {"111-11-1111", "222-22-2222", "333-33-3333", "444-44-4444",
                                         "555-55-5555", "777-77-7777", "888-88-8888", "001-23-4567",
                                         "010-10-1010", "012-34-5678", "087-65-4321", "098-76-5432",
                                         "099-99-9999", "111-22-3333", "121-21-2121", "123-45-6789"};
  if (!NotBlank(value)) return false;
  std::string lower = Lower(value);
  for (const char* bad : kInvalid) {
    if (lower == bad) return false;
  }
  // SSN_REGEX, first branch: 7 to 9 digits, optionally a decimal point and zeros (no area checks).
  size_t digits = 0;
  while (digits < value.size() && IsDigit(value[digits])) ++digits;
  if (digits >= 7 && digits <= 9) {
    std::string_view rest = value.substr(digits);
    if (rest.empty() || (rest[0] == '.' && std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c == '0'; }))) {
      return true;
    }
  }
  // Second branch: area-group-serial with optional dashes, area not 000/666/9xx, group not 00, serial not 0000.
  if (!DigitsAt(value, 0, 3)) return false;
  size_t pos = 3;
  if (pos < value.size() && value[pos] == '-') ++pos;
  if (!DigitsAt(value, pos, 2)) return false;
  std::string_view group = value.substr(pos, 2);
  pos += 2;
  if (pos < value.size() && value[pos] == '-') ++pos;
  if (!DigitsAt(value, pos, 4) || pos + 4 != value.size()) return false;
  std::string_view area = value.substr(0, 3);
  std::string_view serial = value.substr(pos, 4);
  return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000";
}

std::string NormalizeSsn(std::string_view original) {
  if (original.empty()) return std::string();
  std::string v = RemoveWhitespace(Strip(original));
  v.erase(std::remove(v.begin(), v.end(), '-'), v.end());
  size_t dot = v.find('.');
  if (dot != std::string::npos) v.resize(dot);
  if (!AllDigits(v) || v.size() < 7 || v.size() > 9) return std::string(original);
  v.insert(0, 9 - v.size(), '0');
  return v.substr(0, 3) + "-" + v.substr(3, 2) + "-" + v.substr(5);
}

bool ValidateUsPostal(std::string_view value) {
  static const char* const kInvalidPrefixes[] = {"11111", "22222", "33333", "66666", "77777", "99999", "01234",
                                                 "12345", "54321", "98765", "000",   "555",   "888"};
  if (!NotBlank(value)) return false;
  std::string_view s = Strip(value);
  bool shape = (s.size() >= 3 && s.size() <= 5 && AllDigits(s)) || (s.size() == 9 && AllDigits(s)) ||
               (s.size() == 10 && AllDigits(s.substr(0, 5)) && s[5] == '-' && AllDigits(s.substr(6)));
  if (!shape) return false;
  for (const char* p : kInvalidPrefixes) {
    if (s.substr(0, std::char_traits<char>::length(p)) == p) return false;
  }
  return true;
}

std::string NormalizeUsPostal(std::string_view value) {
  if (value.empty()) return std::string();
  std::string t = RemoveWhitespace(Strip(value));
  if (t.size() == 3 && AllDigits(t)) return t + "00";
  if (t.size() == 4 && AllDigits(t)) return t + "0";
  if (DigitsAt(t, 0, 5)) return t.substr(0, 5);  // re.match('\d{5}(-?\d{4})?') or '\d{9}': a 5-digit prefix
  return std::string(Strip(value));
}

bool IsLdl(std::string_view s, size_t pos) {
  return pos + 3 <= s.size() && IsAlpha(s[pos]) && IsDigit(s[pos + 1]) && IsAlpha(s[pos + 2]);
}

std::string NormalizeCaPostal(std::string_view value) {
  if (value.empty()) return std::string();
  std::string t = RemoveWhitespace(Strip(value));
  std::string up = Upper(t);
  if (t.size() == 3 && IsLdl(t, 0)) return up + " 000";
  if (t.size() == 4 && IsLdl(t, 0) && IsDigit(t[3])) return up.substr(0, 3) + " " + up.substr(3, 1) + "A0";
  if (t.size() == 5 && IsLdl(t, 0) && IsDigit(t[3]) && IsAlpha(t[4])) return up.substr(0, 3) + " " + up.substr(3) + "0";
  if (t.size() >= 6 && IsLdl(t, 0) && IsDigit(t[3]) && IsAlpha(t[4]) && IsDigit(t[5])) {
    return up.substr(0, 3) + " " + up.substr(3, 3);
  }
  return std::string(Strip(value));
}

bool ValidateCaPostal(std::string_view value) {
  std::string_view s = Strip(value);
  if (!IsLdl(s, 0)) return false;
  std::string_view rest = s.substr(3);
  if (!rest.empty() && IsSpace(rest[0])) rest.remove_prefix(1);
  bool shape = rest.empty() || (rest.size() == 1 && IsDigit(rest[0])) ||
               (rest.size() == 2 && IsDigit(rest[0]) && IsAlpha(rest[1])) ||
               (rest.size() == 3 && IsDigit(rest[0]) && IsAlpha(rest[1]) && IsDigit(rest[2]));
  if (!shape) return false;
  std::string n = Upper(NormalizeCaPostal(value));
  static const char* const kInvalid[] = {"A1A 1A1", "X0X 0X0", "Y0Y 0Y0", "Z0Z 0Z0", "A0A 0A0",
                                         "B1B 1B1", "C2C 2C2", "K1A 0A6", "H0H 0H0"};
  for (const char* bad : kInvalid) {
    if (n == bad) return false;
  }
  if (n.size() == 7 && n.find(' ') != std::string::npos) {
    std::string zip3 = n.substr(0, 3);
    if (zip3 == "K1A" || zip3 == "M7A" || zip3 == "H0H") {
      std::string_view last(n.c_str() + 4, 3);
      // The normalised text is upper-cased here, as OpenToken compares it; `\d[A-Z]0` covers `\dA0`.
      if (last == "000" || (IsDigit(last[0]) && last[1] >= 'A' && last[1] <= 'Z' && last[2] == '0')) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------- rules

enum class Expr : uint8_t { kUpper, kFirst1, kFirst3, kDate, kDigits };

struct Part {
  Attr attribute;
  Expr expr;
};

const std::vector<Part>& Rule(size_t rule) {
  static const std::vector<Part> kRules[kOpenTokenRuleCount] = {
      {{Attr::kLastName, Expr::kUpper}, {Attr::kFirstName, Expr::kFirst1}, {Attr::kSex, Expr::kUpper},
       {Attr::kBirthDate, Expr::kDate}},
      {{Attr::kLastName, Expr::kUpper}, {Attr::kFirstName, Expr::kUpper}, {Attr::kBirthDate, Expr::kDate},
       {Attr::kPostalCode, Expr::kFirst3}},
      {{Attr::kLastName, Expr::kUpper}, {Attr::kFirstName, Expr::kUpper}, {Attr::kSex, Expr::kUpper},
       {Attr::kBirthDate, Expr::kDate}},
      {{Attr::kSocialSecurityNumber, Expr::kDigits}, {Attr::kSex, Expr::kUpper}, {Attr::kBirthDate, Expr::kDate}},
      {{Attr::kLastName, Expr::kUpper}, {Attr::kFirstName, Expr::kFirst3}, {Attr::kSex, Expr::kUpper}},
  };
  return kRules[rule];
}

// AttributeExpression.get_effective_value for the expressions the rules use ("T|U", "T|S(0,n)|U", "T|D",
// "T|M(\d+)"); every normalised value here is ASCII, so byte offsets are character offsets.
std::string Effective(std::string_view value, Expr expr) {
  std::string_view t = Strip(value);
  if (t.empty()) return std::string();
  switch (expr) {
    case Expr::kUpper:
      return Upper(t);
    case Expr::kFirst1:
      return Upper(t.substr(0, 1));
    case Expr::kFirst3:
      return Upper(t.substr(0, 3));
    case Expr::kDate: {
      static const PythonDateFormat kIso = std::move(PythonDateFormat::Compile("%Y-%m-%d")).value();
      auto d = kIso.Parse(t);
      return d ? FormatIsoDate(*d) : std::string();
    }
    case Expr::kDigits: {
      std::string out;
      for (char c : t) {
        if (IsDigit(c)) out.push_back(c);
      }
      return out;
    }
  }
  return std::string();
}

std::string Base64(const unsigned char* bytes, size_t n) { return Base64Encode(bytes, n); }

}  // namespace

std::string_view PersonAttributeName(PersonAttribute attribute) {
  switch (attribute) {
    case Attr::kFirstName: return "FirstName";
    case Attr::kLastName: return "LastName";
    case Attr::kBirthDate: return "BirthDate";
    case Attr::kSex: return "Sex";
    case Attr::kSocialSecurityNumber: return "SocialSecurityNumber";
    case Attr::kPostalCode: return "PostalCode";
  }
  return "";
}

std::optional<PersonAttribute> PersonAttributeForHeader(std::string_view header) {
  std::string h = Lower(header);
  if (h == "firstname" || h == "givenname") return Attr::kFirstName;
  if (h == "lastname" || h == "surname") return Attr::kLastName;
  if (h == "birthdate") return Attr::kBirthDate;
  if (h == "sex" || h == "gender") return Attr::kSex;
  if (h == "socialsecuritynumber" || h == "nationalidentificationnumber") return Attr::kSocialSecurityNumber;
  if (h == "postalcode" || h == "zipcode" || h == "zip3" || h == "zip4" || h == "zip5") return Attr::kPostalCode;
  return std::nullopt;
}

bool IsRecordIdHeader(std::string_view header) {
  std::string h = Lower(header);
  return h == "recordid" || h == "id";
}

bool ValidatePersonAttribute(PersonAttribute attribute, std::string_view value) {
  switch (attribute) {
    case Attr::kFirstName: return ValidateFirstName(value);
    case Attr::kLastName: return ValidateLastName(value);
    case Attr::kBirthDate: return ValidateBirthDate(value);
    case Attr::kSex: return ValidateSex(value);
    case Attr::kSocialSecurityNumber: return ValidateSsn(value);
    case Attr::kPostalCode: return ValidateUsPostal(value) || ValidateCaPostal(value);
  }
  return false;
}

std::string NormalizePersonAttribute(PersonAttribute attribute, std::string_view value) {
  switch (attribute) {
    case Attr::kFirstName: return NormalizeFirstName(value);
    case Attr::kLastName: return NormalizeLastName(value);
    case Attr::kBirthDate: return NormalizeBirthDate(value);
    case Attr::kSex: return NormalizeSex(value);
    case Attr::kSocialSecurityNumber: return NormalizeSsn(value);
    case Attr::kPostalCode:
      if (ValidateUsPostal(value)) return NormalizeUsPostal(value);
      if (ValidateCaPostal(value)) return NormalizeCaPostal(value);
      return std::string(Strip(value));
  }
  return std::string();
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

Result<std::unique_ptr<OpenTokenGenerator>> OpenTokenGenerator::Create(
    std::string_view hashing_secret, std::optional<std::string_view> encryption_key) {
  if (Strip(hashing_secret).empty()) return Error(Status::InvalidArgument("the hashing secret is empty"));
  if (encryption_key && encryption_key->size() != 32) {
    return Error(Status::InvalidArgument("the encryption key must be exactly 32 bytes (AES-256), found " +
                                         std::to_string(encryption_key->size())));
  }
  std::unique_ptr<OpenTokenGenerator> g(new OpenTokenGenerator());
  g->hashing_secret_.assign(hashing_secret);
  if (encryption_key) g->encryption_key_.emplace(*encryption_key);
  return g;
}

OpenTokenGenerator::~OpenTokenGenerator() {
  OPENSSL_cleanse(hashing_secret_.data(), hashing_secret_.size());
  if (encryption_key_) OPENSSL_cleanse(encryption_key_->data(), encryption_key_->size());
}

std::optional<std::string> OpenTokenGenerator::Signature(size_t rule, const PersonValues& values,
                                                         uint8_t* invalid) const {
  std::string signature;
  for (const Part& part : Rule(rule)) {
    const auto& value = values[static_cast<size_t>(part.attribute)];
    if (!value) return std::nullopt;
    if (!ValidatePersonAttribute(part.attribute, *value)) {
      *invalid |= static_cast<uint8_t>(1u << static_cast<unsigned>(part.attribute));
      return std::nullopt;
    }
    std::string effective = Effective(NormalizePersonAttribute(part.attribute, *value), part.expr);
    if (Strip(effective).empty()) continue;  // OpenToken drops blank parts from the signature
    if (!signature.empty()) signature.push_back('|');
    signature += effective;
  }
  return signature;
}

Result<std::string> OpenTokenGenerator::Seal(std::string_view plaintext) const {
  unsigned char iv[12];
  if (RAND_bytes(iv, sizeof iv) != 1) return Error(Status::Internal("no random bytes for the AES-GCM IV"));
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return Error(Status::Internal("cannot allocate a cipher context"));
  std::string message(reinterpret_cast<char*>(iv), sizeof iv);
  message.resize(sizeof iv + plaintext.size() + 16);
  auto* out = reinterpret_cast<unsigned char*>(message.data()) + sizeof iv;
  int len = 0;
  int tail = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(encryption_key_->data()), iv) == 1 &&
            EVP_EncryptUpdate(ctx, out, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, out + len, &tail) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out + len + tail) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return Error(Status::Internal("AES-256-GCM encryption failed"));
  return Base64(reinterpret_cast<const unsigned char*>(message.data()), message.size());
}

Status OpenTokenGenerator::Generate(const PersonValues& values, OpenTokenResult* result) const {
  result->invalid_attributes = 0;
  result->blank_rules = 0;
  for (size_t rule = 0; rule < kOpenTokenRuleCount; ++rule) {
    std::optional<std::string> signature = Signature(rule, values, &result->invalid_attributes);
    if (!signature || Strip(*signature).empty()) {
      result->tokens[rule] = std::string(kOpenTokenBlank);
      result->blank_rules |= static_cast<uint8_t>(1u << rule);
      continue;
    }
    std::string hex = Sha256Hex(*signature);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    if (HMAC(EVP_sha256(), hashing_secret_.data(), static_cast<int>(hashing_secret_.size()),
             reinterpret_cast<const unsigned char*>(hex.data()), hex.size(), mac, &mac_len) == nullptr) {
      return Status::Internal("HMAC-SHA256 failed");
    }
    result->tokens[rule] = Base64(mac, mac_len);
    if (encryption_key_) {
      MG_ASSIGN_OR_RETURN(result->tokens[rule], Seal(result->tokens[rule]));
    }
  }
  return Status::Ok();
}

}  // namespace matchguard
