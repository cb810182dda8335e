#include "src/compare/phonetic.h"

#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

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

namespace {

// Lawrence Philips' Double Metaphone (C/C++ Users Journal, June 2000), written from the published rules.
constexpr size_t kMaxCode = 4;

class DoubleMetaphoneEncoder {
 public:
  explicit DoubleMetaphoneEncoder(std::string_view name) {
    // Upper-case letters, with one space between words: some rules look for "VAN " or "SAN ".
    for (char ch : name) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
      if (ch >= 'A' && ch <= 'Z') {
        word_.push_back(ch);
      } else if (!word_.empty() && word_.back() != ' ') {
        word_.push_back(' ');
      }
    }
    while (!word_.empty() && word_.back() == ' ') word_.pop_back();
    length_ = static_cast<int>(word_.size());
    last_ = length_ - 1;
    slavo_germanic_ = word_.find('W') != std::string::npos || word_.find('K') != std::string::npos ||
                      word_.find("CZ") != std::string::npos || word_.find("WITZ") != std::string::npos;
  }

  DoubleMetaphoneCodes Encode() {
    if (length_ == 0) return {};
    int i = 0;
    if (Match(0, {"GN", "KN", "PN", "WR", "PS"})) i = 1;  // silent first letter
    if (At(0) == 'X') {  // Xavier: initial X sounds like S
      Add("S");
      i = 1;
    }
    while ((primary_.size() < kMaxCode || alternate_.size() < kMaxCode) && i < length_) i = Step(i);
    if (primary_.size() > kMaxCode) primary_.resize(kMaxCode);
    if (alternate_.size() > kMaxCode) alternate_.resize(kMaxCode);
    return {primary_, alternate_};
  }

 private:
  // The word is read as if padded with spaces on the right; positions before the start read as '\0'.
  char At(int i) const { return i < 0 ? '\0' : (i < length_ ? word_[static_cast<size_t>(i)] : ' '); }
  bool IsVowel(int i) const {
    if (i < 0 || i >= length_) return false;
    const char c = word_[static_cast<size_t>(i)];
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
  }
  // True when the text at `start` equals one of the options (all of one length).
  bool Match(int start, std::initializer_list<std::string_view> options) const {
    if (start < 0) return false;
    for (std::string_view option : options) {
      bool equal = true;
      for (size_t k = 0; k < option.size() && equal; ++k) equal = At(start + static_cast<int>(k)) == option[k];
      if (equal) return true;
    }
    return false;
  }
  void Add(std::string_view both) { Add(both, both); }
  void Add(std::string_view primary, std::string_view alternate) {
    primary_.append(primary);
    alternate_.append(alternate);
  }
  bool StartsGermanic() const { return Match(0, {"VAN ", "VON "}) || Match(0, {"SCH"}); }

