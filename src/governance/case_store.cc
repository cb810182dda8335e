#include "src/governance/case_store.h"

#include <algorithm>

namespace matchguard {
namespace {

constexpr const char* kSchema = R"sql(
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS cases(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  agreement_id TEXT NOT NULL,
  run_ref TEXT NOT NULL,
  left_id TEXT NOT NULL,
  right_id TEXT NOT NULL,
  probability REAL NOT NULL);
CREATE TABLE IF NOT EXISTS transitions(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  actor TEXT NOT NULL,
  source TEXT NOT NULL,
  result TEXT NOT NULL,
  channel TEXT NOT NULL,
  outcome TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS purges(
  case_id INTEGER PRIMARY KEY,
  date TEXT NOT NULL,
  reason TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS transitions_by_case ON transitions(case_id, seq);
CREATE TRIGGER IF NOT EXISTS transitions_append_only BEFORE UPDATE ON transitions
  BEGIN SELECT RAISE(ABORT, 'case history is append-only'); END;
CREATE TRIGGER IF NOT EXISTS transitions_kept BEFORE DELETE ON transitions
  WHEN NOT EXISTS (SELECT 1 FROM purges WHERE case_id = OLD.case_id)
  BEGIN SELECT RAISE(ABORT, 'case history is append-only; only a recorded purge removes it'); END;
CREATE TRIGGER IF NOT EXISTS cases_append_only BEFORE UPDATE ON cases
  BEGIN SELECT RAISE(ABORT, 'cases are append-only'); END;
CREATE TRIGGER IF NOT EXISTS cases_kept BEFORE DELETE ON cases
  WHEN NOT EXISTS (SELECT 1 FROM purges WHERE case_id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'cases are append-only; only a recorded purge removes one'); END;
CREATE TRIGGER IF NOT EXISTS purges_append_only BEFORE UPDATE ON purges
  BEGIN SELECT RAISE(ABORT, 'purge records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS purges_kept BEFORE DELETE ON purges
  BEGIN SELECT RAISE(ABORT, 'purge records are append-only'); END;
)sql";

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void Bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void Bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) {
    const unsigned char* text = sqlite3_column_text(stmt_, col);
    return text == nullptr ? std::string()
                           : std::string(reinterpret_cast<const char*>(text),
                                         static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

}  // namespace

Result<std::unique_ptr<CaseStore>> CaseStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open case store " + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return Error(Status::IoError(message));
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<CaseStore> store(new CaseStore(db, path));
  MG_RETURN_IF_ERROR(store->Exec(kSchema));
  return store;
}

CaseStore::~CaseStore() { sqlite3_close(db_); }

Status CaseStore::Fail(const std::string& what) const {
  return Status::IoError("case store " + path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

Status CaseStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "unknown error";
    sqlite3_free(error);
    // A trigger's refusal is a rule the caller broke, not an I/O failure.
    if (message.find("append-only") != std::string::npos) {
      return Status::PermissionDenied("case store " + path_ + ": " + message);
    }
    return Status::IoError("case store " + path_ + ": " + message);
  }
  return Status::Ok();
}

Status CaseStore::ExecForTest(const std::string& sql) { return Exec(sql.c_str()); }
Status CaseStore::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status CaseStore::Commit() { return Exec("COMMIT"); }
void CaseStore::Rollback() { (void)Exec("ROLLBACK"); }

Result<std::vector<int64_t>> CaseStore::OpenCases(const std::string& agreement_id, const std::string& run_ref,
                                                  const std::vector<MatchHit>& hits, Date opened, int64_t above) {
  // A replaced or emptied store would otherwise number from 1 again and reuse ids the log already holds.
  Statement last(db_, "SELECT IFNULL(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'cases'");
  if (!last.ok() || last.Step() != SQLITE_ROW) return Error(Fail("read the last case id"));
  int64_t next = std::max(above, last.Int(0)) + 1;
  Statement insert(db_,
                   "INSERT INTO cases(id, agreement_id, run_ref, left_id, right_id, probability) VALUES(?,?,?,?,?,?)");
  if (!insert.ok()) return Error(Fail("prepare"));
  std::vector<int64_t> ids;
  ids.reserve(hits.size());
  Transition open;
  open.kind = TransitionKind::kOpen;
  open.date = opened;
  for (const MatchHit& hit : hits) {
    insert.Reset();
    insert.Bind(1, next++);
    insert.Bind(2, agreement_id);
    insert.Bind(3, run_ref);
    insert.Bind(4, hit.left_id);
    insert.Bind(5, hit.right_id);
    insert.Bind(6, hit.probability);
    if (insert.Step() != SQLITE_DONE) return Error(Fail("insert case"));
    ids.push_back(sqlite3_last_insert_rowid(db_));
    MG_ASSIGN_OR_RETURN(int64_t seq, Append(ids.back(), open));
    (void)seq;
  }
  return ids;
}

Result<int64_t> CaseStore::Append(int64_t case_id, const Transition& t) {
  Statement insert(db_,
                   "INSERT INTO transitions(case_id, kind, date, actor, source, result, channel, outcome) "
                   "VALUES(?,?,?,?,?,?,?,?)");
  if (!insert.ok()) return Error(Fail("prepare"));
  insert.Bind(1, case_id);
  insert.Bind(2, std::string(TransitionName(t.kind)));
  insert.Bind(3, t.date.ToString());
  insert.Bind(4, t.actor);
  insert.Bind(5, t.source);
  insert.Bind(6, t.result);
  insert.Bind(7, t.channel);
  insert.Bind(8, t.outcome);
  if (insert.Step() != SQLITE_DONE) return Error(Fail("append transition"));
  return sqlite3_last_insert_rowid(db_);
}

Result<Case> CaseStore::Get(int64_t case_id) {
  Statement select(db_, "SELECT agreement_id, run_ref, left_id, right_id, probability FROM cases WHERE id = ?");
  if (!select.ok()) return Error(Fail("prepare"));
  select.Bind(1, case_id);
  if (select.Step() != SQLITE_ROW) {
    return Error(Status::NotFound("case store " + path_ + " has no case " + std::to_string(case_id)));
  }
  Case c;
  c.id = case_id;
  c.agreement_id = select.Text(0);
  c.run_ref = select.Text(1);
  c.left_id = select.Text(2);
  c.right_id = select.Text(3);
  c.probability = select.Real(4);
  Statement history(db_,
                    "SELECT seq, kind, date, actor, source, result, channel, outcome FROM transitions "
                    "WHERE case_id = ? ORDER BY seq");
  if (!history.ok()) return Error(Fail("prepare"));
  history.Bind(1, case_id);
  while (history.Step() == SQLITE_ROW) {
    Transition t;
    t.sequence = history.Int(0);
    auto kind = ParseTransitionKind(history.Text(1));
    auto date = Date::Parse(history.Text(2), "case store date");
    if (!kind || !date)
      return Error(Status::FailedPrecondition("case store " + path_ + ": case " + std::to_string(case_id) +
                                              " has a corrupt transition"));
    t.kind = *kind;
    t.date = *date;
    t.actor = history.Text(3);
    t.source = history.Text(4);
    t.result = history.Text(5);
    t.channel = history.Text(6);
    t.outcome = history.Text(7);
    c.history.push_back(std::move(t));
  }
  return c;
}

Result<std::vector<int64_t>> CaseStore::CaseIds() { return Ids("SELECT id FROM cases ORDER BY id"); }

Result<std::optional<int64_t>> CaseStore::FindCase(const std::string& agreement_id, const MatchHit& hit) {
  Statement select(db_, "SELECT id FROM cases WHERE agreement_id = ? AND left_id = ? AND right_id = ? LIMIT 1");
  if (!select.ok()) return Error(Fail("prepare"));
  select.Bind(1, agreement_id);
  select.Bind(2, hit.left_id);
  select.Bind(3, hit.right_id);
  if (select.Step() != SQLITE_ROW) return std::optional<int64_t>();
  return std::optional<int64_t>(select.Int(0));
}

Result<std::vector<int64_t>> CaseStore::PurgedCaseIds() { return Ids("SELECT case_id FROM purges ORDER BY case_id"); }

Result<std::vector<int64_t>> CaseStore::OrphanHistoryCaseIds() {
  return Ids("SELECT DISTINCT case_id FROM transitions WHERE case_id NOT IN (SELECT id FROM cases) ORDER BY case_id");
}

Result<std::vector<int64_t>> CaseStore::Ids(const char* sql) {
  Statement select(db_, sql);
  if (!select.ok()) return Error(Fail("prepare"));
  std::vector<int64_t> ids;
  while (select.Step() == SQLITE_ROW) ids.push_back(select.Int(0));
  return ids;
}

Status CaseStore::Purge(int64_t case_id, Date date, const std::string& reason) {
  Statement record(db_, "INSERT INTO purges(case_id, date, reason) VALUES(?,?,?)");
  if (!record.ok()) return Fail("prepare");
  record.Bind(1, case_id);
  record.Bind(2, date.ToString());
  record.Bind(3, reason);
  if (record.Step() != SQLITE_DONE) return Fail("record purge");
  Statement history(db_, "DELETE FROM transitions WHERE case_id = ?");
  history.Bind(1, case_id);
  if (history.Step() != SQLITE_DONE) return Fail("purge history");
  Statement item(db_, "DELETE FROM cases WHERE id = ?");
  item.Bind(1, case_id);
  if (item.Step() != SQLITE_DONE) return Fail("purge case");
  return Status::Ok();
}

}  // namespace matchguard
