// Benchmarks of the normalize layer. Each checks its answer before timing: a benchmark whose result is
// wrong reports an error instead of a speed.
//
// NormalizePeople runs over 1,000,000 synthetic rows of 10 fields in mixed formats (ISO, US and compact
// dates, 7- and 9-digit SSNs, accented names, full street words), the shape of a real enrollment file.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "src/normalize/fields.h"
#include "src/normalize/person.h"
#include "src/normalize/text.h"

namespace matchguard {
namespace {

constexpr size_t kRows = 1'000'000;
constexpr size_t kInvalidEvery = 1000;  // every 1000th date of birth is impossible (February 30)

constexpr std::string_view kFirst[] = {"James", "Mary",  "José",       "Zoë",    "William", "Elizabeth",
                                       "Ahmed", "Søren", "Anne-Marie", "O'Neil", "Michael", "Jennifer"};
constexpr std::string_view kFirstFolded[] = {"james", "mary",  "jose",       "zoe",   "william", "elizabeth",
                                             "ahmed", "soren", "anne marie", "oneil", "michael", "jennifer"};
constexpr std::string_view kLast[] = {"Smith", "Johnson",      "García",   "Müller", "Nguyen",  "O'Brien",
                                      "Brown", "Ñúñez-García", "Williams", "Lee",    "Kowalski"};
constexpr std::string_view kStreetWord[] = {"Main Street",    "Oak Avenue", "Pinkerton Circuit", "Sunset Boulevard",
                                            "Macquoid Place", "Hill Road",  "Lake Drive"};
constexpr std::string_view kCity[] = {"Springfield", "Winston Hills", "São Paulo", "Dapto", "Richlands"};
constexpr std::string_view kState[] = {"NSW", "VIC", "CA", "NY", "TX"};

int Year(size_t i) { return 1930 + static_cast<int>(i % 70); }
int Month(size_t i) { return 1 + static_cast<int>(i % 12); }
int Day(size_t i) { return 1 + static_cast<int>(i % 28); }

std::string RawDob(size_t i) {
  char buffer[32];
  if (i % kInvalidEvery == 0) return "2023-02-30";
  switch (i % 3) {
    case 0:
      std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", Year(i), Month(i), Day(i));
      break;
    case 1:
      std::snprintf(buffer, sizeof(buffer), "%02d/%02d/%04d", Month(i), Day(i), Year(i));
      break;
    default:
      std::snprintf(buffer, sizeof(buffer), "%04d%02d%02d", Year(i), Month(i), Day(i));
      break;
  }
  return buffer;
}

// Half written 123-45-6789, half as FEBRL writes them: seven digits that pad to a valid SSN.
std::string RawSsn(size_t i) {
  char buffer[32];
  const int group = 1 + static_cast<int>(i % 99);
  const int serial = 1 + static_cast<int>(i % 9999);
  if (i % 2) {
    std::snprintf(buffer, sizeof(buffer), "%d%02d%04d", 1 + static_cast<int>(i % 9), group, serial);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%03d-%02d-%04d", 100 + static_cast<int>(i % 500), group, serial);
  }
  return buffer;
}

std::string ExpectedDob(size_t i) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d", Year(i), Month(i), Day(i));
  return i % kInvalidEvery == 0 ? "" : buffer;
}

const Table& PeopleTable() {
  static const Table table = [] {
    Table t("bench.csv", {"id", "first_name", "last_name", "dob", "sex", "ssn", "street", "city", "state", "zip"});
    std::vector<Column> columns(t.num_columns());
    for (size_t i = 0; i < kRows; ++i) {
      const std::string values[] = {
          "p" + std::to_string(i),
          std::string(kFirst[i % std::size(kFirst)]),
          std::string(kLast[i * 7 % std::size(kLast)]),
          RawDob(i),
          i % 2 ? "M" : "Female",
          RawSsn(i),
          std::to_string(i % 999 + 1) + " " + std::string(kStreetWord[i % std::size(kStreetWord)]),
          std::string(kCity[i % std::size(kCity)]),
          std::string(kState[i % std::size(kState)]),
          std::to_string(2000 + i % 8000),
      };
      for (size_t c = 0; c < columns.size(); ++c) columns[c].Append(values[c]);
    }
    for (size_t c = 0; c < columns.size(); ++c) t.mutable_column(c) = std::move(columns[c]);
    return t;
  }();
  return table;
}

// Empty when `people` holds the expected values, else what is wrong.
std::string CheckPeople(const PersonTable& people) {
  if (people.size() != kRows) return "wrong row count";
  if (people.stats(FieldKind::kDob).invalid != kRows / kInvalidEvery) return "wrong invalid date count";
  if (people.stats(FieldKind::kSsn).invalid != 0 || people.stats(FieldKind::kZip).invalid != 0) {
    return "SSNs or ZIPs rejected";
  }
  for (size_t i = 0; i < kRows; i += 997) {
    if (people.value(FieldKind::kDob, i) != ExpectedDob(i)) return "wrong date at row " + std::to_string(i);
    if (people.value(FieldKind::kFirstName, i) != kFirstFolded[i % std::size(kFirstFolded)]) {
      return "wrong first name at row " + std::to_string(i);
    }
    if (people.value(FieldKind::kSex, i) != (i % 2 ? "m" : "f")) return "wrong sex at row " + std::to_string(i);
    if (people.value(FieldKind::kSsn, i).size() != 9) return "wrong SSN at row " + std::to_string(i);
  }
  if (people.value(FieldKind::kStreet, 2) != "3 pinkerton cir") return "wrong street";
  if (people.value(FieldKind::kLastName, 1) != "nunez garcia") return "wrong last name";
  return "";
}

void BM_NormalizePeople(benchmark::State& state) {
  const Table& table = PeopleTable();
  auto mapping = DetectFields(table);
  if (!mapping.has_value()) {
    state.SkipWithError(mapping.error().message().c_str());
    return;
  }
  {
    auto people = NormalizePeople(table, *mapping);
    const std::string problem = people.has_value() ? CheckPeople(*people) : people.error().message();
    if (!problem.empty()) {
      state.SkipWithError(problem.c_str());
      return;
    }
  }
  for (auto _ : state) {
    auto people = NormalizePeople(table, *mapping);
    benchmark::DoNotOptimize(people);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows * table.num_columns()));
}
// Process CPU time: the CPU column sums every worker thread, so it shows the work done, not just the wait.
BENCHMARK(BM_NormalizePeople)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_FoldText(benchmark::State& state, std::string_view text, std::string_view expected) {
  std::string out;
  FoldTextInto(text, &out);
  if (out != expected) {
    state.SkipWithError("FoldText gave a wrong answer");
    return;
  }
  for (auto _ : state) {
    FoldTextInto(text, &out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK_CAPTURE(BM_FoldText, ascii, "Anne-Marie O'Neil", "anne marie oneil");
BENCHMARK_CAPTURE(BM_FoldText, unicode, "José Ñúñez-García", "jose nunez garcia");

}  // namespace
}  // namespace matchguard
