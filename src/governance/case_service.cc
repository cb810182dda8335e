#include "src/governance/case_service.h"

#include <nlohmann/json.hpp>

#include "src/governance/enforcement.h"

namespace matchguard {

Result<std::unique_ptr<CaseStore>> OpenCaseStore(FileSystem& fs, const Agreement& agreement,
                                                 const std::string& store_path, LoggedCases* logged) {
  const std::string& path = store_path.empty() ? agreement.case_store_path : store_path;
  MG_ASSIGN_OR_RETURN(LoggedCases from_log, VerifiedLoggedCases(fs, agreement));
  MG_ASSIGN_OR_RETURN(auto store, CaseStore::Open(path));
  MG_RETURN_IF_ERROR(ReconcileCaseStore(*store, from_log, path, agreement.audit_log_path));
  if (logged != nullptr) *logged = std::move(from_log);
  return store;
}

Result<Case> ApplyTransition(FileSystem& fs, const Agreement& agreement, const std::string& store_path, int64_t case_id,
                             const Transition& transition, Date today) {
  MG_ASSIGN_OR_RETURN(auto store, OpenCaseStore(fs, agreement, store_path));
  MG_RETURN_IF_ERROR(store->Begin());
  auto fail = [&](Status status) -> Result<Case> {
    store->Rollback();
    return Error(std::move(status));
  };
  auto before = store->Get(case_id);
  if (!before) return fail(before.error());
  if (before->agreement_id != agreement.id) {
    return fail(Status::PermissionDenied("case " + std::to_string(case_id) + " belongs to agreement " +
                                         before->agreement_id + ", not " + agreement.id));
  }
  if (Status s = CheckTransition(*before, transition, today); !s.ok()) return fail(s);
  auto seq = store->Append(case_id, transition);
  if (!seq) return fail(seq.error());
  Case after = std::move(*before);
  after.history.push_back(transition);
  after.history.back().sequence = *seq;
  nlohmann::json entry{{"kind", "case"},
                       {"agreement", agreement.id},
                       {"case_id", case_id},
                       {"transition", std::string(TransitionName(transition.kind))},
                       {"state", std::string(CaseStateName(after.State()))},
                       {"date", transition.date.ToString()}};
  const std::pair<const char*, const std::string*> optional_fields[] = {{"by", &transition.actor},
                                                                        {"source", &transition.source},
                                                                        {"result", &transition.result},
                                                                        {"channel", &transition.channel},
                                                                        {"outcome", &transition.outcome}};
  for (const auto& [key, value] : optional_fields) {
    if (!value->empty()) entry[key] = *value;
  }
  auto logged = AppendAudit(fs, agreement, {entry});
  if (!logged) return fail(logged.error());
  MG_RETURN_IF_ERROR(store->Commit());
  return after;
}

}  // namespace matchguard
