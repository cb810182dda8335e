#include "matchguard/safe_text.h"

#include <fmt/format.h>

#include <cstdint>

namespace matchguard {
namespace {

// Decodes the UTF-8 sequence at the start of `text`; returns its length (0 when it is not well formed,
// in which case the caller treats the byte alone).
size_t DecodeUtf8(std::string_view text, uint32_t* code_point) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char c = s[0];
  size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || len > text.size()) return 0;
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t i = 1; i < len; ++i) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  *code_point = cp;
  return len;
}

bool IsControlCodePoint(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

size_t ControlCharacterLength(std::string_view text) {
  if (text.empty()) return 0;
  uint32_t cp = 0;
  const size_t len = DecodeUtf8(text, &cp);
  if (len == 0) return 0;
  return IsControlCodePoint(cp) ? len : 0;
}

size_t FindControlCharacter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    // Every control character starts with a byte below 0x20, DEL, 0xC2 (C1) or 0xE2 (U+2xxx).
    if ((c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xE2) && ControlCharacterLength(text.substr(i)) > 0) return i;
  }
  return std::string_view::npos;
}

std::string EscapeControlCharacters(std::string_view text) {
  if (FindControlCharacter(text) == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    const size_t len = ControlCharacterLength(text.substr(i));
    if (len == 0) {
      out.push_back(text[i++]);
      continue;
    }
    uint32_t cp = 0;
    DecodeUtf8(text.substr(i), &cp);
    out += cp < 0x80 ? fmt::format("\\x{:02X}", cp) : fmt::format("\\u{{{:04X}}}", cp);
    i += len;
  }
  return out;
}

bool StartsLikeFormula(std::string_view cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\n':
      return true;
    default:
      break;
  }
  // Full-width = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20): EF BC 9D, EF BC 8B, EF BC 8D, EF BC A0.
  if (cell.size() >= 3 && cell.substr(0, 2) == "\xEF\xBC") {
    const auto c = static_cast<unsigned char>(cell[2]);
    return c == 0x9D || c == 0x8B || c == 0x8D || c == 0xA0;
  }
  return false;
}

std::string NeutralizeCell(std::string_view cell) {
  if (!StartsLikeFormula(cell)) return std::string(cell);
  return "'" + std::string(cell);
}

}  // namespace matchguard
