// Generate: lays out which person goes in which row of which file, renders rows in parallel chunks and
// appends them in order, so the bytes never depend on thread scheduling.
#include "matchguard/generate.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "src/io/csv.h"
#include "src/synth/layout.h"
#include "src/synth/population.h"
#include "src/synth/tables.h"

namespace matchguard {
namespace {

using synth::Counts;
using synth::Event;
using synth::Mix64;
using synth::Observed;
using synth::Person;
using synth::Population;
using synth::Profile;
using synth::Relation;
using synth::Rng;
using synth::Stream;

constexpr int64_t kMaxPeople = 100'000'000;

// Everything a chunk of rows counts: errors, and hard negatives (people, and record pairs of different
// people that a naive join would link: across the two files for linkage, within the file for dedupe).
struct Tally {
  Counts errors;
  synth::HardNegatives hard_negatives;
  Tally& operator+=(const Tally& other) {
    errors += other.errors;
    hard_negatives += other.hard_negatives;
    return *this;
  }
};

void AppendNumber(std::string* out, uint64_t value) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n > 0) out->push_back(buf[--n]);
}

void AppendId(std::string* out, char prefix, uint64_t number) {
  out->push_back(prefix);
  AppendNumber(out, number);
}

constexpr std::string_view kClaimColumns = ",claim_id,service_date,hcpcs_code,paid_amount";

// ---- claims ------------------------------------------------------------------------------------------

// Claim rows per person: 1 to 6, most people with one or two (skewed like a year of Part B claims).
uint32_t ClaimCount(uint64_t seed, uint64_t person) {
  double r = Rng(seed, Stream::kClaims, person).Real();
  static constexpr double kCumulative[] = {0.32, 0.56, 0.73, 0.85, 0.94};
  uint32_t n = 1;
  for (double c : kCumulative) n += r >= c ? 1 : 0;
  return n;
}

void AppendServiceDate(std::string* out, uint64_t day_offset) {
  int year = 2023;
  int month = 1;
  auto offset = static_cast<int>(day_offset);
  while (true) {
    int days = synth::IsValidDate(year, month, 31)   ? 31
               : synth::IsValidDate(year, month, 30) ? 30
               : synth::IsValidDate(year, month, 29) ? 29
                                                     : 28;
    if (offset < days) break;
    offset -= days;
    if (++month > 12) {
      month = 1;
      ++year;
    }
  }
  synth::AppendZeroPadded(out, static_cast<uint64_t>(year), 4);
  out->push_back('-');
  synth::AppendZeroPadded(out, static_cast<uint64_t>(month), 2);
  out->push_back('-');
  synth::AppendZeroPadded(out, static_cast<uint64_t>(offset + 1), 2);
}

void AppendClaimColumns(uint64_t seed, uint64_t person, uint32_t claim, std::string* out) {
  const synth::Tables& t = synth::Tables::Get();
  Rng rng(seed, Stream::kClaims, person, claim + 1);
  out->push_back(',');
  synth::AppendZeroPadded(out, rng.Below(9'000'000'000'000ULL) + 1'000'000'000'000ULL, 13);  // claim control number
  out->push_back(',');
  AppendServiceDate(out, rng.Below(731));  // 2023-01-01 .. 2024-12-31
  const synth::Procedure& procedure = t.procedures()[t.procedure_sampler().Sample(rng)];
  out->push_back(',');
  out->append(procedure.code);
  auto cents = static_cast<uint64_t>(std::llround(procedure.typical_paid * (0.6 + 0.8 * rng.Real()) * 100));
  cents = std::max<uint64_t>(cents, 1);
  out->push_back(',');
  AppendNumber(out, cents / 100);
  out->push_back('.');
  synth::AppendZeroPadded(out, cents % 100, 2);
}

// ---- parallel, ordered writing -----------------------------------------------------------------------

