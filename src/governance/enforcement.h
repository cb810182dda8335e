// Enforcement of a matching agreement on a governed run, and the record each run leaves behind.
//
// The pipeline calls AuthorizeRun before reading any record and RecordRun after writing its output:
//
//   GovernedRunRequest request{...};
//   MG_ASSIGN_OR_RETURN(Agreement agreement, AuthorizeRun(fs, request));  // refuses with the reason
//   ... link, write only request.disclosed_fields through an AtomicFile, commit ...
//   MG_RETURN_IF_ERROR(RecordRun(fs, agreement, request, hits, output_path));
//
// Field names: match_fields are canonical names ("first_name", "dob", "ssn"); disclosed_fields are output
// columns as the agreement lists them: "left.id", "right.id", "left.mbi", "match_probability". Every hit
// of a governed run is `unverified` until a case worker verifies it (see cases.h).
//
// Thread-safety: functions over values and files; one governed run at a time per agreement (the audit log
// has one writer).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/audit/date.h"
#include "src/governance/agreement.h"
#include "src/governance/case_store.h"

namespace matchguard {

struct GovernedRunRequest {
  std::string agreement_path;
  std::string purpose;  // a [[purposes]] name; may be empty when the agreement has exactly one purpose
  std::vector<std::string> match_fields;
  std::vector<std::string> disclosed_fields;
  uint64_t left_records = 0;
  uint64_t right_records = 0;
  std::vector<std::string> input_paths;              // hashed into the run entry
  std::string model_description;                     // e.g. "fellegi-sunter em, 8 comparisons"
  double threshold = 0;                              // match probability threshold used
  std::optional<double> estimated_false_match_rate;  // the model's estimate at that threshold
  Date today;
  std::string case_store_path;  // overrides the agreement's [storage] case_store when not empty
  // How the compared fields were found (per side: field -> column, the config file and its hash; or the
  // linkage schema's features and its hash), recorded in the run entry so a relabelling is on the record.
  nlohmann::json field_mapping;
  // Hex SHA-256 of the released output when it is staged rather than at output_path yet (PublishRecorded).
  std::string output_sha256;
  // Per input, RecordIdsDigest of its record ids (empty: unknown, the file's hash stands in): the cumulative
  // volume counts a set of records once, whether it arrives as a CSV or as its encodings.
  std::vector<std::string> input_ids_sha256;
};

// Hex SHA-256 of the sorted record ids, one per line: the same records in any order or format agree.
std::string RecordIdsDigest(std::vector<std::string> ids);

// Checks the run against an agreement already loaded: in force on request.today, the purpose exists, every
// match and disclosed field is authorised, and each input is at most max_volume_factor times its stated
// count. PermissionDenied names the dates, fields or counts.
Status CheckRunAuthorized(const Agreement& agreement, const GovernedRunRequest& request);

// The volume cap across runs: the records of every earlier run of the agreement (a set of records counted
// once, by RecordIdsDigest or else the file's hash, however often it is run again) plus this run's must stay
// within max_volume_factor times the stated counts, so an over-cap file split into parts is refused like
// the whole. Reads the audit log.
Status CheckCumulativeVolume(FileSystem& fs, const Agreement& agreement, const GovernedRunRequest& request);

// Loads request.agreement_path and checks the run. Returns the agreement for RecordRun.
Result<Agreement> AuthorizeRun(FileSystem& fs, const GovernedRunRequest& request);

// After the output is committed: appends to the agreement's audit log one `run` entry (agreement and the
// SHA-256 of its file, purpose, SHA-256 of every input and of the output, counts, fields and their mapping,
// model, threshold, time), one `disclosure`
// entry (accounting of disclosures) and one `case` entry per hit, and opens each hit as a `raw` case in the
// case store. The case store and the log change together or not at all.
Status RecordRun(FileSystem& fs, const Agreement& agreement, const GovernedRunRequest& request,
                 const std::vector<MatchHit>& hits, const std::string& output_path);

struct ImportResult {
  uint64_t cases_opened = 0;
  int64_t first_case_id = 0;
  uint64_t audit_entries = 0;  // size of the audit log afterwards
};
// Imports a hits CSV (columns left_id, right_id, probability) produced elsewhere as `raw` cases, with an
// `import` entry, a disclosure entry and a case entry per hit in the audit log. The agreement must be in
// force and authorise left.id, right.id and match_probability for the purpose.
Result<ImportResult> ImportHitsFile(FileSystem& fs, const Agreement& agreement, const std::string& hits_path,
                                    const std::string& purpose, Date today, const std::string& case_store_path = "");

// Appends the agreement's signed audit entries, reading its private key.
Result<uint64_t> AppendAudit(FileSystem& fs, const Agreement& agreement, const std::vector<nlohmann::json>& entries);

}  // namespace matchguard
