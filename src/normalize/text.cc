#include "src/normalize/text.h"

#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <memory>

namespace matchguard {
namespace {

constexpr utf8proc_option_t kFoldOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
char AsciiLower(unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); }
bool IsAsciiApostrophe(unsigned char c) { return c == '\'' || c == '`'; }

bool IsApostrophe(utf8proc_int32_t cp) {
  return cp < 0x80 ? IsAsciiApostrophe(static_cast<unsigned char>(cp))
                   : cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || cp == 0x02B9 || cp == 0x2032;
}

// Lower-case letters with a stroke or ligatures that NFKC leaves alone; nullptr when `cp` is none of them.
const char* StrokeLetter(utf8proc_int32_t cp) {
  switch (cp) {
    case 0x00F8:
      return "o";  // ø
    case 0x0111:
      return "d";  // đ
    case 0x00F0:
      return "d";  // ð
    case 0x0142:
      return "l";  // ł
    case 0x0127:
      return "h";  // ħ
    case 0x0167:
      return "t";  // ŧ
    case 0x0131:
      return "i";  // dotless ı
    case 0x00E6:
      return "ae";  // æ
    case 0x0153:
      return "oe";  // œ
    case 0x00FE:
      return "th";  // þ
    case 0x00DF:
      return "ss";  // ß (case folding already maps it; kept for safety)
    default:
      return nullptr;
  }
}

bool IsWordCategory(utf8proc_category_t category) {
  switch (category) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// Appends word characters, turning runs of separators into one space between words.
class WordWriter {
 public:
  explicit WordWriter(std::string* out) : out_(out) {}
  void Separator() { pending_space_ = true; }
  void Append(std::string_view chars) {
    if (pending_space_ && !out_->empty()) out_->push_back(' ');
    pending_space_ = false;
    out_->append(chars);
  }
  void Append(char c) { Append(std::string_view(&c, 1)); }

 private:
  std::string* out_;
  bool pending_space_ = false;
};

void FoldAscii(std::string_view text, std::string* out) {
  WordWriter writer(out);
  for (unsigned char c : text) {
    if (IsAsciiAlnum(c)) {
      writer.Append(AsciiLower(c));
    } else if (!IsAsciiApostrophe(c)) {
      writer.Separator();  // non-ASCII bytes only get here when the text was not valid UTF-8
    }
  }
}

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

void FoldUnicode(std::string_view text, std::string* out) {
  utf8proc_uint8_t* mapped_raw = nullptr;
  const utf8proc_ssize_t length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                               static_cast<utf8proc_ssize_t>(text.size()), &mapped_raw, kFoldOptions);
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> mapped(mapped_raw);
  if (length < 0) {
    FoldAscii(text, out);  // invalid UTF-8: keep what is plainly readable
    return;
  }
  WordWriter writer(out);
  utf8proc_ssize_t pos = 0;
  while (pos < length) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(mapped.get() + pos, length - pos, &cp);
    if (n <= 0) break;
    const std::string_view bytes(reinterpret_cast<const char*>(mapped.get() + pos), static_cast<size_t>(n));
    pos += n;
    if (IsApostrophe(cp)) continue;
    if (const char* plain = StrokeLetter(cp)) {
      writer.Append(plain);
    } else if (cp < 0x80) {
      if (IsAsciiAlnum(static_cast<unsigned char>(cp))) {
        writer.Append(AsciiLower(static_cast<unsigned char>(cp)));
      } else {
        writer.Separator();
      }
    } else if (IsWordCategory(utf8proc_category(cp))) {
      writer.Append(bytes);
    } else if (utf8proc_category(cp) == UTF8PROC_CATEGORY_MC) {
      continue;  // a spacing mark left by STRIPMARK's limits belongs to its letter, not a separator
    } else {
      writer.Separator();
    }
  }
}

