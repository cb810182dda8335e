// The governance public API: matching agreements, due-process cases, retention and the oversight report,
// as the `matchguard agreement`, `cases`, `purge` and `report` commands use them.
//
// Dates are "YYYY-MM-DD" strings; an empty date means today, the UTC date of the system clock (see
// src/audit/date.h: the operator cannot move it). A store_path left empty means the case store named in the agreement. Refusals (an
// agreement not in force, a transition the state machine forbids) are user errors (exit code 2) whose
// messages name the rule. The governed `link` run uses src/governance/enforcement.h directly.
//
// Thread-safety: each function reads or writes files through the given FileSystem (the case store through
// SQLite); one writer at a time per agreement.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

// Writes the demo agreement (see docs/governance.md), in force from today for 18 months. Refuses to replace
// an existing file unless `overwrite`.
Status WriteDemoAgreement(FileSystem& fs, const std::string& path, bool overwrite);

struct AgreementPurposeSummary {
  std::string name;
  std::vector<std::string> disclose;
};
struct AgreementSummary {
  std::string id;
  std::string title;
  std::string source_agency;
  std::string recipient_agency;
  std::vector<std::string> match_fields;
  std::vector<AgreementPurposeSummary> purposes;
  uint64_t left_records = 0;
  uint64_t right_records = 0;
  double max_volume_factor = 0;
  std::string transmittal;
  std::string effective;
  std::string expiry;  // counting a renewal
  bool renewed = false;
  int notice_period_days = 0;
  int retention_days = 0;
  std::string case_store_path;
  std::string audit_log_path;
  bool in_force = false;
  std::string status;  // "in force on ... (from ... to ...)" or why not
};
// Validates the agreement file; errors name the line and key.
Result<AgreementSummary> CheckAgreement(FileSystem& fs, const std::string& path);

struct CasesImportRequest {
  std::string agreement_path;
  std::string hits_path;  // CSV with columns left_id, right_id, probability
  std::string purpose;    // may be empty when the agreement has one purpose
  std::string store_path;
};
struct CasesImportSummary {
  uint64_t cases_opened = 0;
  int64_t first_case_id = 0;
  uint64_t audit_entries = 0;
};
Result<CasesImportSummary> ImportCases(FileSystem& fs, const CasesImportRequest& request);

struct CaseStepView {
  std::string transition;  // open, verify, notify, contest, resolve
  std::string date;
  std::string by;
  std::string source;
  std::string result;
  std::string channel;
  std::string outcome;
};
struct CaseView {
  int64_t id = 0;
  std::string agreement_id;
  std::string left_id;
  std::string right_id;
  double probability = 0;
  std::string state;  // raw, confirmed, not_confirmed, notified, contested, resolved
  std::vector<CaseStepView> history;
};

struct CaseTransitionRequest {
  std::string agreement_path;
  std::string store_path;
  int64_t case_id = 0;
  std::string transition;  // verify, notify, contest or resolve
  std::string date;        // empty: today
  std::string by;          // verify, resolve
  std::string source;      // verify
  std::string result;      // verify: confirmed | not_confirmed
  std::string channel;     // notify
  std::string outcome;     // resolve: upheld | reversed | closed
};
// Applies one transition and writes its audit entry; returns the case afterwards.
Result<CaseView> RecordCaseTransition(FileSystem& fs, const CaseTransitionRequest& request);
Result<CaseView> ShowCase(FileSystem& fs, const std::string& agreement_path, const std::string& store_path,
                          int64_t case_id);
// Cases of the agreement, optionally only those in `state` (empty: all).
Result<std::vector<CaseView>> ListCases(FileSystem& fs, const std::string& agreement_path,
                                        const std::string& store_path, const std::string& state);

struct ActionAnswer {
  bool allowed = false;
  std::string reason;  // the missing condition, or why it is allowed
};
// Whether an adverse action may be taken today on the case (5 U.S.C. 552a(p)).
Result<ActionAnswer> CaseActionAllowed(FileSystem& fs, const std::string& agreement_path, const std::string& store_path,
                                       int64_t case_id);

struct PurgeRequest {
  std::string agreement_path;
  std::string store_path;
  bool dry_run = false;
};
struct PurgeSummary {
  std::string cutoff;  // data last touched before this day was (or would be) destroyed
  std::vector<int64_t> cases;
  std::vector<std::string> outputs;
  bool dry_run = false;
};
Result<PurgeSummary> PurgeRetention(FileSystem& fs, const PurgeRequest& request);

struct OversightRequest {
  std::string agreement_path;
  std::string store_path;
  std::string from;  // empty: the agreement's effective date
  std::string to;    // empty: today
  bool json = false;
};
// Reconciles the case store at `store_path` with the audit log, verified first with `public_key_path`: every
// case, step and purge record must be one the log records, and every case the log opened and did not
// destroy must be in the store. Returns the number of cases in the store; FailedPrecondition names the
// first case that differs. (`audit verify --cases`; every `cases` command runs the same check.)
Result<uint64_t> VerifyCaseStore(FileSystem& fs, const std::string& log_path, const std::string& public_key_path,
                                 const std::string& store_path);

// The oversight report as text or JSON.
Result<std::string> OversightReport(FileSystem& fs, const OversightRequest& request);

}  // namespace matchguard
