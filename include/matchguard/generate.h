// Synthetic person files with ground truth: `matchguard generate`.
//
// Writes into `out_dir`, all through AtomicFile (nothing is committed unless every file was written):
//   linkage (default): left.csv (a custodian's enrollment file), right.csv (another agency's list: a share
//     `overlap` of the left people re-keyed with errors, plus people not in the left file, about `people`
//     rows), truth.csv (left_id,right_id);
//   claims: as linkage, but left.csv has 1 to 6 claim rows per person (claim_id, service_date, hcpcs_code,
//     paid_amount) and truth.csv maps every claim row to the right id;
//   dedupe: records.csv (left-style) with 1 to 3 extra error-laden copies of some people and truth.csv as
//     record_id,cluster_id;
// and summary.json with the counts of every error and hard-negative kind. `profile` picks the population,
// error model and file layouts: "agency" (the default, the model the linker was tuned on) or "registry"
// (designed independently: common names, dense metro areas, households, OCR errors, other headers; no
// claims layout). Every profile and rate is documented in docs/synthetic-data.md. Same options and seed,
// same bytes, whatever the thread count.
//
// Thread-safety: Generate may run concurrently with different output folders; it uses TBB internally.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

struct GenerateOptions {
  int64_t people = 1000;  // people in the left (or dedupe) file; 1 to 100,000,000
  std::string out_dir;
  uint64_t seed = 42;
  double overlap = 0.5;            // share of left people also in right.csv, 0 to 1
  bool claims = false;             // several claim rows per person in left.csv
  bool dedupe = false;             // one file with duplicates instead of two files
  std::string profile = "agency";  // "agency" or "registry"
};

struct GenerateSummary {
  std::string mode;                                              // "link", "claims" or "dedupe"
  std::string profile;                                           // "agency" or "registry"
  std::vector<std::pair<std::string, uint64_t>> files;           // file name -> data rows
  std::vector<std::pair<std::string, uint64_t>> errors;          // error kind -> records affected
  std::vector<std::pair<std::string, uint64_t>> hard_negatives;  // kind -> people or record pairs
  std::string json;                                              // the summary.json text
};

// Generates the files. Errors: bad options (InvalidArgument, naming the option), or a failed write (IoError).
Result<GenerateSummary> Generate(FileSystem& fs, const GenerateOptions& options);

}  // namespace matchguard
