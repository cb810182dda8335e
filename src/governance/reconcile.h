// The audit log as the source of truth for due process: the case store is a cache that must agree with it.
//
// Every case is opened by a `case` entry (transition `open`, its ids and probability) and every step is a
// `case` entry; every purge is a `destruction` entry. ReconcileCaseStore replays those entries and compares
// them with the store row by row, so a case or step inserted with the sqlite3 shell, a case deleted under a
// fake purge record, a step rewritten after a dropped trigger, or a store file replaced by another all
// surface as a refusal naming the case. The store's triggers stay as a first line; this is the check that
// does not depend on them.
//
// Thread-safety: functions over values and a CaseStore the caller owns.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/audit/log.h"
#include "src/governance/agreement.h"
#include "src/governance/case_store.h"

namespace matchguard {

// A case as the log records it.
struct LoggedCase {
  Case c;
  bool destroyed = false;
};
struct LoggedCases {
  std::map<int64_t, LoggedCase> cases;
  int64_t max_id = 0;  // the largest case id the log ever used (new cases are numbered above it)
};

// Replays the `case` and `destruction` entries of a parsed log. FailedPrecondition when the log itself is
// inconsistent (a step for a case never opened, a case opened twice).
Result<LoggedCases> CasesFromLog(const ParsedLog& log, const std::string& log_path);

// Compares every case, step and purge record of `store` with `logged`. FailedPrecondition names the first
// difference and says the store was changed outside matchguard. A case the log destroyed but the store
// still holds is tolerated (a purge interrupted after its destruction entries; purging again finishes it).
Status ReconcileCaseStore(CaseStore& store, const LoggedCases& logged, const std::string& store_path,
                          const std::string& log_path);

// Reads and verifies the agreement's audit log with its public key (an absent log has no cases).
Result<LoggedCases> VerifiedLoggedCases(FileSystem& fs, const Agreement& agreement);

}  // namespace matchguard
