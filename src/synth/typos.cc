#include "src/synth/typos.h"

#include <cctype>
#include <span>
#include <utility>
#include <vector>

namespace matchguard::synth {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char MatchCase(char replacement, char original) {
  return std::isupper(static_cast<unsigned char>(original))
             ? static_cast<char>(std::toupper(static_cast<unsigned char>(replacement)))
             : replacement;
}

char Neighbour(char c, Rng& rng) {
  std::string_view options = KeyboardNeighbours(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (options.empty()) return c;
  return MatchCase(options[rng.Below(options.size())], c);
}

// A group of letters and what it is mistaken for (ASCII, matched without regard to case).
struct Confusion {
  std::string_view from;
  std::string_view to;
};

constexpr Confusion kOcrConfusions[] = {
    {"rn", "m"}, {"m", "rn"}, {"cl", "d"}, {"d", "cl"}, {"vv", "w"}, {"w", "vv"}, {"o", "0"},
    {"i", "1"},  {"l", "1"},  {"s", "5"},  {"b", "8"},  {"z", "2"},  {"g", "6"},  {"e", "f"},
    {"c", "g"},  {"u", "v"},  {"h", "n"},  {"q", "o"},  {"d", "o"},  {"p", "r"},
};

constexpr Confusion kPhoneticSpellings[] = {
    {"ph", "f"},     {"f", "ph"},  {"ck", "k"}, {"c", "k"},     {"k", "c"},     {"s", "z"},    {"z", "s"},
    {"th", "t"},     {"ll", "l"},  {"tt", "t"}, {"nn", "n"},    {"rr", "r"},    {"mm", "m"},   {"ee", "ea"},
    {"ea", "ee"},    {"ey", "y"},  {"ie", "y"}, {"y", "ie"},    {"ai", "ay"},   {"ay", "ai"},  {"ei", "ie"},
    {"ou", "ow"},    {"ow", "ou"}, {"i", "y"},  {"son", "sen"}, {"sen", "son"}, {"mac", "mc"}, {"mc", "mac"},
    {"man", "mann"}, {"x", "ks"},  {"gh", "g"}, {"au", "aw"},   {"er", "ar"},
};

bool MatchesAt(std::string_view text, size_t at, std::string_view pattern) {
  if (at + pattern.size() > text.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != pattern[i]) return false;
  }
  return true;
}

// Replaces one occurrence, chosen uniformly among all occurrences of all groups. A letter replacing a
// capital is a capital; the rest of the replacement is lower case.
bool ReplaceOneGroup(std::string* text, std::span<const Confusion> groups, Rng& rng) {
  std::vector<std::pair<size_t, const Confusion*>> found;
  for (size_t at = 0; at < text->size(); ++at) {
    for (const Confusion& c : groups) {
      if (MatchesAt(*text, at, c.from)) found.emplace_back(at, &c);
    }
  }
  if (found.empty()) return false;
  auto [at, group] = found[rng.Below(found.size())];
  std::string replacement(group->to);
  if (!replacement.empty()) replacement[0] = MatchCase(replacement[0], (*text)[at]);
  text->replace(at, group->from.size(), replacement);
  return true;
}

// The position of a digit of `text` chosen uniformly, or npos when there is none.
size_t RandomDigit(const std::string& text, Rng& rng) {
  std::vector<size_t> positions;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) positions.push_back(i);
  }
  return positions.empty() ? std::string::npos : positions[rng.Below(positions.size())];
}

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string_view KeyboardNeighbours(char c) {
  // Letters: the keys touching it on a QWERTY layout. Digits: the keys touching it on a numeric keypad
  // (7 8 9 / 4 5 6 / 1 2 3 / 0), where most numbers are keyed.
  static constexpr std::string_view kLetters[26] = {
      "qwsz", "vghn", "xdfv", "serfcx", "wrsd", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn", "jiolm", "kop",  "njk",
      "bhjm", "iplk", "ol",   "wa",     "etdf", "awedxz", "ryfg",   "yihj",   "cfgb", "qeas",   "zsdc",  "tugh", "asx"};
  static constexpr std::string_view kDigits[10] = {"12", "240", "1350", "26", "157", "2468", "359", "48", "579", "68"};
  if (c >= 'a' && c <= 'z') return kLetters[c - 'a'];
  if (c >= '0' && c <= '9') return kDigits[c - '0'];
  return {};
}

