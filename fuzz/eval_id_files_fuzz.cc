// Fuzzes the readers of id files (pairs, truth and cluster files of `evaluate`; the same CSV id rules serve
// hits and truth files elsewhere). The input is split at its first NUL byte into PAIRS and TRUTH.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "matchguard/evaluate.h"
#include "matchguard/file_system.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t cut = text.find('\0');
  std::string_view pairs = text.substr(0, cut);
  std::string_view truth = cut == std::string_view::npos ? text : text.substr(cut + 1);
  auto fs = matchguard::NewMemoryFileSystem();
  if (!fs->WriteFileAtomically("pairs.csv", pairs).ok() || !fs->WriteFileAtomically("truth.csv", truth).ok()) return 0;
  matchguard::EvaluateOptions options;
  options.pairs_path = "pairs.csv";
  options.truth_path = "truth.csv";
  auto result = matchguard::EvaluateFiles(*fs, options);
  if (!result.has_value() && result.error().message().empty()) __builtin_trap();
  if (result.has_value() && (result->tp > result->predicted_pairs || result->tp > result->true_pairs)) __builtin_trap();
  return 0;
}
