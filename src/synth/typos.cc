#include "src/synth/typos.h"

#include <cctype>
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

}  // namespace

std::string_view KeyboardNeighbours(char c) {
  // Letters: the keys touching it on a QWERTY layout. Digits: the keys touching it on a numeric keypad
  // (7 8 9 / 4 5 6 / 1 2 3 / 0), where most numbers are keyed.
  static constexpr std::string_view kLetters[26] = {
      "qwsz", "vghn", "xdfv", "serfcx", "wrsd", "drtgvc", "ftyhbv", "gyujnb", "ujko", "huikmn",
      "jiolm", "kop", "njk", "bhjm", "iplk", "ol", "wa", "etdf", "awedxz", "ryfg",
      "yihj", "cfgb", "qeas", "zsdc", "tugh", "asx"};
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
  std::vector<size_t> positions;
  for (size_t i = 0; i < digits->size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>((*digits)[i]))) positions.push_back(i);
  }
  if (positions.empty()) return false;
  size_t at = positions[rng.Below(positions.size())];
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

}  // namespace matchguard::synth
