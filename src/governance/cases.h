// Due-process cases (5 U.S.C. 552a(p)): each hit of a governed run becomes a case in state `raw`; a case
// moves only by appending transitions, and an adverse action is allowed only once the hit was
// independently verified as confirmed, the person was notified, the notice period has passed, and no
// contest is open.
//
//   raw --verify(confirmed)--> confirmed --notify--> notified --contest--> contested --resolve--> resolved
//   raw --verify(not_confirmed)--> not_confirmed --resolve--> resolved        notified --resolve--> resolved
//
// These are pure rules over a case's history; case_store.h keeps the history in SQLite.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/status.h"
#include "src/audit/date.h"

namespace matchguard {

enum class CaseState { kRaw, kConfirmed, kNotConfirmed, kNotified, kContested, kResolved };
inline constexpr CaseState kAllCaseStates[] = {CaseState::kRaw,      CaseState::kConfirmed, CaseState::kNotConfirmed,
                                               CaseState::kNotified, CaseState::kContested, CaseState::kResolved};
enum class TransitionKind { kOpen, kVerify, kNotify, kContest, kResolve };

std::string_view CaseStateName(CaseState state);
std::string_view TransitionName(TransitionKind kind);
std::optional<TransitionKind> ParseTransitionKind(std::string_view name);

struct Transition {
  TransitionKind kind = TransitionKind::kOpen;
  Date date;
  std::string actor;     // verify, resolve: who (a staff id, never the subject's name)
  std::string source;    // verify: the independent source consulted
  std::string result;    // verify: "confirmed" or "not_confirmed"
  std::string channel;   // notify: "mail", "email", "in_person", ...
  std::string outcome;   // resolve: "upheld", "reversed" or "closed"
  int64_t sequence = 0;  // position in the store's history, set when stored
};

struct Case {
  int64_t id = 0;
  std::string agreement_id;
  std::string run_ref;  // what produced the hit (the run's audit entry or the imported file's hash)
  std::string left_id;
  std::string right_id;
  double probability = 0;
  std::vector<Transition> history;  // oldest first; the first is kOpen

  CaseState State() const;
  Date Opened() const { return history.empty() ? Date() : history.front().date; }
  Date LastActivity() const { return history.empty() ? Date() : history.back().date; }
};

// Checks that `next` may follow the case's history on `today`: the state machine, the transition's own
// fields, and its date (not before the last transition, not after today). Errors name the case and rule.
Status CheckTransition(const Case& c, const Transition& next, Date today);

struct ActionDecision {
  bool allowed = false;
  std::string reason;  // when not allowed: the first missing condition; when allowed: why
};
ActionDecision DecideAdverseAction(const Case& c, int notice_period_days, Date today);

}  // namespace matchguard
