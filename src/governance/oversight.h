// The oversight report for the Data Integrity Board (5 U.S.C. 552a(u)): what the governed runs did under
// one agreement over a period, computed from the verified audit log and the case store.
//
// Thread-safety: functions over values and files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/governance/agreement.h"

namespace matchguard {

struct RunFigures {
  std::string date;
  std::string kind;  // "run" or "import"
  uint64_t hits = 0;
  double threshold = 0;
  std::optional<double> estimated_false_match_rate;
};

struct OversightFigures {
  std::string agreement_id;
  std::string title;
  std::string phase;  // DescribePhase on the report's end date
  Date from;
  Date to;
  uint64_t runs = 0;             // governed runs and imports
  uint64_t records_matched = 0;  // left + right records over the runs
  uint64_t raw_hits = 0;
  uint64_t verified_confirmed = 0;
  uint64_t verified_not_confirmed = 0;
  uint64_t notices = 0;
  uint64_t contests = 0;
  uint64_t reversals = 0;
  uint64_t adverse_actions_allowed = 0;  // cases for which action is allowed on `to`
  uint64_t cases_destroyed = 0;
  uint64_t outputs_destroyed = 0;
  std::vector<RunFigures> run_list;
  uint64_t audit_entries = 0;
  std::string audit_root;  // root of the verified log: publish it to detect later truncation
};

// Verifies the agreement's audit log with its public key, then counts the entries dated within
// [from, to]. `store_path` overrides the agreement's case store when not empty.
Result<OversightFigures> BuildOversight(FileSystem& fs, const Agreement& agreement, const std::string& store_path,
                                        Date from, Date to);
std::string OversightText(const OversightFigures& figures);
std::string OversightJson(const OversightFigures& figures);

}  // namespace matchguard