// Renders items [0, n) with render(begin, end, text, tally) in parallel chunks and appends them in order.
template <typename Render>
Status WriteRows(AtomicFile* file, uint64_t n, const Render& render, Tally* total) {
  constexpr uint64_t kChunk = 2048;
  constexpr uint64_t kChunksPerBatch = 128;
  struct Chunk {
    std::string text;
    Tally tally;
  };
  std::vector<Chunk> chunks(kChunksPerBatch);
  for (uint64_t batch = 0; batch < n; batch += kChunk * kChunksPerBatch) {
    uint64_t count = std::min(kChunksPerBatch, (n - batch + kChunk - 1) / kChunk);
    tbb::parallel_for(uint64_t{0}, count, [&](uint64_t c) {
      Chunk& chunk = chunks[c];
      chunk.text.clear();
      chunk.tally = Tally{};
      uint64_t begin = batch + c * kChunk;
      render(begin, std::min(n, begin + kChunk), &chunk.text, &chunk.tally);
    });
    for (uint64_t c = 0; c < count; ++c) {
      MG_RETURN_IF_ERROR(file->Append(chunks[c].text));
      *total += chunks[c].tally;
    }
  }
  return Status::Ok();
}

// A deterministic shuffle of `items` (sorted by a keyed hash), so a file's row order says nothing about
// the other file's.
void Shuffle(uint64_t seed, std::vector<uint64_t>* items) {
  std::vector<std::pair<uint64_t, uint64_t>> keyed(items->size());
  uint64_t key = Mix64(seed ^ static_cast<uint64_t>(Stream::kOrder));
  for (size_t i = 0; i < items->size(); ++i) keyed[i] = {Mix64(key ^ Mix64((*items)[i])), (*items)[i]};
  tbb::parallel_sort(keyed.begin(), keyed.end());
  for (size_t i = 0; i < items->size(); ++i) (*items)[i] = keyed[i].second;
}

class Generator {
 public:
  Generator(FileSystem& fs, const GenerateOptions& options, const synth::PopulationConfig& config)
      : fs_(fs), options_(options), population_(config), profile_(population_.profile()) {}

  Result<GenerateSummary> Run();

 private:
  Result<std::unique_ptr<AtomicFile>> Open(const std::string& name, std::string_view header) {
    MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, fs_.NewAtomicFile(options_.out_dir + "/" + name));
    MG_RETURN_IF_ERROR(file->Append(header));
    return file;
  }
  Status WriteLinkage(std::vector<std::pair<std::string, uint64_t>>* files);
  Status WriteDedupe(std::vector<std::pair<std::string, uint64_t>>* files);
  std::string SummaryJson(const std::vector<std::pair<std::string, uint64_t>>& files) const;
  std::vector<std::pair<std::string, uint64_t>> HardNegativeCounts() const;
  void Observe(const Person& person, const synth::ErrorModel& model, bool other_agency, Rng& rng, Tally* tally,
               Observed* out) const {
    population_.Observe(person, model, other_agency, rng, &tally->errors, out);
  }

  FileSystem& fs_;
  const GenerateOptions& options_;
  Population population_;
  const Profile& profile_;
  Tally tally_;
  std::vector<std::unique_ptr<AtomicFile>> pending_;  // committed together at the end
};

