// People generated per second (both files, in memory), for each profile, checking the row counts and that
// two runs agree.
#include <benchmark/benchmark.h>

#include <string>

#include "matchguard/generate.h"

namespace matchguard {
namespace {

void GenerateLinkage(benchmark::State& state, const std::string& profile) {
  const int64_t people = state.range(0);
  std::string first_truth;
  for (auto _ : state) {
    auto fs = NewMemoryFileSystem();
    auto summary = Generate(*fs, {.people = people, .out_dir = "out", .seed = 1, .profile = profile});
    if (!summary.has_value() || summary->files[0].second != static_cast<uint64_t>(people)) {
      state.SkipWithError("generate failed or wrote the wrong number of left rows");
      return;
    }
    auto truth = fs->ReadFile("out/truth.csv");
    if (first_truth.empty()) first_truth = *truth;
    if (*truth != first_truth) {
      state.SkipWithError("two runs with one seed differ");
      return;
    }
    benchmark::DoNotOptimize(summary);
  }
  state.SetItemsProcessed(state.iterations() * people);
}
void BM_GenerateLinkage(benchmark::State& state) { GenerateLinkage(state, "agency"); }
void BM_GenerateRegistry(benchmark::State& state) { GenerateLinkage(state, "registry"); }
BENCHMARK(BM_GenerateLinkage)->Arg(100000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GenerateRegistry)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace matchguard
