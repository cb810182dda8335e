// UTF-8 validation shared by every reader of outside text.
#pragma once

#include <cstddef>
#include <string_view>

namespace matchguard {

// Returns the byte offset of the first invalid UTF-8 sequence in `text`, or std::string_view::npos when
// the whole text is valid (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t FindInvalidUtf8(std::string_view text);

inline bool IsValidUtf8(std::string_view text) { return FindInvalidUtf8(text) == std::string_view::npos; }

}  // namespace matchguard
