// CaseStore: the SQLite file that holds due-process cases and their append-only history.
//
// Cases and transitions are only ever inserted: triggers abort any UPDATE, and any DELETE of a case or of
// its history unless a purge of that case has been recorded first (retention, see retention.h). So no
// transition can rewrite or remove an earlier one, even from outside matchguard through the sqlite3 shell.
// SQLite reads and writes its file itself: this is the one store that does not go through FileSystem.
//
// Thread-safety: a CaseStore belongs to one thread. Callers wrap multi-step changes in Begin/Commit.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "matchguard/status.h"
#include "src/governance/cases.h"

namespace matchguard {

struct MatchHit {
  std::string left_id;
  std::string right_id;
  double probability = 0;
};

class CaseStore {
 public:
  // Opens or creates the store (":memory:" for tests) and its schema.
  static Result<std::unique_ptr<CaseStore>> Open(const std::string& path);
  ~CaseStore();
  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  Status Begin();
  Status Commit();
  void Rollback();

  // Opens one case per hit, each with an `open` transition dated `opened`, numbered above both `above` (the
  // largest id the audit log ever used) and every id this store ever used. Returns the new case ids.
  Result<std::vector<int64_t>> OpenCases(const std::string& agreement_id, const std::string& run_ref,
                                         const std::vector<MatchHit>& hits, Date opened, int64_t above = 0);
  // The case of the agreement already open on this pair of records, if any.
  Result<std::optional<int64_t>> FindCase(const std::string& agreement_id, const MatchHit& hit);
  // NotFound when there is no such case.
  Result<Case> Get(int64_t case_id);
  Result<std::vector<int64_t>> CaseIds();
  // Cases whose purge is recorded, and case ids that have steps but no case row (for reconciliation).
  Result<std::vector<int64_t>> PurgedCaseIds();
  Result<std::vector<int64_t>> OrphanHistoryCaseIds();
  // Appends `t` to the case's history (the caller has checked it with CheckTransition).
  Result<int64_t> Append(int64_t case_id, const Transition& t);
  // Records the purge of a case and then deletes it with its history.
  Status Purge(int64_t case_id, Date date, const std::string& reason);
  // Runs raw SQL; for tests that prove the triggers hold.
  Status ExecForTest(const std::string& sql);

 private:
  CaseStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Exec(const char* sql);
  Result<std::vector<int64_t>> Ids(const char* sql);
  Status Fail(const std::string& what) const;

  sqlite3* db_;
  std::string path_;
};

}  // namespace matchguard
