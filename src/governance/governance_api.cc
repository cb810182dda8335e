// Implements include/matchguard/governance.h over the governance layer.
#include "matchguard/governance.h"
#include "src/governance/agreement.h"
#include "src/governance/case_service.h"
#include "src/governance/enforcement.h"
#include "src/governance/oversight.h"
#include "src/governance/reconcile.h"
#include "src/governance/retention.h"

namespace matchguard {
namespace {

Result<Date> DateOrToday(const std::string& text, const char* what) {
  if (text.empty()) return Today();
  return Date::Parse(text, what);
}

CaseView ToView(const Case& c) {
  CaseView v{c.id, c.agreement_id, c.left_id, c.right_id, c.probability, std::string(CaseStateName(c.State())), {}};
  for (const Transition& t : c.history) {
    v.history.push_back(CaseStepView{std::string(TransitionName(t.kind)), t.date.ToString(), t.actor, t.source,
                                     t.result, t.channel, t.outcome});
  }
  return v;
}

Result<Case> LoadCase(FileSystem& fs, const Agreement& a, const std::string& store_path, int64_t case_id) {
  MG_ASSIGN_OR_RETURN(auto store, OpenCaseStore(fs, a, store_path));
  MG_ASSIGN_OR_RETURN(Case c, store->Get(case_id));
  if (c.agreement_id != a.id) {
    return Error(Status::PermissionDenied("case " + std::to_string(case_id) + " belongs to agreement " +
                                          c.agreement_id + ", not " + a.id));
  }
  return c;
}

}  // namespace

Status WriteDemoAgreement(FileSystem& fs, const std::string& path, bool overwrite) {
  if (!overwrite && fs.Exists(path)) {
    return Status::FailedPrecondition(path + " already exists; pass --force to replace it");
  }
  MG_ASSIGN_OR_RETURN(Date today, Today());
  return fs.WriteFileAtomically(path, DemoAgreementToml(today));
}

Result<AgreementSummary> CheckAgreement(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, path));
  MG_ASSIGN_OR_RETURN(Date today, Today());
  AgreementSummary s;
  s.id = a.id;
  s.title = a.title;
  s.source_agency = a.source_agency;
  s.recipient_agency = a.recipient_agency;
  s.match_fields = a.match_fields;
  for (const Purpose& p : a.purposes) s.purposes.push_back({p.name, p.disclose});
  s.left_records = a.left_records;
  s.right_records = a.right_records;
  s.max_volume_factor = a.max_volume_factor;
  s.transmittal = a.transmittal.ToString();
  s.effective = a.effective.ToString();
  s.expiry = a.EndDate().ToString();
  s.renewed = a.renewal.has_value();
  s.notice_period_days = a.notice_period_days;
  s.retention_days = a.retention_days;
  s.case_store_path = a.case_store_path;
  s.audit_log_path = a.audit_log_path;
  s.in_force = PhaseOn(a, today) == AgreementPhase::kInForce;
  s.status = DescribePhase(a, today);
  return s;
}

Result<CasesImportSummary> ImportCases(FileSystem& fs, const CasesImportRequest& r) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, r.agreement_path));
  MG_ASSIGN_OR_RETURN(Date today, Today());
  MG_ASSIGN_OR_RETURN(ImportResult result, ImportHitsFile(fs, a, r.hits_path, r.purpose, today, r.store_path));
  return CasesImportSummary{result.cases_opened, result.first_case_id, result.audit_entries};
}

Result<CaseView> RecordCaseTransition(FileSystem& fs, const CaseTransitionRequest& r) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, r.agreement_path));
  MG_ASSIGN_OR_RETURN(Date today, Today());
  auto kind = ParseTransitionKind(r.transition);
  if (!kind || *kind == TransitionKind::kOpen) {
    return Error(Status::InvalidArgument("unknown transition '" + r.transition +
                                         "' (expected verify, notify, contest or resolve)"));
  }
  Transition t;
  t.kind = *kind;
  MG_ASSIGN_OR_RETURN(t.date, DateOrToday(r.date, "--date"));
  t.actor = r.by;
  t.source = r.source;
  t.result = r.result;
  t.channel = r.channel;
  t.outcome = r.outcome;
  MG_ASSIGN_OR_RETURN(Case c, ApplyTransition(fs, a, r.store_path, r.case_id, t, today));
  return ToView(c);
}