Status Generator::WriteLinkage(std::vector<std::pair<std::string, uint64_t>>* files) {
  const uint64_t seed = options_.seed;
  const uint64_t n = population_.config().num_left;
  const uint64_t extra = population_.config().num_extra;

  // Right file membership and order; right_number[p] is person p's 1-based row in right.csv (0: absent).
  std::vector<uint64_t> right_people;
  right_people.reserve(n + extra);
  for (uint64_t p = 0; p < n; ++p) {
    if (population_.InRight(p)) right_people.push_back(p);
  }
  for (uint64_t q = n; q < n + extra; ++q) right_people.push_back(q);
  Shuffle(seed, &right_people);
  std::vector<uint32_t> right_number(n + extra, 0);
  for (size_t i = 0; i < right_people.size(); ++i) right_number[right_people[i]] = static_cast<uint32_t>(i + 1);

  // Left rows: one per person, or one per claim.
  std::vector<uint64_t> first_row;  // claims: first claim row of each person (prefix sums)
  uint64_t left_rows = n;
  if (options_.claims) {
    first_row.resize(n + 1);
    for (uint64_t p = 0; p < n; ++p) first_row[p + 1] = first_row[p] + ClaimCount(seed, p);
    left_rows = first_row[n];
  }
  std::string header = synth::LayoutHeader(profile_.left);
  if (options_.claims) header += kClaimColumns;
  MG_ASSIGN_OR_RETURN(auto left, Open("left.csv", header + "\n"));
  const char left_prefix = options_.claims ? 'C' : profile_.left.id_prefix;
  auto render_left = [&](uint64_t begin, uint64_t end, std::string* out, Tally* tally) {
    Observed o;
    std::string scratch;
    std::string columns;
    for (uint64_t p = begin; p < end; ++p) {
      Person person = population_.MakePerson(p);
      population_.CountLeft(person, &tally->hard_negatives);
      Rng rng(seed, Stream::kLeft, p);
      Observe(person, profile_.left_errors, false, rng, tally, &o);
      columns.clear();
      synth::AppendColumns(profile_.left, o, rng, &columns, &scratch);
      uint32_t claims = options_.claims ? static_cast<uint32_t>(first_row[p + 1] - first_row[p]) : 1;
      for (uint32_t c = 0; c < claims; ++c) {
        AppendId(out, left_prefix, options_.claims ? first_row[p] + c + 1 : p + 1);
        out->append(columns);
        if (options_.claims) AppendClaimColumns(seed, p, c, out);
        out->push_back('\n');
      }
    }
  };
  MG_RETURN_IF_ERROR(WriteRows(left.get(), n, render_left, &tally_));
  pending_.push_back(std::move(left));

  MG_ASSIGN_OR_RETURN(auto right, Open("right.csv", synth::LayoutHeader(profile_.right) + "\n"));
  auto render_right = [&](uint64_t begin, uint64_t end, std::string* out, Tally* tally) {
    Observed o;
    std::string scratch;
    for (uint64_t i = begin; i < end; ++i) {
      uint64_t q = right_people[i];
      Person person = population_.MakePerson(q);
      population_.CountRight(person, &tally->hard_negatives);
      Rng rng(seed, Stream::kRight, q);
      Observe(person, profile_.right_errors, true, rng, tally, &o);
      AppendId(out, profile_.right.id_prefix, i + 1);
      synth::AppendColumns(profile_.right, o, rng, out, &scratch);
      out->push_back('\n');
    }
  };
  MG_RETURN_IF_ERROR(WriteRows(right.get(), right_people.size(), render_right, &tally_));
  pending_.push_back(std::move(right));

  MG_ASSIGN_OR_RETURN(auto truth, Open("truth.csv", "left_id,right_id\n"));
  uint64_t truth_rows = 0;
  for (uint64_t p = 0; p < n; ++p) {
    if (right_number[p] != 0) truth_rows += options_.claims ? first_row[p + 1] - first_row[p] : 1;
  }
  auto render_truth = [&](uint64_t begin, uint64_t end, std::string* out, Tally*) {
    for (uint64_t p = begin; p < end; ++p) {
      if (right_number[p] == 0) continue;
      uint64_t rows = options_.claims ? first_row[p + 1] - first_row[p] : 1;
      for (uint64_t c = 0; c < rows; ++c) {
        AppendId(out, left_prefix, options_.claims ? first_row[p] + c + 1 : p + 1);
        out->push_back(',');
        AppendId(out, profile_.right.id_prefix, right_number[p]);
        out->push_back('\n');
      }
    }
  };
  Tally unused;
  MG_RETURN_IF_ERROR(WriteRows(truth.get(), n, render_truth, &unused));
  pending_.push_back(std::move(truth));

  files->emplace_back("left.csv", left_rows);
  files->emplace_back("right.csv", right_people.size());
  files->emplace_back("truth.csv", truth_rows);
  return Status::Ok();
}