TypoKind ApplyTypo(std::string* text, Rng& rng) {
  std::vector<size_t> letters;
  for (size_t i = 0; i < text->size(); ++i) {
    if (IsAsciiLetter((*text)[i])) letters.push_back(i);
  }
  if (letters.size() < 2) return TypoKind::kNone;
  size_t at = letters[rng.Below(letters.size())];
  double kind = rng.Real();
  if (kind < 0.4) {
    char original = (*text)[at];
    char replacement = Neighbour(original, rng);
    if (replacement == original) return TypoKind::kNone;
    (*text)[at] = replacement;
    return TypoKind::kSubstitution;
  }
  if (kind < 0.6) {
    // A doubled or neighbouring key struck after this letter; inserted letters are lower case.
    char extra = rng.Chance(0.5) ? (*text)[at] : Neighbour((*text)[at], rng);
    text->insert(text->begin() + static_cast<std::ptrdiff_t>(at) + 1,
                 static_cast<char>(std::tolower(static_cast<unsigned char>(extra))));
    return TypoKind::kInsertion;
  }
  if (kind < 0.8) {
    bool first_upper = std::isupper(static_cast<unsigned char>((*text)[0])) != 0;
    text->erase(at, 1);
    // Deleting the capital of "Smith" leaves "mith": keep the word capitalised as a typist would see it.
    if (at == 0 && first_upper && !text->empty() && IsAsciiLetter((*text)[0])) {
      (*text)[0] = static_cast<char>(std::toupper(static_cast<unsigned char>((*text)[0])));
    }
    return TypoKind::kDeletion;
  }
  // Transposition with the next letter, when there is one right after.
  size_t next = at + 1;
  if (next >= text->size() || !IsAsciiLetter((*text)[next])) {
    if (at == 0 || !IsAsciiLetter((*text)[at - 1])) return TypoKind::kNone;
    next = at;
    at = at - 1;
  }
  char a = (*text)[at];
  char b = (*text)[next];
  if (std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b))) {
    return TypoKind::kNone;
  }
  (*text)[at] = MatchCase(static_cast<char>(std::tolower(static_cast<unsigned char>(b))), a);
  (*text)[next] = MatchCase(static_cast<char>(std::tolower(static_cast<unsigned char>(a))), b);
  return TypoKind::kTransposition;
}

bool ApplyDigitTypo(std::string* digits, Rng& rng) {
  size_t at = RandomDigit(*digits, rng);
  if (at == std::string::npos) return false;
  std::string_view options = KeyboardNeighbours((*digits)[at]);
  (*digits)[at] = options[rng.Below(options.size())];
  return true;
}

bool TransposeAdjacentDigits(std::string* digits, Rng& rng) {
  std::vector<size_t> positions;
  for (size_t i = 0; i + 1 < digits->size(); ++i) {
    if ((*digits)[i] != (*digits)[i + 1]) positions.push_back(i);
  }
  if (positions.empty()) return false;
  size_t at = positions[rng.Below(positions.size())];
  std::swap((*digits)[at], (*digits)[at + 1]);
  return true;
}

bool ApplyOcrConfusion(std::string* text, Rng& rng) { return ReplaceOneGroup(text, kOcrConfusions, rng); }

bool ApplyPhoneticMisspelling(std::string* text, Rng& rng) { return ReplaceOneGroup(text, kPhoneticSpellings, rng); }

bool TruncateName(std::string* text, Rng& rng) {
  auto keep = static_cast<size_t>(rng.Between(3, 6));
  size_t characters = 0;
  for (size_t i = 0; i < text->size(); ++i) {
    if (IsUtf8Continuation((*text)[i])) continue;
    if (characters == keep) {
      text->resize(i);
      return true;
    }
    ++characters;
  }
  return false;
}

bool ApplyOcrDigit(std::string* digits, Rng& rng) {
  static constexpr std::string_view kLookAlike = "8778965134";  // what 0..9 are misread as
  size_t at = RandomDigit(*digits, rng);
  if (at == std::string::npos) return false;
  (*digits)[at] = kLookAlike[static_cast<size_t>((*digits)[at] - '0')];
  return true;
}

}  // namespace matchguard::synth