  // Encodes the letter at i (and any letters it consumes); returns the next position.
  int Step(int i) {
    switch (At(i)) {
      case 'A':
      case 'E':
      case 'I':
      case 'O':
      case 'U':
      case 'Y':
        if (i == 0) Add("A");  // only an initial vowel is coded
        return i + 1;
      case 'B':
        Add("P");
        return At(i + 1) == 'B' ? i + 2 : i + 1;
      case 'C':
        return StepC(i);
      case 'D':
        if (Match(i, {"DG"})) {
          if (Match(i + 2, {"I", "E", "Y"})) {  // edge
            Add("J");
            return i + 3;
          }
          Add("TK");  // Edgar
          return i + 2;
        }
        Add("T");
        return Match(i, {"DT", "DD"}) ? i + 2 : i + 1;
      case 'F':
      case 'K':
      case 'N':
      case 'Q':
      case 'V': {
        const char c = At(i);
        Add(c == 'Q' ? "K" : (c == 'V' ? "F" : std::string_view(&word_[static_cast<size_t>(i)], 1)));
        return At(i + 1) == c ? i + 2 : i + 1;
      }
      case 'G':
        return StepG(i);
      case 'H':
        if ((i == 0 || IsVowel(i - 1)) && IsVowel(i + 1)) {  // H between vowels or initial before one
          Add("H");
          return i + 2;
        }
        return i + 1;
      case 'J':
        return StepJ(i);
      case 'L':
        return StepL(i);
      case 'M':
        Add("M");
        // Dumb, thumb: a silent B after M.
        if ((Match(i - 1, {"UMB"}) && (i + 1 == last_ || Match(i + 2, {"ER"}))) || At(i + 1) == 'M') return i + 2;
        return i + 1;
      case 'P':
        if (At(i + 1) == 'H') {
          Add("F");
          return i + 2;
        }
        Add("P");
        return Match(i + 1, {"P", "B"}) ? i + 2 : i + 1;  // Campbell, raspberry
      case 'R':
        // French endings: Rogier is "ROJ" or "ROJR".
        if (i == last_ && !slavo_germanic_ && Match(i - 2, {"IE"}) && !Match(i - 4, {"ME", "MA"})) {
          Add("", "R");
        } else {
          Add("R");
        }
        return At(i + 1) == 'R' ? i + 2 : i + 1;
      case 'S':
        return StepS(i);
      case 'T':
        return StepT(i);
      case 'W':
        return StepW(i);
      case 'X':
        // French: Breaux has a silent final X.
        if (!(i == last_ && (Match(i - 3, {"IAU", "EAU"}) || Match(i - 2, {"AU", "OU"})))) Add("KS");
        return Match(i + 1, {"C", "X"}) ? i + 2 : i + 1;
      case 'Z':
        if (At(i + 1) == 'H') {  // Chinese pinyin: Zhao
          Add("J");
          return i + 2;
        }
        if (Match(i + 1, {"ZO", "ZI", "ZA"}) || (slavo_germanic_ && i > 0 && At(i - 1) != 'T')) {
          Add("S", "TS");
        } else {
          Add("S");
        }
        return At(i + 1) == 'Z' ? i + 2 : i + 1;
      default:
        return i + 1;  // spaces
    }
  }

  int StepC(int i) {
    // Germanic "ACH" as in Bacher, Macher, but not Bachelor's "ACHI"/"ACHE".
    if (i > 1 && !IsVowel(i - 2) && Match(i - 1, {"ACH"}) && At(i + 2) != 'I' &&
        (At(i + 2) != 'E' || Match(i - 2, {"BACHER", "MACHER"}))) {
      Add("K");
      return i + 2;
    }
    if (i == 0 && Match(i, {"CAESAR"})) {
      Add("S");
      return i + 2;
    }
    if (Match(i, {"CHIA"})) {  // Chianti
      Add("K");
      return i + 2;
    }
    if (Match(i, {"CH"})) return StepCh(i);
    if (Match(i, {"CZ"}) && !Match(i - 2, {"WICZ"})) {  // Czerny
      Add("S", "X");
      return i + 2;
    }
    if (Match(i + 1, {"CIA"})) {  // Focaccia
      Add("X");
      return i + 3;
    }
    if (Match(i, {"CC"}) && !(i == 1 && At(0) == 'M')) {  // double C, but not McClellan
      if (Match(i + 2, {"I", "E", "H"}) && !Match(i + 2, {"HU"})) {
        // Accident, accede, succeed: KS; bacci, bertucci: X.
        if ((i == 1 && At(i - 1) == 'A') || Match(i - 1, {"UCCEE", "UCCES"})) {
          Add("KS");
        } else {
          Add("X");
        }
        return i + 3;
      }
      Add("K");  // Pierce's rule
      return i + 2;
    }
    if (Match(i, {"CK", "CG", "CQ"})) {
      Add("K");
      return i + 2;
    }
    if (Match(i, {"CI", "CE", "CY"})) {
      if (Match(i, {"CIO", "CIE", "CIA"})) {  // Italian
        Add("S", "X");
      } else {
        Add("S");
      }
      return i + 2;
    }
    Add("K");
    if (Match(i + 1, {" C", " Q", " G"})) return i + 3;  // Mac Caffrey, Mac Gregor
    if (Match(i + 1, {"C", "K", "Q"}) && !Match(i + 1, {"CE", "CI"})) return i + 2;
    return i + 1;
  }

