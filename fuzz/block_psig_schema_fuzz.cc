// Fuzzes the P-Sig and lambda-fold inputs that cross a trust boundary: the blocking schema (from a data owner's config)
// and the blocks file (read by the linkage unit). Any text gives a value or a clean error; a schema that parses builds
// blocks over a small table (characters-at positions, metaphone, the filter; lambda-fold's filters and sampled
// positions) without failing except by a clean error, and the blocks it writes read back to the same keys.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "src/block/lambda_fold.h"
#include "src/block/psig.h"
#include "src/block/psig_schema.h"
#include "src/io/csv.h"
#include "src/io/table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace matchguard;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto blocks_file = ParsePsigBlocks(text, "fuzz.blocks");
  if (!blocks_file.has_value() && blocks_file.status().message().empty()) __builtin_trap();

  auto schema = ParseBlockingSchema(text, "fuzz.json");
  if (!schema.has_value()) {
    if (schema.status().message().empty()) __builtin_trap();
    return 0;
  }
  static const Table table = *ParseCsvTable(
      "id,first_name,last_name,dob,0\n1,Zoë,O'Brien,1985-03-12,x\n2,,Smith,,\n3,ÅSA,van der Berg,19851203,yz\n",
      "fuzz.csv");
  static PsigKeyer keyer = *PsigKeyer::Create("fuzz-secret-0123456789");
  const auto* lambda_fold = std::get_if<LambdaFoldSchema>(&*schema);
  auto blocks = lambda_fold != nullptr ? BuildLambdaFoldBlocks(table, *lambda_fold, keyer, {0, "fuzz.csv"})
                                       : BuildPsigBlocks(table, std::get<PsigSchema>(*schema), keyer, {0, "fuzz.csv"});
  if (!blocks.has_value()) {
    if (blocks.status().message().empty()) __builtin_trap();
    return 0;
  }
  auto fs = NewMemoryFileSystem();
  if (!WritePsigBlocks(*fs, "b.json", *blocks).ok()) __builtin_trap();
  auto back = ParsePsigBlocks(*fs->ReadFile("b.json"), "b.json");
  if (!back.has_value() || back->entries.size() != blocks->keys.size()) __builtin_trap();
  for (size_t i = 0; i < blocks->keys.size(); ++i) {
    if (back->entries[i].key != blocks->keys[i]) __builtin_trap();
  }
  return 0;
}
