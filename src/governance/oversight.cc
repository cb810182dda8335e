#include "src/governance/oversight.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "src/audit/log.h"
#include "src/governance/case_service.h"

namespace matchguard {
namespace {

using nlohmann::json;

uint64_t Count(const json& e, const char* key) {
  auto it = e.find(key);
  return it != e.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

void CountRun(const json& e, OversightFigures* f) {
  RunFigures run;
  run.date = StringMember(e, "date");
  run.kind = StringMember(e, "kind");
  run.hits = Count(e, "hits");
  if (auto it = e.find("threshold"); it != e.end() && it->is_number()) run.threshold = it->get<double>();
  if (auto it = e.find("estimated_false_match_rate"); it != e.end() && it->is_number()) {
    run.estimated_false_match_rate = it->get<double>();
  }
  ++f->runs;
  f->records_matched += Count(e, "left_records") + Count(e, "right_records");
  f->raw_hits += run.hits;
  f->run_list.push_back(std::move(run));
}

void CountCase(const json& e, OversightFigures* f) {
  const std::string transition = StringMember(e, "transition");
  if (transition == "verify") {
    ++(StringMember(e, "result") == "confirmed" ? f->verified_confirmed : f->verified_not_confirmed);
  } else if (transition == "notify") {
    ++f->notices;
  } else if (transition == "contest") {
    ++f->contests;
  } else if (transition == "resolve" && StringMember(e, "outcome") == "reversed") {
    ++f->reversals;
  }
}

std::string Rate(const std::optional<double>& rate) {
  if (!rate) return "not recorded";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", *rate);
  return buf;
}

}  // namespace

Result<OversightFigures> BuildOversight(FileSystem& fs, const Agreement& a, const std::string& store_path, Date from,
                                        Date to) {
  if (to < from) {
    return Error(Status::InvalidArgument("--from " + from.ToString() + " is after --to " + to.ToString()));
  }
  OversightFigures f;
  f.agreement_id = a.id;
  f.title = a.title;
  f.phase = DescribePhase(a, to);
  f.from = from;
  f.to = to;
  if (fs.Exists(a.audit_log_path)) {
    MG_ASSIGN_OR_RETURN(std::string public_pem, fs.ReadFile(a.audit_public_key_path));
    MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(a.audit_log_path));
    MG_ASSIGN_OR_RETURN(LogSummary summary, VerifyLog(text, a.audit_log_path, public_pem));
    f.audit_entries = summary.entries;
    f.audit_root = ToHex(summary.root);
    MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, a.audit_log_path));
    for (const json& e : log.entry_json) {
      if (StringMember(e, "agreement") != a.id) continue;
      auto date = Date::Parse(StringMember(e, "date"), "entry date");
      if (!date || *date < from || *date > to) continue;
      const std::string kind = StringMember(e, "kind");
      if (kind == "run" || kind == "import") CountRun(e, &f);
      if (kind == "case") CountCase(e, &f);
      if (kind == "destruction") ++(StringMember(e, "what") == "case" ? f.cases_destroyed : f.outputs_destroyed);
    }
  }
  MG_ASSIGN_OR_RETURN(auto store, OpenCaseStore(fs, a, store_path));
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> ids, store->CaseIds());
  for (int64_t id : ids) {
    MG_ASSIGN_OR_RETURN(Case c, store->Get(id));
    if (c.agreement_id == a.id && DecideAdverseAction(c, a.notice_period_days, to).allowed) {
      ++f.adverse_actions_allowed;
    }
  }
  return f;
}

std::string OversightText(const OversightFigures& f) {
  std::string out = "Oversight report for agreement " + f.agreement_id + ": " + f.title + "\n";
  out += "Period: " + f.from.ToString() + " to " + f.to.ToString() + "; the agreement is " + f.phase + "\n\n";
  auto line = [&](const char* label, uint64_t value) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "  %-34s %llu\n", label, static_cast<unsigned long long>(value));
    out += buf;
  };
  line("runs (governed runs and imports)", f.runs);
  line("records matched", f.records_matched);
  line("raw hits", f.raw_hits);
  line("verified, confirmed", f.verified_confirmed);
  line("verified, not confirmed", f.verified_not_confirmed);
  line("notices sent", f.notices);
  line("contests", f.contests);
  line("reversals", f.reversals);
  line("adverse actions allowed", f.adverse_actions_allowed);
  line("retention: match outputs destroyed", f.outputs_destroyed);
  line("retention: cases destroyed", f.cases_destroyed);
  out += "\nRuns:\n";
  if (f.run_list.empty()) out += "  none in this period\n";
  for (const RunFigures& r : f.run_list) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "  %s %-6s hits %llu, threshold %.3g, estimated false-match rate %s\n",
                  r.date.c_str(), r.kind.c_str(), static_cast<unsigned long long>(r.hits), r.threshold,
                  Rate(r.estimated_false_match_rate).c_str());
    out += buf;
  }
  out += "\nAudit log: " + std::to_string(f.audit_entries) + " entries, verified, root " +
         (f.audit_root.empty() ? std::string("(no log yet)") : f.audit_root) + "\n";
  return out;
}

std::string OversightJson(const OversightFigures& f) {
  json runs = json::array();
  for (const RunFigures& r : f.run_list) {
    json run{{"date", r.date}, {"kind", r.kind}, {"hits", r.hits}, {"threshold", r.threshold}};
    run["estimated_false_match_rate"] = r.estimated_false_match_rate ? json(*r.estimated_false_match_rate) : json();
    runs.push_back(run);
  }
  json report{{"agreement", f.agreement_id},
              {"title", f.title},
              {"status", f.phase},
              {"from", f.from.ToString()},
              {"to", f.to.ToString()},
              {"runs", f.runs},
              {"records_matched", f.records_matched},
              {"raw_hits", f.raw_hits},
              {"verified_confirmed", f.verified_confirmed},
              {"verified_not_confirmed", f.verified_not_confirmed},
              {"notices", f.notices},
              {"contests", f.contests},
              {"reversals", f.reversals},
              {"adverse_actions_allowed", f.adverse_actions_allowed},
              {"retention", {{"match_outputs_destroyed", f.outputs_destroyed}, {"cases_destroyed", f.cases_destroyed}}},
              {"run_list", runs},
              {"audit", {{"entries", f.audit_entries}, {"root", f.audit_root}}}};
  return report.dump(2) + "\n";
}

}  // namespace matchguard