// Extra copies per person in a dedupe file: none for most, 1-3 for some.
uint32_t ExtraCopies(uint64_t seed, uint64_t person) {
  double r = Rng(seed, Stream::kCopies, person).Real();
  if (r < 0.70) return 0;
  if (r < 0.88) return 1;
  if (r < 0.96) return 2;
  return 3;
}

Status Generator::WriteDedupe(std::vector<std::pair<std::string, uint64_t>>* files) {
  const uint64_t seed = options_.seed;
  const uint64_t n = population_.config().num_left;
  // Records are (person, copy) packed as person * 4 + copy, shuffled.
  std::vector<uint64_t> records;
  records.reserve(n + n / 2);
  for (uint64_t p = 0; p < n; ++p) {
    uint32_t copies = 1 + ExtraCopies(seed, p);
    for (uint32_t c = 0; c < copies; ++c) records.push_back(p * 4 + c);
  }
  Shuffle(seed, &records);

  MG_ASSIGN_OR_RETURN(auto file, Open("records.csv", synth::LayoutHeader(profile_.left) + "\n"));
  auto render = [&](uint64_t begin, uint64_t end, std::string* out, Tally* tally) {
    Observed o;
    std::string scratch;
    for (uint64_t i = begin; i < end; ++i) {
      uint64_t p = records[i] / 4;
      uint32_t copy = static_cast<uint32_t>(records[i] % 4);
      Person person = population_.MakePerson(p);
      // A relative and its anchor are always both in the file: pairs a naive join would merge.
      if (copy == 0) population_.CountDedupe(person, &tally->hard_negatives);
      // The first record is the enrollment; duplicates are keyed again later (a relative's SSN among them).
      Rng rng(seed, copy == 0 ? Stream::kLeft : Stream::kRight, p, copy);
      Observe(person, copy == 0 ? profile_.left_errors : profile_.duplicate_errors, copy != 0, rng, tally, &o);
      AppendId(out, profile_.dedupe_id_prefix, i + 1);
      synth::AppendColumns(profile_.left, o, rng, out, &scratch);
      out->push_back('\n');
    }
  };
  MG_RETURN_IF_ERROR(WriteRows(file.get(), records.size(), render, &tally_));
  pending_.push_back(std::move(file));

  MG_ASSIGN_OR_RETURN(auto truth, Open("truth.csv", "record_id,cluster_id\n"));
  auto render_truth = [&](uint64_t begin, uint64_t end, std::string* out, Tally*) {
    for (uint64_t i = begin; i < end; ++i) {
      AppendId(out, profile_.dedupe_id_prefix, i + 1);
      out->push_back(',');
      AppendId(out, 'G', records[i] / 4 + 1);
      out->push_back('\n');
    }
  };
  Tally unused;
  MG_RETURN_IF_ERROR(WriteRows(truth.get(), records.size(), render_truth, &unused));
  pending_.push_back(std::move(truth));
  files->emplace_back("records.csv", records.size());
  files->emplace_back("truth.csv", records.size());
  return Status::Ok();
}

// Each hard-negative kind of the profile: people of that kind (not for siblings, which only pairs have),
// and record pairs a naive join could mislink.
std::vector<std::pair<std::string, uint64_t>> Generator::HardNegativeCounts() const {
  const char* pairs_label = options_.dedupe ? "_record_pairs_in_file" : "_record_pairs_across_files";
  std::vector<std::pair<std::string, uint64_t>> counts;
  for (Relation r : profile_.relations) {
    std::string name(synth::RelationName(r));
    const auto k = static_cast<size_t>(r);
    if (r != Relation::kSibling) counts.emplace_back(name, tally_.hard_negatives.people[k]);
    counts.emplace_back(name + pairs_label, tally_.hard_negatives.pairs[k]);
  }
  return counts;
}

