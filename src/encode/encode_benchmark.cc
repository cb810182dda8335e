// Encoding speed on FEBRL4 dataset4a (5,000 records) with the febrl-doublehash schema (6 hashed features,
// doubleHash, bitsPerFeature, 1024 bits), single- and two-threaded, against clkhash's ~6,400 records/s.
// Each iteration starts from cold workers (empty token caches, fresh MAC contexts), as a run of the CLI does.
// The answer is checked before timing: the first 300 records must equal clkhash's expected.csv, and every
// run's output must equal the single-threaded reference.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>

#include "matchguard/file_system.h"
#include "src/encode/clk_batch.h"
#include "src/encode/clk_encoder.h"
#include "src/encode/clk_file.h"
#include "src/io/csv.h"

namespace matchguard {
namespace {

std::string ReadText(const std::string& path) {
  auto data = DefaultFileSystem()->ReadFile(path);
  return data ? *data : std::string();
}

struct Fixture {
  std::unique_ptr<ClkEncoder> encoder;
  Table table;
  ClkSet reference;
  bool ok = false;
};

const Fixture& GetFixture() {
  static Fixture* fixture = [] {
    auto* f = new Fixture();
    std::string shared = MATCHGUARD_SHARED_DIR;
    std::string dir = shared + "/data/vectors/clkhash/febrl-doublehash";
    auto schema = ParseClkSchema(ReadText(dir + "/schema.json"), "schema.json");
    auto table = ParseCsvTable(ReadText(shared + "/data/febrl/dataset4a.csv"), "dataset4a.csv");
    if (!schema || !table) {
      std::fprintf(stderr, "cannot load the benchmark inputs\n");
      return f;
    }
    auto encoder = ClkEncoder::Create(*schema, ReadText(dir + "/secret.txt"));
    if (!encoder) return f;
    f->encoder = std::move(encoder).value();
    f->table = std::move(table).value();
    if (EncodeTable(*f->encoder, f->table, 1, &f->reference).size() != 0) {
      std::fprintf(stderr, "dataset4a has values the schema refuses\n");
      return f;
    }
    auto expected = ParseCsvTable(ReadText(dir + "/expected.csv"), "expected.csv");
    if (!expected || f->table.num_rows() != 5000) return f;
    for (size_t row = 0; row < expected->num_rows(); ++row) {
      if (Base64Encode(f->reference.row(row), f->reference.row_bytes()) != expected->Get(1, row)) {
        std::fprintf(stderr, "row %zu differs from clkhash\n", row);
        return f;
      }
    }
    f->ok = true;
    return f;
  }();
  return *fixture;
}

void BM_EncodeFebrl4(benchmark::State& state) {
  const Fixture& f = GetFixture();
  if (!f.ok) {
    state.SkipWithError("reference check failed");
    return;
  }
  int threads = static_cast<int>(state.range(0));
  ClkSet out;
  for (auto _ : state) {
    auto errors = EncodeTable(*f.encoder, f.table, threads, &out);
    benchmark::DoNotOptimize(out.data.data());
    if (!errors.empty()) state.SkipWithError("encoding failed");
  }
  if (out.data != f.reference.data) state.SkipWithError("output differs from the single-threaded reference");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(f.table.num_rows()));
  state.counters["x_clkhash"] = benchmark::Counter(static_cast<double>(state.iterations()) *
                                                       static_cast<double>(f.table.num_rows()) / 6400.0,
                                                   benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EncodeFebrl4)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace matchguard
