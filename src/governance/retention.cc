#include "src/governance/retention.h"

#include <nlohmann/json.hpp>
#include <set>

#include "src/audit/crypto.h"
#include "src/audit/log.h"
#include "src/governance/case_service.h"
#include "src/governance/enforcement.h"

namespace matchguard {
namespace {

using nlohmann::json;

struct OutputToDestroy {
  std::string path;
  std::string sha256;
  std::string run_date;
};

// Match outputs of runs before `cutoff` that still exist.
Result<std::vector<OutputToDestroy>> ExpiredOutputs(FileSystem& fs, const Agreement& a, Date cutoff) {
  std::vector<OutputToDestroy> out;
  if (!fs.Exists(a.audit_log_path)) return out;
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(a.audit_log_path));
  MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, a.audit_log_path));
  std::set<std::string> seen;
  for (const json& e : log.entry_json) {
    if (e.value("kind", json()) != "run" || !e.contains("output") || !e["output"].is_object()) continue;
    const json& output = e["output"];
    if (!output.contains("path") || !output["path"].is_string() || !e.contains("date") || !e["date"].is_string()) {
      continue;
    }
    auto date = Date::Parse(e["date"].get<std::string>(), "run date");
    const std::string path = output["path"].get<std::string>();
    if (!date || *date >= cutoff || !fs.Exists(path) || !seen.insert(path).second) continue;
    // The log is signed by whoever runs the tool: a recorded path is still not trusted to lead outside.
    MG_RETURN_IF_ERROR(CheckInsideAgreementFolder(a, path, "refusing to destroy the recorded match output"));
    // The recorded path may be relative to where the run was started: destroy only the very file the run
    // wrote, recognised by its hash, never another file that happens to have the same name here.
    const std::string sha = output.value("sha256", json("")).get<std::string>();
    MG_ASSIGN_OR_RETURN(std::string content, fs.ReadFile(path));
    if (ToHex(Sha256(content)) != sha) continue;
    out.push_back({path, sha, date->ToString()});
  }
  return out;
}

}  // namespace

Result<PurgeResult> PurgeExpired(FileSystem& fs, const Agreement& a, const std::string& store_path, Date today,
                                 bool dry_run) {
  PurgeResult result;
  result.dry_run = dry_run;
  result.cutoff = today.AddDays(-a.retention_days);
  MG_ASSIGN_OR_RETURN(std::vector<OutputToDestroy> outputs, ExpiredOutputs(fs, a, result.cutoff));
  MG_ASSIGN_OR_RETURN(auto store, OpenCaseStore(fs, a, store_path));
  MG_ASSIGN_OR_RETURN(std::vector<int64_t> ids, store->CaseIds());
  std::vector<json> entries;
  const std::string reason = "retention period of " + std::to_string(a.retention_days) + " days";
  for (const OutputToDestroy& o : outputs) {
    result.outputs.push_back(o.path);
    entries.push_back(json{{"kind", "destruction"},
                           {"agreement", a.id},
                           {"what", "match_output"},
                           {"path", o.path},
                           {"sha256", o.sha256},
                           {"run_date", o.run_date},
                           {"date", today.ToString()},
                           {"reason", reason}});
  }
  MG_RETURN_IF_ERROR(store->Begin());
  for (int64_t id : ids) {
    auto c = store->Get(id);
    if (!c) {
      store->Rollback();
      return Error(std::move(c).error());
    }
    if (c->agreement_id != a.id || c->LastActivity() >= result.cutoff) continue;
    result.cases.push_back(id);
    entries.push_back(json{{"kind", "destruction"},
                           {"agreement", a.id},
                           {"what", "case"},
                           {"case_id", id},
                           {"last_activity", c->LastActivity().ToString()},
                           {"date", today.ToString()},
                           {"reason", reason}});
    if (!dry_run) {
      if (Status s = store->Purge(id, today, reason); !s.ok()) {
        store->Rollback();
        return Error(s);
      }
    }
  }
  if (dry_run || entries.empty()) {
    store->Rollback();
    return result;
  }
  // The destruction entries go in first: a purge that fails halfway is over-reported, never hidden.
  auto logged = AppendAudit(fs, a, entries);
  if (!logged) {
    store->Rollback();
    return Error(std::move(logged).error());
  }
  for (const OutputToDestroy& o : outputs) {
    if (Status s = fs.Remove(o.path); !s.ok()) {
      store->Rollback();
      return Error(s);
    }
  }
  MG_RETURN_IF_ERROR(store->Commit());
  return result;
}

}  // namespace matchguard
