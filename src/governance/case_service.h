// Case transitions with their audit entries: the operations `matchguard cases` performs on a case store
// under an agreement. Each transition is checked against the state machine (cases.h), appended to the
// store's history and written to the agreement's audit log, together or not at all.
//
// Thread-safety: one writer per case store and audit log.
#pragma once

#include <memory>
#include <string>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/governance/agreement.h"
#include "src/governance/case_store.h"
#include "src/governance/cases.h"
#include "src/governance/reconcile.h"

namespace matchguard {

// Applies `transition` to case `case_id`; returns the case afterwards. `store_path` overrides the
// agreement's case store when not empty.
Result<Case> ApplyTransition(FileSystem& fs, const Agreement& agreement, const std::string& store_path, int64_t case_id,
                             const Transition& transition, Date today);

// Opens the agreement's case store (or `store_path`) and reconciles it with the agreement's verified audit
// log (reconcile.h): a store the log does not back is refused. `logged`, when given, receives the log's cases.
Result<std::unique_ptr<CaseStore>> OpenCaseStore(FileSystem& fs, const Agreement& agreement,
                                                 const std::string& store_path, LoggedCases* logged = nullptr);

}  // namespace matchguard
