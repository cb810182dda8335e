#include "src/governance/reconcile.h"

#include <nlohmann/json.hpp>

namespace matchguard {
namespace {

using nlohmann::json;

Status BadLog(const std::string& log_path, uint64_t line, const std::string& what) {
  return Status::FailedPrecondition(log_path + " line " + std::to_string(line) + ": " + what);
}

// The step a `case` entry records, in the store's terms.
Result<Transition> StepOf(const json& e, const std::string& where) {
  auto kind = ParseTransitionKind(StringMember(e, "transition"));
  if (!kind) return Error(Status::FailedPrecondition(where + ": a case entry without a known transition"));
  Transition t;
  t.kind = *kind;
  MG_ASSIGN_OR_RETURN(t.date, Date::Parse(StringMember(e, "date"), where + ": date"));
  t.actor = StringMember(e, "by");
  t.source = StringMember(e, "source");
  t.result = StringMember(e, "result");
  t.channel = StringMember(e, "channel");
  t.outcome = StringMember(e, "outcome");
  return t;
}

Status AddCaseEntry(const json& e, const std::string& log_path, uint64_t line, LoggedCases& out) {
  const std::string where = log_path + " line " + std::to_string(line);
  if (!e.contains("case_id") || !e["case_id"].is_number_integer()) {
    return BadLog(log_path, line, "a case entry without a case_id");
  }
  const int64_t id = e["case_id"].get<int64_t>();
  MG_ASSIGN_OR_RETURN(Transition step, StepOf(e, where));
  auto it = out.cases.find(id);
  if (step.kind == TransitionKind::kOpen) {
    if (it != out.cases.end()) return BadLog(log_path, line, "case " + std::to_string(id) + " is opened twice");
    LoggedCase& logged = out.cases[id];
    logged.c.id = id;
    logged.c.agreement_id = StringMember(e, "agreement");
    logged.c.run_ref = StringMember(e, "run_ref");
    logged.c.left_id = StringMember(e, "left_id");
    logged.c.right_id = StringMember(e, "right_id");
    logged.c.probability = e.value("probability", 0.0);
    logged.c.history.push_back(std::move(step));
    out.max_id = std::max(out.max_id, id);
    return Status::Ok();
  }
  if (it == out.cases.end() || it->second.destroyed) {
    return BadLog(log_path, line, "a step for case " + std::to_string(id) + ", which is not open");
  }
  it->second.c.history.push_back(std::move(step));
  return Status::Ok();
}

bool SameStep(const Transition& a, const Transition& b) {
  return a.kind == b.kind && a.date == b.date && a.actor == b.actor && a.source == b.source && a.result == b.result &&
         a.channel == b.channel && a.outcome == b.outcome;
}

std::string Describe(const Transition& t) { return std::string(TransitionName(t.kind)) + " on " + t.date.ToString(); }

// The first difference between a stored case and the log's, or "" when they agree.
std::string CaseDifference(const Case& stored, const Case& logged) {
  if (stored.agreement_id != logged.agreement_id || stored.left_id != logged.left_id ||
      stored.right_id != logged.right_id || stored.probability != logged.probability) {
    return "its agreement, ids or probability differ from the case the log opened";
  }
  const size_t common = std::min(stored.history.size(), logged.history.size());
  for (size_t i = 0; i < common; ++i) {
    if (!SameStep(stored.history[i], logged.history[i])) {
      return "step " + std::to_string(i + 1) + " (" + Describe(stored.history[i]) + ") differs from the log's (" +
             Describe(logged.history[i]) + ")";
    }
  }
  if (stored.history.size() > common) {
    return "it has a " + Describe(stored.history[common]) + " step that the log does not record";
  }
  if (logged.history.size() > common) {
    return "the log records a " + Describe(logged.history[common]) + " step that the store lacks";
  }
  return "";
}

}  // namespace

Result<LoggedCases> CasesFromLog(const ParsedLog& log, const std::string& log_path) {
  LoggedCases out;
  for (size_t i = 0; i < log.entry_json.size(); ++i) {
    const json& e = log.entry_json[i];
    const std::string kind = StringMember(e, "kind");
    if (kind == "case") {
      MG_RETURN_IF_ERROR(AddCaseEntry(e, log_path, log.entry_lines[i], out));
    } else if (kind == "destruction" && StringMember(e, "what") == "case" && e.contains("case_id") &&
               e["case_id"].is_number_integer()) {
      auto it = out.cases.find(e["case_id"].get<int64_t>());
      if (it != out.cases.end()) it->second.destroyed = true;
    }
  }
  return out;
}

Status ReconcileCaseStore(CaseStore& store, const LoggedCases& logged, const std::string& store_path,
                          const std::string& log_path) {
  auto refuse = [&](int64_t id, const std::string& what) {
    return Status::FailedPrecondition("case store " + store_path + " does not match the audit log " + log_path +
                                      ": case " + std::to_string(id) + ": " + what +
                                      " (the store was changed outside matchguard; the log is the record)");
  };
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> ids, store.CaseIds());
  std::map<int64_t, bool> in_store;
  for (int64_t id : ids) {
    auto it = logged.cases.find(id);
    if (it == logged.cases.end()) return refuse(id, "the log never opened it");
    MG_ASSIGN_OR_RETURN(Case stored, store.Get(id));
    if (std::string diff = CaseDifference(stored, it->second.c); !diff.empty()) return refuse(id, diff);
    in_store[id] = true;
  }
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> orphans, store.OrphanHistoryCaseIds());
  if (!orphans.empty()) return refuse(orphans.front(), "the store holds steps for it but no case");
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> purged, store.PurgedCaseIds());
  for (int64_t id : purged) {
    auto it = logged.cases.find(id);
    if (it == logged.cases.end() || !it->second.destroyed) {
      return refuse(id, "the store records a purge that the log has no destruction entry for");
    }
  }
  for (const auto& [id, c] : logged.cases) {
    if (!c.destroyed && !in_store.contains(id)) {
      return refuse(id, "the log opened it and never destroyed it, but the store lacks it");
    }
  }
  return Status::Ok();
}

Result<LoggedCases> VerifiedLoggedCases(FileSystem& fs, const Agreement& a) {
  if (!fs.Exists(a.audit_log_path)) return LoggedCases{};
  MG_ASSIGN_OR_RETURN(std::string public_pem, fs.ReadFile(a.audit_public_key_path));
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(a.audit_log_path));
  auto verified = VerifyLog(text, a.audit_log_path, public_pem);
  if (!verified) {
    return Error(
        verified.error().WithContext("refusing to use the case store: its record, the audit log, does not verify"));
  }
  MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, a.audit_log_path));
  return CasesFromLog(log, a.audit_log_path);
}

}  // namespace matchguard
