// Dates parsed exactly as Python's datetime.strptime does (in the C locale), so that CLK date features
// hash the same day that clkhash hashes.
//
// Python turns a strptime format into a regular expression (each directive an alternation tried in a fixed
// order, whitespace matching one or more whitespace characters, case-insensitive), matches it at the start
// of the value and then fails when unconverted characters remain. PythonDateFormat reproduces that matcher,
// including its backtracking order, for the directives %Y %y %m %d %j %H %I %M %S %f %z (without seconds)
// %p %a %A %b %B %%.
//
// Thread-safety: a compiled PythonDateFormat is immutable and may be shared between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"

namespace matchguard {

struct CivilDate {
  int year = 1900;
  int month = 1;
  int day = 1;
};

class PythonDateFormat {
 public:
  // Compiles `format`; an unsupported or dangling directive is an InvalidArgument.
  static Result<PythonDateFormat> Compile(std::string_view format);

  // The date `value` denotes, or nullopt when Python's strptime would raise ValueError (no match,
  // unconverted data, or an impossible date such as 30 February).
  std::optional<CivilDate> Parse(std::string_view value) const;

  // strftime('%Y%m%d') of a parsed date, as clkhash hashes it (years below 1000 are not zero-padded,
  // as glibc's strftime does not pad them).
  static std::string FormatYmd(const CivilDate& date);

 private:
  struct Element {
    char directive = 0;    // 0 for a literal
    std::string literal;   // lower-cased literal text (directive == 0)
    bool whitespace = false;  // a run of whitespace in the format: matches one or more
  };
  bool Match(size_t element, std::string_view value, size_t pos, int* fields,
             std::vector<uint8_t>* failed) const;
  bool MatchHere(size_t element, std::string_view value, size_t pos, int* fields,
                 std::vector<uint8_t>* failed) const;

  std::vector<Element> elements_;
};

}  // namespace matchguard