Result<CaseView> ShowCase(FileSystem& fs, const std::string& agreement_path, const std::string& store_path,
                          int64_t case_id) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, agreement_path));
  MG_ASSIGN_OR_RETURN(Case c, LoadCase(fs, a, store_path, case_id));
  return ToView(c);
}

Result<std::vector<CaseView>> ListCases(FileSystem& fs, const std::string& agreement_path,
                                        const std::string& store_path, const std::string& state) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, agreement_path));
  bool known = state.empty();
  for (CaseState s : kAllCaseStates) known = known || CaseStateName(s) == state;
  if (!known) {
    return Error(Status::InvalidArgument(
        "unknown state '" + state + "' (expected raw, confirmed, not_confirmed, notified, contested or resolved)"));
  }
  MG_ASSIGN_OR_RETURN(auto store, OpenCaseStore(fs, a, store_path));
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> ids, store->CaseIds());
  std::vector<CaseView> views;
  for (int64_t id : ids) {
    MG_ASSIGN_OR_RETURN(Case c, store->Get(id));
    if (c.agreement_id != a.id || (!state.empty() && CaseStateName(c.State()) != state)) continue;
    views.push_back(ToView(c));
  }
  return views;
}

Result<ActionAnswer> CaseActionAllowed(FileSystem& fs, const std::string& agreement_path, const std::string& store_path,
                                       int64_t case_id) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, agreement_path));
  MG_ASSIGN_OR_RETURN(Date today, Today());
  MG_ASSIGN_OR_RETURN(Case c, LoadCase(fs, a, store_path, case_id));
  ActionDecision d = DecideAdverseAction(c, a.notice_period_days, today);
  return ActionAnswer{d.allowed, d.reason};
}

Result<PurgeSummary> PurgeRetention(FileSystem& fs, const PurgeRequest& r) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, r.agreement_path));
  MG_ASSIGN_OR_RETURN(Date today, Today());
  MG_ASSIGN_OR_RETURN(PurgeResult result, PurgeExpired(fs, a, r.store_path, today, r.dry_run));
  return PurgeSummary{result.cutoff.ToString(), result.cases, result.outputs, result.dry_run};
}

Result<uint64_t> VerifyCaseStore(FileSystem& fs, const std::string& log_path, const std::string& public_key_path,
                                 const std::string& store_path) {
  // Opening would create an empty store, which must not pass for the one that was there.
  if (!fs.Exists(store_path)) return Error(Status::NotFound("case store " + store_path + " does not exist"));
  MG_ASSIGN_OR_RETURN(std::string public_pem, fs.ReadFile(public_key_path));
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(log_path));
  MG_ASSIGN_OR_RETURN(LogSummary summary, VerifyLog(text, log_path, public_pem));
  (void)summary;
  MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, log_path));
  MG_ASSIGN_OR_RETURN(LoggedCases logged, CasesFromLog(log, log_path));
  MG_ASSIGN_OR_RETURN(auto store, CaseStore::Open(store_path));
  MG_RETURN_IF_ERROR(ReconcileCaseStore(*store, logged, store_path, log_path));
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> ids, store->CaseIds());
  return static_cast<uint64_t>(ids.size());
}

Result<std::string> OversightReport(FileSystem& fs, const OversightRequest& r) {
  MG_ASSIGN_OR_RETURN(Agreement a, LoadAgreement(fs, r.agreement_path));
  Date from = a.effective;
  if (!r.from.empty()) {
    MG_ASSIGN_OR_RETURN(from, Date::Parse(r.from, "--from"));
  }
  MG_ASSIGN_OR_RETURN(Date to, DateOrToday(r.to, "--to"));
  MG_ASSIGN_OR_RETURN(OversightFigures figures, BuildOversight(fs, a, r.store_path, from, to));
  return r.json ? OversightJson(figures) : OversightText(figures);
}

}  // namespace matchguard
