#include "src/governance/cases.h"

namespace matchguard {
namespace {

constexpr std::string_view kStateNames[] = {"raw", "confirmed", "not_confirmed", "notified", "contested", "resolved"};
constexpr std::string_view kTransitionNames[] = {"open", "verify", "notify", "contest", "resolve"};

// The state each transition may start from, and the state it leads to (verify depends on its result).
bool Allowed(CaseState from, TransitionKind kind) {
  switch (kind) {
    case TransitionKind::kOpen:
      return false;  // only an import opens a case
    case TransitionKind::kVerify:
      return from == CaseState::kRaw;
    case TransitionKind::kNotify:
      return from == CaseState::kConfirmed;
    case TransitionKind::kContest:
      return from == CaseState::kNotified;
    case TransitionKind::kResolve:
      return from == CaseState::kContested || from == CaseState::kNotConfirmed || from == CaseState::kNotified;
  }
  return false;
}

CaseState After(CaseState from, const Transition& t) {
  switch (t.kind) {
    case TransitionKind::kOpen:
      return CaseState::kRaw;
    case TransitionKind::kVerify:
      return t.result == "confirmed" ? CaseState::kConfirmed : CaseState::kNotConfirmed;
    case TransitionKind::kNotify:
      return CaseState::kNotified;
    case TransitionKind::kContest:
      return CaseState::kContested;
    case TransitionKind::kResolve:
      return CaseState::kResolved;
  }
  return from;
}

std::string CaseLabel(const Case& c) { return "case " + std::to_string(c.id); }

Status CheckFields(const Case& c, const Transition& t) {
  auto need = [&](const std::string& value, const char* flag, const char* what) {
    return value.empty() ? Status::InvalidArgument(CaseLabel(c) + ": " + std::string(TransitionName(t.kind)) +
                                                   " needs " + flag + " (" + what + ")")
                         : Status::Ok();
  };
  switch (t.kind) {
    case TransitionKind::kVerify:
      MG_RETURN_IF_ERROR(need(t.actor, "--by", "who verified"));
      MG_RETURN_IF_ERROR(need(t.source, "--source", "the independent source consulted"));
      if (t.result != "confirmed" && t.result != "not_confirmed") {
        return Status::InvalidArgument(CaseLabel(c) + ": verify --result must be confirmed or not_confirmed");
      }
      return Status::Ok();
    case TransitionKind::kNotify:
      return need(t.channel, "--channel", "how the notice was sent");
    case TransitionKind::kResolve:
      MG_RETURN_IF_ERROR(need(t.actor, "--by", "who resolved it"));
      if (t.outcome != "upheld" && t.outcome != "reversed" && t.outcome != "closed") {
        return Status::InvalidArgument(CaseLabel(c) + ": resolve --outcome must be upheld, reversed or closed");
      }
      return Status::Ok();
    case TransitionKind::kOpen:
    case TransitionKind::kContest:
      return Status::Ok();
  }
  return Status::Ok();
}

const Transition* Last(const Case& c, TransitionKind kind) {
  for (auto it = c.history.rbegin(); it != c.history.rend(); ++it) {
    if (it->kind == kind) return &*it;
  }
  return nullptr;
}

}  // namespace

std::string_view CaseStateName(CaseState state) { return kStateNames[static_cast<size_t>(state)]; }
std::string_view TransitionName(TransitionKind kind) { return kTransitionNames[static_cast<size_t>(kind)]; }

std::optional<TransitionKind> ParseTransitionKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kTransitionNames); ++i) {
    if (kTransitionNames[i] == name) return static_cast<TransitionKind>(i);
  }
  return std::nullopt;
}

CaseState Case::State() const {
  CaseState state = CaseState::kRaw;
  for (const Transition& t : history) state = After(state, t);
  return state;
}

Status CheckTransition(const Case& c, const Transition& next, Date today) {
  const CaseState state = c.State();
  if (!Allowed(state, next.kind)) {
    return Status::FailedPrecondition(CaseLabel(c) + " is " + std::string(CaseStateName(state)) + ": " +
                                      std::string(TransitionName(next.kind)) + " is not allowed from that state");
  }
  MG_RETURN_IF_ERROR(CheckFields(c, next));
  if (next.date > today) {
    return Status::InvalidArgument(CaseLabel(c) + ": the date " + next.date.ToString() + " is after today (" +
                                   today.ToString() + ")");
  }
  if (next.date < c.LastActivity()) {
    return Status::InvalidArgument(CaseLabel(c) + ": the date " + next.date.ToString() +
                                   " is before the case's last step on " + c.LastActivity().ToString() +
                                   "; history is recorded in order");
  }
  return Status::Ok();
}

ActionDecision DecideAdverseAction(const Case& c, int notice_period_days, Date today) {
  const Transition* verify = Last(c, TransitionKind::kVerify);
  if (verify == nullptr) return {false, "not independently verified yet"};
  if (verify->result != "confirmed") return {false, "independent verification did not confirm the match"};
  const Transition* notify = Last(c, TransitionKind::kNotify);
  if (notify == nullptr) return {false, "the individual has not been notified"};
  const Date ends = notify->date.AddDays(notice_period_days);
  if (today < ends) {
    return {false, "the notice period runs until " + ends.ToString() + " (" + std::to_string(notice_period_days) +
                       " days from the notice on " + notify->date.ToString() + ")"};
  }
  if (c.State() == CaseState::kContested) {
    return {false, "a contest filed on " + Last(c, TransitionKind::kContest)->date.ToString() + " is open"};
  }
  if (const Transition* resolve = Last(c, TransitionKind::kResolve);
      resolve != nullptr && resolve->outcome != "upheld") {
    return {false, "the case was resolved as " + resolve->outcome};
  }
  return {true, "verified as confirmed on " + verify->date.ToString() + ", notified on " + notify->date.ToString() +
                    ", notice period ended " + ends.ToString() + ", no open contest"};
}

}  // namespace matchguard
