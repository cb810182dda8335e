// `matchguard cases`: due process for the hits of governed runs (5 U.S.C. 552a(p)).
//
//   matchguard cases import   --agreement A.toml HITS.csv [--purpose P]
//   matchguard cases verify   CASE --agreement A.toml --by WHO --source SRC --result confirmed|not_confirmed [--date D]
//   matchguard cases notify   CASE --agreement A.toml --channel mail [--date D]
//   matchguard cases contest  CASE --agreement A.toml [--date D]
//   matchguard cases resolve  CASE --agreement A.toml --by WHO --outcome upheld|reversed|closed [--date D]
//   matchguard cases show     CASE --agreement A.toml
//   matchguard cases list     --agreement A.toml [--state STATE]
//   matchguard cases action-allowed CASE --agreement A.toml
// Every command takes --store PATH to use another case store than the agreement's.
#include <cstdio>
#include <memory>
#include <string>

#include "command.h"
#include "matchguard/file_system.h"
#include "matchguard/governance.h"
#include "matchguard/safe_text.h"

namespace {

using matchguard::cli::CommandSpec;
using matchguard::cli::Runner;

struct Common {
  std::string agreement;
  std::string store;
  int64_t case_id = 0;
};

void AddCommon(CLI::App& app, Common& c, bool with_case) {
  if (with_case) app.add_option("case", c.case_id, "Case number")->required();
  app.add_option("--agreement", c.agreement, "Agreement file (TOML)")->required();
  app.add_option("--store", c.store, "Case store (default: the agreement's)");
}

// Ids and history come from a store that files fed: escaped, so a stored newline cannot print a forged case.
void PrintCase(const matchguard::CaseView& c, bool with_history) {
  using matchguard::EscapeControlCharacters;
  std::printf("case %lld: %s, left %s, right %s, probability %.4f\n", static_cast<long long>(c.id),
              EscapeControlCharacters(c.state).c_str(), EscapeControlCharacters(c.left_id).c_str(),
              EscapeControlCharacters(c.right_id).c_str(), c.probability);
  if (!with_history) return;
  for (const auto& s : c.history) {
    std::printf("  %s %-8s", s.date.c_str(), s.transition.c_str());
    const std::pair<const char*, const std::string*> parts[] = {
        {"by", &s.by}, {"source", &s.source}, {"result", &s.result}, {"channel", &s.channel}, {"outcome", &s.outcome}};
    for (const auto& [label, value] : parts) {
      if (!value->empty()) std::printf(" %s=%s", label, EscapeControlCharacters(*value).c_str());
    }
    std::printf("\n");
  }
}

Runner SetUpImport(CLI::App& app) {
  auto r = std::make_shared<matchguard::CasesImportRequest>();
  app.add_option("hits", r->hits_path, "CSV of hits: left_id, right_id, probability")->required();
  app.add_option("--agreement", r->agreement_path, "Agreement file (TOML)")->required();
  app.add_option("--purpose", r->purpose, "Purpose name (default: the agreement's only purpose)");
  app.add_option("--store", r->store_path, "Case store (default: the agreement's)");
  return [r] {
    auto s = matchguard::ImportCases(*matchguard::DefaultFileSystem(), *r);
    if (!s) return matchguard::cli::ExitCodeFor(s.error());
    std::printf("opened %llu case(s) in state raw, numbered from %lld; audit log now has %llu entries\n",
                static_cast<unsigned long long>(s->cases_opened), static_cast<long long>(s->first_case_id),
                static_cast<unsigned long long>(s->audit_entries));
    return matchguard::cli::kExitOk;
  };
}

// verify, notify, contest and resolve share one shape: the case, the common flags and their own fields.
Runner SetUpTransition(CLI::App& app, const char* transition) {
  auto c = std::make_shared<Common>();
  auto r = std::make_shared<matchguard::CaseTransitionRequest>();
  r->transition = transition;
  AddCommon(app, *c, true);
  app.add_option("--date", r->date, "Date of the step, YYYY-MM-DD (default: today)");
  const std::string t = transition;
  if (t == "verify" || t == "resolve") app.add_option("--by", r->by, "Who did it (a staff id)")->required();
  if (t == "verify") {
    app.add_option("--source", r->source, "Independent source consulted")->required();
    app.add_option("--result", r->result, "confirmed or not_confirmed")->required();
  }
  if (t == "notify") app.add_option("--channel", r->channel, "How the notice was sent (mail, email, ...)")->required();
  if (t == "resolve") app.add_option("--outcome", r->outcome, "upheld, reversed or closed")->required();
  return [c, r] {
    r->agreement_path = c->agreement;
    r->store_path = c->store;
    r->case_id = c->case_id;
    auto view = matchguard::RecordCaseTransition(*matchguard::DefaultFileSystem(), *r);
    if (!view) return matchguard::cli::ExitCodeFor(view.error());
    PrintCase(*view, false);
    return matchguard::cli::kExitOk;
  };
}

Runner SetUpVerify(CLI::App& app) { return SetUpTransition(app, "verify"); }
Runner SetUpNotify(CLI::App& app) { return SetUpTransition(app, "notify"); }
Runner SetUpContest(CLI::App& app) { return SetUpTransition(app, "contest"); }
Runner SetUpResolve(CLI::App& app) { return SetUpTransition(app, "resolve"); }

Runner SetUpShow(CLI::App& app) {
  auto c = std::make_shared<Common>();
  AddCommon(app, *c, true);
  return [c] {
    auto view = matchguard::ShowCase(*matchguard::DefaultFileSystem(), c->agreement, c->store, c->case_id);
    if (!view) return matchguard::cli::ExitCodeFor(view.error());
    PrintCase(*view, true);
    return matchguard::cli::kExitOk;
  };
}

Runner SetUpList(CLI::App& app) {
  auto c = std::make_shared<Common>();
  auto state = std::make_shared<std::string>();
  AddCommon(app, *c, false);
  app.add_option("--state", *state, "Only cases in this state");
  return [c, state] {
    auto views = matchguard::ListCases(*matchguard::DefaultFileSystem(), c->agreement, c->store, *state);
    if (!views) return matchguard::cli::ExitCodeFor(views.error());
    for (const auto& v : *views) PrintCase(v, false);
    return matchguard::cli::kExitOk;
  };
}

Runner SetUpActionAllowed(CLI::App& app) {
  auto c = std::make_shared<Common>();
  AddCommon(app, *c, true);
  return [c] {
    auto answer = matchguard::CaseActionAllowed(*matchguard::DefaultFileSystem(), c->agreement, c->store, c->case_id);
    if (!answer) return matchguard::cli::ExitCodeFor(answer.error());
    std::printf("%s: %s\n", answer->allowed ? "yes" : "no", answer->reason.c_str());
    return matchguard::cli::kExitOk;
  };
}

const CommandSpec kSubcommands[] = {
    {"import", "Open a raw case for each hit of a hits CSV", SetUpImport},
    {"verify", "Record an independent verification", SetUpVerify},
    {"notify", "Record that the individual was notified", SetUpNotify},
    {"contest", "Record that the individual contested the finding", SetUpContest},
    {"resolve", "Record how the case was resolved", SetUpResolve},
    {"show", "Show a case and its history", SetUpShow},
    {"list", "List the agreement's cases", SetUpList},
    {"action-allowed", "Say whether an adverse action may be taken, or what is missing", SetUpActionAllowed},
};

Runner SetUp(CLI::App& app) { return matchguard::cli::AddSubcommands(app, kSubcommands); }

const bool kRegistered =
    matchguard::cli::RegisterCommand({"cases", "Due-process cases: verify, notify, contest, resolve", SetUp});

}  // namespace
