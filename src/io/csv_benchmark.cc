// CSV parsing throughput on plain person data (target: >= 200 MB/s per core). Checks its answer: the
// parsed table must have the expected shape and a known cell.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <random>
#include <string>

#include "src/io/csv.h"

namespace matchguard {
namespace {

std::string MakePersonCsv(size_t rows) {
  std::mt19937_64 rng(42);
  const char* first[] = {"james", "mary", "robert", "patricia", "john", "jennifer", "michael", "linda"};
  const char* last[] = {"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis"};
  std::string out = "rec_id,first_name,last_name,dob,sex,ssn,street,city,state,zip\n";
  char line[256];
  for (size_t i = 0; i < rows; ++i) {
    std::snprintf(line, sizeof line, "r%zu,%s,%s,19%02u-%02u-%02u,%c,%09u,%u main street,springfield,il,%05u\n", i,
                  first[rng() % 8], last[rng() % 8], unsigned(rng() % 100), unsigned(rng() % 12 + 1),
                  unsigned(rng() % 28 + 1), rng() % 2 ? 'M' : 'F', unsigned(rng() % 1000000000),
                  unsigned(rng() % 9999), unsigned(rng() % 99999));
    out += line;
  }
  return out;
}

void BM_ParseCsvTable(benchmark::State& state) {
  const size_t rows = static_cast<size_t>(state.range(0));
  std::string data = MakePersonCsv(rows);
  for (auto _ : state) {
    auto table = ParseCsvTable(data, "bench.csv");
    if (!table.has_value() || table->num_rows() != rows || table->Get(0, rows - 1) != "r" + std::to_string(rows - 1)) {
      state.SkipWithError("wrong parse result");
      return;
    }
    benchmark::DoNotOptimize(table->column(5).arena_bytes());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_ParseCsvTable)->Arg(200000)->Unit(benchmark::kMillisecond);

void BM_CsvReaderScanOnly(benchmark::State& state) {
  std::string data = MakePersonCsv(200000);
  for (auto _ : state) {
    CsvReader reader(data, "bench.csv");
    std::vector<std::string> header;
    (void)reader.ReadHeader(&header);
    std::vector<std::string_view> fields;
    size_t rows = 0;
    while (reader.Next(&fields).value()) ++rows;
    if (rows != 200000) state.SkipWithError("wrong row count");
    benchmark::DoNotOptimize(rows);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_CsvReaderScanOnly)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace matchguard