// How one code point in U+00A0..U+024F (Latin-1 Supplement, Latin Extended-A and -B) folds. The table is
// computed once by running FoldUnicode itself, so the fast path below cannot disagree with utf8proc.
enum class LatinKind : uint8_t { kFallBack, kLetters, kSeparator, kDropped };
struct LatinFold {
  LatinKind kind = LatinKind::kFallBack;
  uint8_t size = 0;
  char letters[4] = {};
};
constexpr utf8proc_int32_t kLatinFirst = 0xA0;
constexpr utf8proc_int32_t kLatinEnd = 0x250;
using LatinTable = std::array<LatinFold, kLatinEnd - kLatinFirst>;

LatinTable BuildLatinTable() {
  LatinTable table;
  for (utf8proc_int32_t cp = kLatinFirst; cp < kLatinEnd; ++cp) {
    utf8proc_uint8_t encoded[4];
    const auto n = static_cast<size_t>(utf8proc_encode_char(cp, encoded));
    // Between two letters, the code point's effect shows: "a b" separates, "ab" drops, "aXb" adds X.
    const std::string probe = "a" + std::string(reinterpret_cast<const char*>(encoded), n) + "b";
    std::string folded;
    FoldUnicode(probe, &folded);
    LatinFold& entry = table[static_cast<size_t>(cp - kLatinFirst)];
    if (folded == "a b") {
      entry.kind = LatinKind::kSeparator;
    } else if (folded == "ab") {
      entry.kind = LatinKind::kDropped;
    } else if (folded.size() >= 3 && folded.size() <= 2 + sizeof(entry.letters) && folded.front() == 'a' &&
               folded.back() == 'b') {
      const std::string_view middle = std::string_view(folded).substr(1, folded.size() - 2);
      bool plain = true;
      for (unsigned char c : middle) plain = plain && IsAsciiAlnum(c);
      if (!plain) continue;
      entry.kind = LatinKind::kLetters;
      entry.size = static_cast<uint8_t>(middle.size());
      middle.copy(entry.letters, middle.size());
    }
  }
  return table;
}

const LatinTable& Latin() {
  static const LatinTable table = BuildLatinTable();
  return table;
}

// Folds text made of ASCII and two-byte Latin letters without utf8proc; false (with `out` unspecified)
// when it meets anything else, so the caller can take the full path.
bool FoldLatin(std::string_view text, std::string* out) {
  const LatinTable& latin = Latin();
  WordWriter writer(out);
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (IsAsciiAlnum(c)) {
        writer.Append(AsciiLower(c));
      } else if (!IsAsciiApostrophe(c)) {
        writer.Separator();
      }
      continue;
    }
    if (c < 0xC2 || c > 0xC9 || i + 1 >= text.size()) return false;
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if ((next & 0xC0) != 0x80) return false;
    const utf8proc_int32_t cp = ((c & 0x1F) << 6) | (next & 0x3F);
    if (cp < kLatinFirst || cp >= kLatinEnd) return false;
    const LatinFold& fold = latin[static_cast<size_t>(cp - kLatinFirst)];
    switch (fold.kind) {
      case LatinKind::kFallBack:
        return false;
      case LatinKind::kLetters:
        writer.Append(std::string_view(fold.letters, fold.size));
        break;
      case LatinKind::kSeparator:
        writer.Separator();
        break;
      case LatinKind::kDropped:
        break;
    }
    ++i;
  }
  return true;
}

}  // namespace

namespace internal {
void FoldTextWithUtf8proc(std::string_view utf8, std::string* out) {
  out->clear();
  FoldUnicode(utf8, out);
}
}  // namespace internal

std::string_view TrimAscii(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (begin < end && is_space(text[begin])) ++begin;
  while (end > begin && is_space(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

void FoldTextInto(std::string_view utf8, std::string* out) {
  out->clear();
  for (unsigned char c : utf8) {
    if (c < 0x80) continue;
    // Most non-ASCII names hold only Latin letters ("José", "Müller"): fold them by table.
    if (FoldLatin(utf8, out)) return;
    out->clear();
    FoldUnicode(utf8, out);
    return;
  }
  FoldAscii(utf8, out);
}

std::string FoldText(std::string_view utf8) {
  std::string out;
  FoldTextInto(utf8, &out);
  return out;
}

}  // namespace matchguard
