// Fuzzes the CSV reader: any bytes must give a table or a clean error, never a crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "src/io/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (char delimiter : {',', '\t', '|'}) {
    matchguard::CsvOptions options;
    options.delimiter = delimiter;
    auto table = matchguard::ParseCsvTable(text, "fuzz.csv", options);
    if (table.has_value()) {
      for (size_t c = 0; c < table->num_columns(); ++c) {
        for (size_t r = 0; r < table->num_rows(); ++r) (void)table->Get(c, r).size();
      }
    } else if (table.error().message().empty()) {
      __builtin_trap();  // every error must explain itself
    }
  }
  return 0;
}
