#include "src/similarity/isa.h"

#include <time.h>

#include <bit>
#include <cstdlib>
#include <string>

namespace matchguard::similarity {

std::string_view IsaName(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return "scalar";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
  }
  return "unknown";
}

Result<Isa> ParseIsa(std::string_view name) {
  for (Isa isa : {Isa::kScalar, Isa::kAvx2, Isa::kAvx512}) {
    if (name == IsaName(isa)) return isa;
  }
  return Error(Status::InvalidArgument("unknown ISA '" + std::string(name) + "': expected scalar, avx2 or avx512"));
}

bool IsaSupported(Isa isa) {
  // __builtin_cpu_supports consults CPUID and, for AVX/AVX-512, whether the OS saves the wide registers.
  switch (isa) {
    case Isa::kScalar:
      return true;
    case Isa::kAvx2:
      // dice_avx2.cc is compiled with -mbmi -mbmi2 too (cmake/MatchguardLayer.cmake), so the compiler may
      // emit those instructions anywhere in it.
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi") &&
             __builtin_cpu_supports("bmi2");
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vpopcntdq") &&
             IsaSupported(Isa::kAvx2);
  }
  return false;
}

Isa DetectIsa() {
  if (IsaSupported(Isa::kAvx512)) return Isa::kAvx512;
  if (IsaSupported(Isa::kAvx2)) return Isa::kAvx2;
  return Isa::kScalar;
}

namespace {

Result<Isa> ComputeSelectedIsa() {
  const char* forced = std::getenv("MATCHGUARD_FORCE_ISA");
  if (forced == nullptr || *forced == '\0') return DetectIsa();
  Result<Isa> parsed = ParseIsa(forced);
  if (!parsed) return Error(parsed.error().WithContext("MATCHGUARD_FORCE_ISA"));
  Isa isa = *parsed;
  if (!IsaSupported(isa)) {
    return Error(Status::InvalidArgument(
        "MATCHGUARD_FORCE_ISA=" + std::string(IsaName(isa)) +
        " but this CPU does not support it (best available: " + std::string(IsaName(DetectIsa())) + ")"));
  }
  return isa;
}

}  // namespace

Result<Isa> SelectedIsa() {
  static const Result<Isa> selected = ComputeSelectedIsa();
  return selected;
}

AndCountFn AndCountKernel(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return &AndCountScalar;
    case Isa::kAvx2:
      // Measured on the AMD Zen 4 development machine with 1024-bit rows (similarity_benchmark, per CPU
      // second): vpshufb 4.1e8 comparisons, 4x-unrolled POPCNT 1.9e8, vpshufb with the last 256 bits on
      // POPCNT 3.7e8; see bench/dice/README.md.
      return &AndCountAvx2Shuffle;
    case Isa::kAvx512:
      return &AndCountAvx512;
  }
  return &AndCountScalar;
}

double MeasurePopcountRate(Isa isa) {
  switch (isa) {
    case Isa::kScalar:
      return 0.0;
    case Isa::kAvx2:
      return MeasurePopcntRate();
    case Isa::kAvx512:
      return MeasureVpopcntqRate();
  }
  return 0.0;
}

double PopcountsPerComparison(Isa isa, size_t words) {
  switch (isa) {
    case Isa::kScalar:
      return 0.0;
    case Isa::kAvx2:
      return static_cast<double>(words);
    case Isa::kAvx512:
      return static_cast<double>(words) / 8.0;
  }
  return 0.0;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

uint32_t RowPopcount(const uint64_t* row, size_t words) {
  uint32_t total = 0;
  for (size_t w = 0; w < words; ++w) total += static_cast<uint32_t>(std::popcount(row[w]));
  return total;
}

}  // namespace matchguard::similarity