std::string Generator::SummaryJson(const std::vector<std::pair<std::string, uint64_t>>& files) const {
  nlohmann::ordered_json j;
  j["mode"] = options_.dedupe ? "dedupe" : options_.claims ? "claims" : "link";
  if (&profile_ != &synth::AgencyProfile()) j["profile"] = profile_.name;  // the agency's bytes stay as they were
  j["people"] = options_.people;
  j["seed"] = options_.seed;
  if (!options_.dedupe) j["overlap"] = options_.overlap;
  for (const auto& [name, rows] : files) j["files"][name] = rows;
  for (Event e : profile_.events)
    j["errors"][std::string(synth::kEventNames[static_cast<size_t>(e)])] = tally_.errors[e];
  for (const auto& [name, count] : HardNegativeCounts()) j["hard_negatives"][name] = count;
  return j.dump(2) + "\n";
}

Result<GenerateSummary> Generator::Run() {
  MG_RETURN_IF_ERROR(fs_.CreateDirectories(options_.out_dir));
  std::vector<std::pair<std::string, uint64_t>> files;
  MG_RETURN_IF_ERROR(options_.dedupe ? WriteDedupe(&files) : WriteLinkage(&files));
  GenerateSummary summary;
  summary.mode = options_.dedupe ? "dedupe" : options_.claims ? "claims" : "link";
  summary.profile = profile_.name;
  summary.json = SummaryJson(files);
  MG_ASSIGN_OR_RETURN(auto json_file, Open("summary.json", summary.json));
  pending_.push_back(std::move(json_file));
  for (auto& file : pending_) MG_RETURN_IF_ERROR(file->Commit());
  summary.files = std::move(files);
  for (Event e : profile_.events) {
    summary.errors.emplace_back(std::string(synth::kEventNames[static_cast<size_t>(e)]), tally_.errors[e]);
  }
  summary.hard_negatives = HardNegativeCounts();
  return summary;
}

Status Validate(const GenerateOptions& options) {
  if (options.people < 1 || options.people > kMaxPeople) {
    return Status::InvalidArgument("--people must be between 1 and 100000000; got " + std::to_string(options.people));
  }
  if (!(options.overlap >= 0.0 && options.overlap <= 1.0)) {
    return Status::InvalidArgument("--overlap must be a share between 0 and 1; got " + std::to_string(options.overlap));
  }
  if (options.out_dir.empty()) return Status::InvalidArgument("--out must name a folder");
  if (options.claims && options.dedupe) {
    return Status::InvalidArgument("--claims and --dedupe cannot be combined; choose one");
  }
  const Profile* profile = synth::FindProfile(options.profile);
  if (profile == nullptr) {
    return Status::InvalidArgument("--profile must be one of " + std::string(synth::ProfileNames()) + "; got '" +
                                   options.profile + "'");
  }
  if (options.claims && !profile->claims) {
    return Status::InvalidArgument("--claims is only available with --profile agency; the " +
                                   std::string(profile->name) + " profile has no claims layout");
  }
  return Status::Ok();
}

}  // namespace

Result<GenerateSummary> Generate(FileSystem& fs, const GenerateOptions& options) {
  MG_RETURN_IF_ERROR(Validate(options));
  synth::PopulationConfig config;
  config.seed = options.seed;
  config.num_left = static_cast<uint64_t>(options.people);
  config.overlap = options.overlap;
  config.profile = synth::FindProfile(options.profile);
  if (!options.dedupe) {
    // Right-only people so that right.csv has about as many rows as left.csv has people.
    config.num_extra = config.num_left - static_cast<uint64_t>(std::llround(options.overlap * options.people));
  }
  Generator generator(fs, options, config);
  return generator.Run();
}

}  // namespace matchguard
