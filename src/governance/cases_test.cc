#include "src/governance/cases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

const Date kDay0 = Date::FromCivil(2026, 1, 5);

Transition Step(TransitionKind kind, int day, const std::string& detail = "") {
  Transition t;
  t.kind = kind;
  t.date = kDay0.AddDays(day);
  if (kind == TransitionKind::kVerify) {
    t.actor = "analyst-7";
    t.source = "certified death record";
    t.result = detail.empty() ? "confirmed" : detail;
  }
  if (kind == TransitionKind::kNotify) t.channel = "mail";
  if (kind == TransitionKind::kResolve) {
    t.actor = "officer-2";
    t.outcome = detail.empty() ? "upheld" : detail;
  }
  return t;
}

// A case brought to `state` through legal steps, one day apart.
Case CaseIn(CaseState state) {
  Case c;
  c.id = 1;
  c.history.push_back(Step(TransitionKind::kOpen, 0));
  auto add = [&](TransitionKind k, const std::string& d = "") {
    c.history.push_back(Step(k, static_cast<int>(c.history.size()), d));
  };
  switch (state) {
    case CaseState::kRaw:
      break;
    case CaseState::kNotConfirmed:
      add(TransitionKind::kVerify, "not_confirmed");
      break;
    case CaseState::kResolved:
      add(TransitionKind::kVerify, "not_confirmed");
      add(TransitionKind::kResolve, "closed");
      break;
    case CaseState::kContested:
    case CaseState::kNotified:
    case CaseState::kConfirmed:
      add(TransitionKind::kVerify);
      if (state != CaseState::kConfirmed) add(TransitionKind::kNotify);
      if (state == CaseState::kContested) add(TransitionKind::kContest);
      break;
  }
  EXPECT_EQ(c.State(), state);
  return c;
}

// Every (state, transition) pair: the legal ones are exactly those of the diagram in cases.h.
TEST(CasesTest, StateMachineIsExhaustivelyEnforced) {
  const std::map<std::pair<CaseState, TransitionKind>, CaseState> legal = {
      {{CaseState::kRaw, TransitionKind::kVerify}, CaseState::kConfirmed},
      {{CaseState::kConfirmed, TransitionKind::kNotify}, CaseState::kNotified},
      {{CaseState::kNotified, TransitionKind::kContest}, CaseState::kContested},
      {{CaseState::kNotified, TransitionKind::kResolve}, CaseState::kResolved},
      {{CaseState::kContested, TransitionKind::kResolve}, CaseState::kResolved},
      {{CaseState::kNotConfirmed, TransitionKind::kResolve}, CaseState::kResolved},
  };
  const TransitionKind kinds[] = {TransitionKind::kOpen, TransitionKind::kVerify, TransitionKind::kNotify,
                                  TransitionKind::kContest, TransitionKind::kResolve};
  int legal_seen = 0, refused_seen = 0;
  for (CaseState state : kAllCaseStates) {
    for (TransitionKind kind : kinds) {
      Case c = CaseIn(state);
      Transition next = Step(kind, 20);
      Status s = CheckTransition(c, next, kDay0.AddDays(30));
      auto it = legal.find({state, kind});
      if (it == legal.end()) {
        ASSERT_FALSE(s.ok()) << CaseStateName(state) << " + " << TransitionName(kind);
        EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
        EXPECT_THAT(s.message(), HasSubstr("case 1 is " + std::string(CaseStateName(state)) + ": " +
                                           std::string(TransitionName(kind)) + " is not allowed"));
        ++refused_seen;
      } else {
        ASSERT_TRUE(s.ok()) << s.message();
        c.history.push_back(next);
        EXPECT_EQ(c.State(), it->second);
        ++legal_seen;
      }
    }
  }
  EXPECT_EQ(legal_seen, 6);
  EXPECT_EQ(refused_seen, 6 * 5 - 6);
  // verify with not_confirmed leads elsewhere.
  Case c = CaseIn(CaseState::kRaw);
  c.history.push_back(Step(TransitionKind::kVerify, 1, "not_confirmed"));
  EXPECT_EQ(c.State(), CaseState::kNotConfirmed);
}

TEST(CasesTest, TransitionsNeedTheirFieldsAndOrderedDates) {
  Case raw = CaseIn(CaseState::kRaw);
  Transition v = Step(TransitionKind::kVerify, 1);
  v.source.clear();
  EXPECT_THAT(CheckTransition(raw, v, kDay0.AddDays(5)).message(), HasSubstr("verify needs --source"));
  v = Step(TransitionKind::kVerify, 1, "maybe");
  EXPECT_THAT(CheckTransition(raw, v, kDay0.AddDays(5)).message(), HasSubstr("confirmed or not_confirmed"));
  v = Step(TransitionKind::kVerify, 10);
  EXPECT_THAT(CheckTransition(raw, v, kDay0.AddDays(5)).message(), HasSubstr("is after today"));
  Case confirmed = CaseIn(CaseState::kConfirmed);  // verified on day 1
  Transition n = Step(TransitionKind::kNotify, 0);
  EXPECT_THAT(CheckTransition(confirmed, n, kDay0.AddDays(5)).message(), HasSubstr("is before the case's last step"));
  n.channel.clear();
  n.date = kDay0.AddDays(2);
  EXPECT_THAT(CheckTransition(confirmed, n, kDay0.AddDays(5)).message(), HasSubstr("notify needs --channel"));
  Transition r = Step(TransitionKind::kResolve, 9, "forgotten");
  EXPECT_THAT(CheckTransition(CaseIn(CaseState::kContested), r, kDay0.AddDays(10)).message(),
              HasSubstr("upheld, reversed or closed"));
}

TEST(CasesTest, AdverseActionNeedsEveryConditionAndNamesTheMissingOne) {
  const int notice = 30;
  const Date late = kDay0.AddDays(100);
  EXPECT_EQ(DecideAdverseAction(CaseIn(CaseState::kRaw), notice, late).reason, "not independently verified yet");
  EXPECT_EQ(DecideAdverseAction(CaseIn(CaseState::kNotConfirmed), notice, late).reason,
            "independent verification did not confirm the match");
  EXPECT_EQ(DecideAdverseAction(CaseIn(CaseState::kConfirmed), notice, late).reason,
            "the individual has not been notified");
  Case notified = CaseIn(CaseState::kNotified);  // notified on day 2
  ActionDecision early = DecideAdverseAction(notified, notice, kDay0.AddDays(31));
  EXPECT_FALSE(early.allowed);
  EXPECT_EQ(early.reason, "the notice period runs until 2026-02-06 (30 days from the notice on 2026-01-07)");
  ActionDecision due = DecideAdverseAction(notified, notice, kDay0.AddDays(32));
  EXPECT_TRUE(due.allowed) << due.reason;
  Case contested = CaseIn(CaseState::kContested);
  EXPECT_EQ(DecideAdverseAction(contested, notice, late).reason, "a contest filed on 2026-01-08 is open");
  Case upheld = contested;
  upheld.history.push_back(Step(TransitionKind::kResolve, 50, "upheld"));
  EXPECT_TRUE(DecideAdverseAction(upheld, notice, late).allowed);
  Case reversed = contested;
  reversed.history.push_back(Step(TransitionKind::kResolve, 50, "reversed"));
  EXPECT_EQ(DecideAdverseAction(reversed, notice, late).reason, "the case was resolved as reversed");
}

}  // namespace
}  // namespace matchguard
