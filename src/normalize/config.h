// The [input] and [fields] parts of a matchguard config file (TOML): how to read a person file and which
// of its columns hold which person fields.
//
//   [input]
//   delimiter = "comma"     # "comma", "tab", "pipe" or "semicolon"
//   date_format = "auto"    # "auto", "mdy" or "dmy": how to read ambiguous a/b/yyyy dates
//   trim_spaces = true      # strip spaces around unquoted fields
//   [fields]
//   first_name = "GivenName"  # canonical field name = header name in the file
//
// The tables that other parts of matchguard read (blocking, comparisons, model, link) are skipped here; any
// other top-level key, an unknown key or field name, or a malformed value is an error naming the file, the
// line and the key. docs/config.md describes the format for users.
//
// Thread-safety: pure functions (LoadInputConfig reads through the given FileSystem).
#pragma once

#include <toml++/toml.h>

#include <map>
#include <string>
#include <string_view>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/io/csv.h"
#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {

struct InputConfig {
  CsvOptions csv;
  NormalizeOptions normalize;
  std::map<FieldKind, std::string> fields;
};

Result<InputConfig> LoadInputConfig(FileSystem& fs, const std::string& path);

// The same, from TOML text already in memory; `source_name` is used in error messages.
Result<InputConfig> ParseInputConfig(std::string_view toml_text, const std::string& source_name);

// Parses a whole config file; malformed TOML is an error naming the file and the line. Shared by every
// part of matchguard that reads its own tables from the config.
Result<toml::table> ParseTomlDocument(std::string_view toml_text, const std::string& source_name);

// Parses a date_format value: "auto", "mdy" or "dmy".
Result<DateOrder> ParseDateOrder(std::string_view name);

}  // namespace matchguard
