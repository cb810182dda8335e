#include "src/compare/phonetic.h"

#include <cstring>

namespace matchguard {
namespace {

// The letters of `name`, upper-cased; everything else dropped.
std::string Letters(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char ch : name) {
    if (ch >= 'a' && ch <= 'z') out.push_back(static_cast<char>(ch - 'a' + 'A'));
    if (ch >= 'A' && ch <= 'Z') out.push_back(ch);
  }
  return out;
}

// Soundex digit per letter A..Z; '0' for vowels and Y (which separate equal codes), '-' for H and W
// (which do not).
constexpr char kSoundexCode[] = "01230120022455012623010202";

char SoundexCode(char letter) {
  return letter == 'H' || letter == 'W' ? '-' : kSoundexCode[letter - 'A'];
}

bool IsVowel(char ch) { return ch == 'A' || ch == 'E' || ch == 'I' || ch == 'O' || ch == 'U'; }

}  // namespace

std::string Soundex(std::string_view name) {
  const std::string s = Letters(name);
  if (s.empty()) return "";
  std::string code(1, s[0]);
  char last = SoundexCode(s[0]);
  for (size_t i = 1; i < s.size() && code.size() < 4; ++i) {
    const char c = SoundexCode(s[i]);
    if (c == '-') continue;  // H and W: the previous code carries across
    if (c != '0' && c != last) code.push_back(c);
    last = c;
  }
  code.resize(4, '0');
  return code;
}

std::string Nysiis(std::string_view name) {
  std::string s = Letters(name);
  if (s.empty()) return "";
  auto starts = [&s](const char* prefix) { return s.rfind(prefix, 0) == 0; };
  auto ends = [&s](const char* suffix) {
    const size_t n = std::strlen(suffix);
    return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
  };
  // Step 1: the first letters.
  if (starts("MAC")) {
    s.replace(0, 3, "MCC");
  } else if (starts("KN")) {
    s.replace(0, 2, "NN");
  } else if (starts("K")) {
    s[0] = 'C';
  } else if (starts("PH") || starts("PF")) {
    s.replace(0, 2, "FF");
  } else if (starts("SCH")) {
    s.replace(0, 3, "SSS");
  }
  // Step 2: the last letters.
  if (ends("EE") || ends("IE")) {
    s.replace(s.size() - 2, 2, "Y");
  } else if (ends("DT") || ends("RT") || ends("RD") || ends("NT") || ends("ND")) {
    s.replace(s.size() - 2, 2, "D");
  }
  // Steps 3-4: keep the first letter, translate the rest in place (later rules see earlier translations)
  // and append each translated letter unless it repeats the key's last one.
  std::string key(1, s[0]);
  for (size_t i = 1; i < s.size(); ++i) {
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    size_t width = 1;  // letters of s rewritten at i
    if (s[i] == 'E' && next == 'V') {
      s[i] = 'A', s[i + 1] = 'F', width = 2;
    } else if (IsVowel(s[i])) {
      s[i] = 'A';
    } else if (s[i] == 'Q') {
      s[i] = 'G';
    } else if (s[i] == 'Z') {
      s[i] = 'S';
    } else if (s[i] == 'M') {
      s[i] = 'N';
    } else if (s[i] == 'K') {
      s[i] = next == 'N' ? 'N' : 'C';
    } else if (s.compare(i, 3, "SCH") == 0) {
      s[i + 1] = s[i + 2] = 'S', width = 3;
    } else if (s[i] == 'P' && next == 'H') {
      s[i] = s[i + 1] = 'F', width = 2;
    } else if (s[i] == 'H' && (!IsVowel(s[i - 1]) || (next != '\0' && !IsVowel(next)))) {
      s[i] = s[i - 1];
    } else if (s[i] == 'W' && IsVowel(s[i - 1])) {
      s[i] = s[i - 1];
    }
    for (size_t k = i; k < i + width; ++k) {
      if (s[k] != key.back()) key.push_back(s[k]);
    }
    i += width - 1;
  }
  // Steps 5-7: the end of the key.
  if (key.size() > 1 && key.back() == 'S') key.pop_back();
  if (key.size() > 1 && key.compare(key.size() - 2, 2, "AY") == 0) key.replace(key.size() - 2, 2, "Y");
  if (key.size() > 1 && key.back() == 'A') key.pop_back();
  if (key.size() > 6) key.resize(6);
  return key;
}

}  // namespace matchguard