  int StepCh(int i) {
    if (i > 0 && Match(i, {"CHAE"})) {  // Michael
      Add("K", "X");
      return i + 2;
    }
    // Greek roots at the start: chemistry, chorus (but not chore).
    if (i == 0 && (Match(i + 1, {"HARAC", "HARIS"}) || Match(i + 1, {"HOR", "HYM", "HIA", "HEM"})) &&
        !Match(0, {"CHORE"})) {
      Add("K");
      return i + 2;
    }
    const bool hard = StartsGermanic() || Match(i - 2, {"ORCHES", "ARCHIT", "ORCHID"}) || Match(i + 2, {"T", "S"}) ||
                      ((Match(i - 1, {"A", "O", "U", "E"}) || i == 0) &&
                       Match(i + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}));
    if (hard) {
      Add("K");
    } else if (i > 0) {
      if (Match(0, {"MC"})) {
        Add("K");  // McHugh
      } else {
        Add("X", "K");
      }
    } else {
      Add("X");
    }
    return i + 2;
  }

  int StepG(int i) {
    if (At(i + 1) == 'H') return StepGh(i);
    if (At(i + 1) == 'N') {
      if (i == 1 && IsVowel(0) && !slavo_germanic_) {
        Add("KN", "N");
      } else if (!Match(i + 2, {"EY"}) && At(i + 1) != 'Y' && !slavo_germanic_) {
        Add("N", "KN");
      } else {
        Add("KN");
      }
      return i + 2;
    }
    if (Match(i + 1, {"LI"}) && !slavo_germanic_) {  // Tagliaro
      Add("KL", "L");
      return i + 2;
    }
    if (i == 0 &&
        (At(i + 1) == 'Y' || Match(i + 1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"}))) {
      Add("K", "J");
      return i + 2;
    }
    if ((Match(i + 1, {"ER"}) || At(i + 1) == 'Y') && !Match(0, {"DANGER", "RANGER", "MANGER"}) &&
        !Match(i - 1, {"E", "I"}) && !Match(i - 1, {"RGY", "OGY"})) {
      Add("K", "J");
      return i + 2;
    }
    if (Match(i + 1, {"E", "I", "Y"}) || Match(i - 1, {"AGGI", "OGGI"})) {
      if (StartsGermanic() || Match(i + 1, {"ET"})) {
        Add("K");
      } else if (Match(i + 1, {"IER "})) {
        Add("J");
      } else {
        Add("J", "K");
      }
      return i + 2;
    }
    Add("K");
    return At(i + 1) == 'G' ? i + 2 : i + 1;
  }

  int StepGh(int i) {
    if (i > 0 && !IsVowel(i - 1)) {
      Add("K");
      return i + 2;
    }
    if (i == 0) {  // Ghislane, Ghiradelli
      Add(At(i + 2) == 'I' ? "J" : "K");
      return i + 2;
    }
    // Parker's rule: silent in Hugh, bough, broughton.
    if ((i > 1 && Match(i - 2, {"B", "H", "D"})) || (i > 2 && Match(i - 3, {"B", "H", "D"})) ||
        (i > 3 && Match(i - 4, {"B", "H"}))) {
      return i + 2;
    }
    if (i > 2 && At(i - 1) == 'U' && Match(i - 3, {"C", "G", "L", "R", "T"})) {
      Add("F");  // laugh, McLaughlin, cough, rough, tough
    } else if (i > 0 && At(i - 1) != 'I') {
      Add("K");
    }
    return i + 2;
  }

  int StepJ(int i) {
    if (Match(i, {"JOSE"}) || Match(0, {"SAN "})) {  // Spanish
      if ((i == 0 && At(i + 4) == ' ') || Match(0, {"SAN "})) {
        Add("H");
      } else {
        Add("J", "H");
      }
      return i + 1;
    }
    if (i == 0 && !Match(i, {"JOSE"})) {
      Add("J", "A");  // Yankelovich / Jankelowicz
    } else if (IsVowel(i - 1) && !slavo_germanic_ && (At(i + 1) == 'A' || At(i + 1) == 'O')) {
      Add("J", "H");  // Spanish pronunciation of e.g. bajador
    } else if (i == last_) {
      Add("J", "");
    } else if (!Match(i + 1, {"L", "T", "K", "S", "N", "M", "B", "Z"}) && !Match(i - 1, {"S", "K", "L"})) {
      Add("J");
    }
    return At(i + 1) == 'J' ? i + 2 : i + 1;
  }

  int StepL(int i) {
    if (At(i + 1) == 'L') {
      // Spanish: Cabrillo, Gallegos.
      if ((i == length_ - 3 && Match(i - 1, {"ILLO", "ILLA", "ALLE"})) ||
          ((Match(last_ - 1, {"AS", "OS"}) || Match(last_, {"A", "O"})) && Match(i - 1, {"ALLE"}))) {
        Add("L", "");
        return i + 2;
      }
      Add("L");
      return i + 2;
    }
    Add("L");
    return i + 1;
  }

  int StepS(int i) {
    if (Match(i - 1, {"ISL", "YSL"})) return i + 1;  // island, isle, carlysle
    if (i == 0 && Match(i, {"SUGAR"})) {
      Add("X", "S");
      return i + 1;
    }
    if (Match(i, {"SH"})) {
      Add(Match(i + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");  // Germanic
      return i + 2;
    }
    if (Match(i, {"SIO", "SIA"}) || Match(i, {"SIAN"})) {  // Italian and Armenian
      if (!slavo_germanic_) {
        Add("S", "X");
      } else {
        Add("S");
      }
      return i + 3;
    }
    // German and Anglicisations: Smith / Schmidt, Snider / Schneider; and SZ: Sz-.
    if ((i == 0 && Match(i + 1, {"M", "N", "L", "W"})) || Match(i + 1, {"Z"})) {
      Add("S", "X");
      return Match(i + 1, {"Z"}) ? i + 2 : i + 1;
    }
    if (Match(i, {"SC"})) {
      if (At(i + 2) == 'H') {
        if (Match(i + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {  // Dutch: school, schooner
          if (Match(i + 3, {"ER", "EN"})) {
            Add("X", "SK");  // Schlesinger's rule
          } else {
            Add("SK");
          }
          return i + 3;
        }
        if (i == 0 && !IsVowel(3) && At(3) != 'W') {
          Add("X", "S");
        } else {
          Add("X");
        }
        return i + 3;
      }
      Add(Match(i + 2, {"I", "E", "Y"}) ? "S" : "SK");
      return i + 3;
    }
    if (i == last_ && Match(i - 2, {"AI", "OI"})) {  // French: Resnais, Artois
      Add("", "S");
    } else {
      Add("S");
    }
    return Match(i + 1, {"S", "Z"}) ? i + 2 : i + 1;
  }

  int StepT(int i) {
    if (Match(i, {"TION"})) {
      Add("X");
      return i + 3;
    }
    if (Match(i, {"TIA", "TCH"})) {
      Add("X");
      return i + 3;
    }
    if (Match(i, {"TH"}) || Match(i, {"TTH"})) {
      if (Match(i + 2, {"OM", "AM"}) || StartsGermanic()) {  // Thomas, Thames
        Add("T");
      } else {
        Add("0", "T");
      }
      return i + 2;
    }
    Add("T");
    return Match(i + 1, {"T", "D"}) ? i + 2 : i + 1;
  }

  int StepW(int i) {
    if (Match(i, {"WR"})) {
      Add("R");
      return i + 2;
    }
    if (i == 0 && (IsVowel(i + 1) || Match(i, {"WH"}))) {
      if (IsVowel(i + 1)) {
        Add("A", "F");  // Wasserman
      } else {
        Add("A");  // Whumpf
      }
    }
    // Polish: Filipowicz; and a silent final W after a vowel (Arnow).
    if ((i == last_ && IsVowel(i - 1)) || Match(i - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) || Match(0, {"SCH"})) {
      Add("", "F");
      return i + 1;
    }
    if (Match(i, {"WICZ", "WITZ"})) {
      Add("TS", "FX");
      return i + 4;
    }
    return i + 1;
  }

  std::string word_;
  int length_ = 0;
  int last_ = -1;
  bool slavo_germanic_ = false;
  std::string primary_;
  std::string alternate_;
};

}  // namespace

DoubleMetaphoneCodes DoubleMetaphoneBoth(std::string_view name) { return DoubleMetaphoneEncoder(name).Encode(); }

std::string DoubleMetaphone(std::string_view name) { return DoubleMetaphoneBoth(name).primary; }

}  // namespace matchguard
