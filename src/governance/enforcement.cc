#include "src/governance/enforcement.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "src/audit/accounting.h"
#include "src/audit/log.h"
#include "src/core/private_files.h"
#include "src/governance/case_service.h"
#include "src/io/csv.h"
#include "src/io/record_ids.h"

namespace matchguard {
namespace {

using nlohmann::json;

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<const Purpose*> ResolvePurpose(const Agreement& a, const std::string& name) {
  if (name.empty() && a.purposes.size() == 1) return &a.purposes[0];
  if (const Purpose* p = a.FindPurpose(name)) return p;
  std::vector<std::string> names;
  for (const Purpose& p : a.purposes) names.push_back(p.name);
  return Error(Status::PermissionDenied("agreement " + a.id + " has no purpose '" + name +
                                        "' (its purposes: " + Join(names) + ")"));
}

Status CheckSubset(const std::vector<std::string>& asked, const std::vector<std::string>& allowed,
                   const std::string& what, const std::string& agreement_id) {
  std::vector<std::string> refused;
  for (const auto& f : asked) {
    if (std::find(allowed.begin(), allowed.end(), f) == allowed.end()) refused.push_back(f);
  }
  if (refused.empty()) return Status::Ok();
  return Status::PermissionDenied("agreement " + agreement_id + " does not authorise " + Join(refused) + " " + what +
                                  " (authorised: " + Join(allowed) + ")");
}

Status CheckVolume(const char* side, uint64_t records, uint64_t stated, double factor, const std::string& id) {
  const double limit = std::floor(static_cast<double>(stated) * factor);
  if (static_cast<double>(records) <= limit) return Status::Ok();
  return Status::PermissionDenied("the " + std::string(side) + " input has " + std::to_string(records) +
                                  " records, more than the " + std::to_string(static_cast<uint64_t>(limit)) +
                                  " allowed by agreement " + id + " (" + std::to_string(stated) + " stated x " +
                                  std::to_string(factor).substr(0, 4) + ")");
}

Result<std::string> FileSha256(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string data, fs.ReadFile(path));
  return ToHex(Sha256(data));
}

// What identifies an input's records for the cumulative volume: its ids' digest, else the file's hash.
Result<std::string> InputKey(FileSystem& fs, const GovernedRunRequest& r, size_t side) {
  if (side < r.input_ids_sha256.size() && !r.input_ids_sha256[side].empty()) return r.input_ids_sha256[side];
  return FileSha256(fs, r.input_paths[side]);
}

json CaseOpenedEntry(const Agreement& a, int64_t case_id, const MatchHit& hit, const std::string& run_ref, Date today) {
  return json{{"kind", "case"},         {"agreement", a.id},        {"case_id", case_id},
              {"transition", "open"},   {"state", "raw"},           {"date", today.ToString()},
              {"left_id", hit.left_id}, {"right_id", hit.right_id}, {"probability", hit.probability},
              {"run_ref", run_ref}};
}

// The hits that need a new case: a pair that already has one (an earlier or repeated run) keeps it, so a
// repeated run cannot multiply cases on the same people.
Result<std::vector<MatchHit>> HitsWithoutCase(CaseStore& store, const std::string& agreement_id,
                                              const std::vector<MatchHit>& hits) {
  std::vector<MatchHit> fresh;
  std::set<std::pair<std::string, std::string>> seen;
  for (const MatchHit& hit : hits) {
    if (!seen.insert({hit.left_id, hit.right_id}).second) continue;
    MG_ASSIGN_OR_RETURN(std::optional<int64_t> existing, store.FindCase(agreement_id, hit));
    if (!existing) fresh.push_back(hit);
  }
  return fresh;
}

Disclosure MakeDisclosure(const Agreement& a, const Purpose& purpose, const std::vector<std::string>& fields,
                          const std::vector<MatchHit>& hits, Date today) {
  Disclosure d{today.ToString(), a.id, a.source_agency, a.recipient_agency, purpose.name, fields, {}};
  for (const MatchHit& h : hits) {
    d.record_ids.push_back(h.left_id);
    d.record_ids.push_back(h.right_id);
  }
  return d;
}

// Opens a case per hit that has none yet and appends `head` entries, the disclosure and one entry per new
// case, all or nothing. The store must agree with the log before anything is added to either.
Result<ImportResult> OpenCasesAndLog(FileSystem& fs, const Agreement& a, std::vector<json> entries,
                                     const std::string& run_ref, const std::vector<MatchHit>& all_hits, Date today,
                                     const std::string& store_path) {
  LoggedCases logged;
  MG_ASSIGN_OR_RETURN(auto store, OpenCaseStore(fs, a, store_path, &logged));
  MG_RETURN_IF_ERROR(store->Begin());
  auto hits = HitsWithoutCase(*store, a.id, all_hits);
  if (!hits) {
    store->Rollback();
    return Error(std::move(hits).error());
  }
  auto ids = store->OpenCases(a.id, run_ref, *hits, today, logged.max_id);
  if (!ids) {
    store->Rollback();
    return Error(std::move(ids).error());
  }
  for (size_t i = 0; i < hits->size(); ++i) {
    entries.push_back(CaseOpenedEntry(a, (*ids)[i], (*hits)[i], run_ref, today));
  }
  auto size = AppendAudit(fs, a, entries);
  if (!size) {
    store->Rollback();
    return Error(std::move(size).error());
  }
  MG_RETURN_IF_ERROR(store->Commit());
  return ImportResult{hits->size(), ids->empty() ? 0 : ids->front(), *size};
}

Result<std::vector<MatchHit>> ReadHits(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(Table table, ReadCsvTable(fs, path));
  const auto left = table.FindColumn("left_id"), right = table.FindColumn("right_id"),
             prob = table.FindColumn("probability");
  if (!left || !right || !prob || table.num_columns() != 3) {
    return Error(Status::InvalidArgument(path + ": line 1: expected exactly the columns left_id, right_id, "
                                                "probability (ids and scores only)"));
  }
  // A case is opened per hit on these ids: empty or unprintable ones would open cases on nobody.
  for (size_t column : {*left, *right}) MG_RETURN_IF_ERROR(CheckRecordIds(table, column, IdRole::kReference));
  std::vector<MatchHit> hits;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    const std::string where = path + ": line " + std::to_string(table.source_line(row)) + ": ";
    MatchHit hit{std::string(table.Get(*left, row)), std::string(table.Get(*right, row)), 0};
    const std::string p(table.Get(*prob, row));
    char* end = nullptr;
    hit.probability = std::strtod(p.c_str(), &end);
    if (p.empty() || end != p.c_str() + p.size() || !(hit.probability >= 0 && hit.probability <= 1)) {
      return Error(Status::InvalidArgument(where + "column 3 (probability): expected a number from 0 to 1"));
    }
    hits.push_back(std::move(hit));
  }
  return hits;
}

}  // namespace

Status CheckRunAuthorized(const Agreement& a, const GovernedRunRequest& r) {
  if (PhaseOn(a, r.today) != AgreementPhase::kInForce) {
    return Status::PermissionDenied("agreement " + a.id + " is " + DescribePhase(a, r.today));
  }
  MG_ASSIGN_OR_RETURN(const Purpose* purpose, ResolvePurpose(a, r.purpose));
  MG_RETURN_IF_ERROR(CheckSubset(r.match_fields, a.match_fields, "for matching", a.id));
  MG_RETURN_IF_ERROR(
      CheckSubset(r.disclosed_fields, purpose->disclose, "for disclosure for purpose " + purpose->name, a.id));
  MG_RETURN_IF_ERROR(CheckVolume("left", r.left_records, a.left_records, a.max_volume_factor, a.id));
  MG_RETURN_IF_ERROR(CheckVolume("right", r.right_records, a.right_records, a.max_volume_factor, a.id));
  return Status::Ok();
}

std::string RecordIdsDigest(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  std::string joined;
  for (const std::string& id : ids) joined += id + "\n";
  return ToHex(Sha256(joined));
}

Status CheckCumulativeVolume(FileSystem& fs, const Agreement& a, const GovernedRunRequest& r) {
  // Records per set of records, per side; the same records run again count once.
  std::map<std::string, uint64_t> sides[2];
  const uint64_t counts[2] = {r.left_records, r.right_records};
  for (size_t side = 0; side < 2 && side < r.input_paths.size(); ++side) {
    MG_ASSIGN_OR_RETURN(std::string key, InputKey(fs, r, side));
    sides[side][key] = counts[side];
  }
  if (fs.Exists(a.audit_log_path)) {
    MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(a.audit_log_path));
    MG_ASSIGN_OR_RETURN(ParsedLog log, ParseLog(text, a.audit_log_path));
    for (const json& e : log.entry_json) {
      if (e.value("kind", "") != "run" || e.value("agreement", "") != a.id || !e.contains("inputs")) continue;
      const json& inputs = e["inputs"];
      for (size_t side = 0; side < 2 && inputs.is_array() && side < inputs.size(); ++side) {
        const char* key = side == 0 ? "left_records" : "right_records";
        const json& input = inputs[side];
        sides[side][input.value("records_sha256", input.value("sha256", ""))] = e.value(key, uint64_t{0});
      }
    }
  }
  uint64_t totals[2] = {0, 0};
  for (size_t side = 0; side < 2; ++side) {
    for (const auto& [sha, records] : sides[side]) totals[side] += records;
  }
  constexpr std::string_view kAcross = "across all runs of the agreement (each set of records counted once)";
  MG_RETURN_IF_ERROR(CheckVolume("left", totals[0], a.left_records, a.max_volume_factor, a.id).WithContext(kAcross));
  return CheckVolume("right", totals[1], a.right_records, a.max_volume_factor, a.id).WithContext(kAcross);
}

Result<Agreement> AuthorizeRun(FileSystem& fs, const GovernedRunRequest& request) {
  MG_ASSIGN_OR_RETURN(Agreement agreement, LoadAgreement(fs, request.agreement_path));
  MG_RETURN_IF_ERROR(CheckRunAuthorized(agreement, request));
  return agreement;
}

Result<uint64_t> AppendAudit(FileSystem& fs, const Agreement& a, const std::vector<json>& entries) {
  if (!fs.Exists(a.audit_key_path)) {
    return Error(Status::FailedPrecondition("the audit key " + a.audit_key_path +
                                            " does not exist; create it with `matchguard audit keygen -o <folder>`"));
  }
  // Whoever can read the signing key can sign a rewritten log.
  MG_RETURN_IF_ERROR(CheckNotReadableByOthers(a.audit_key_path, "the audit signing key"));
  MG_ASSIGN_OR_RETURN(std::string private_pem, fs.ReadFile(a.audit_key_path));
  const ScopedPrivateUmask private_files;  // the log and its lock name record ids
  return AppendToLog(fs, a.audit_log_path, private_pem, entries);
}

Status RecordRun(FileSystem& fs, const Agreement& a, const GovernedRunRequest& r, const std::vector<MatchHit>& hits,
                 const std::string& output_path) {
  MG_RETURN_IF_ERROR(CheckRunAuthorized(a, r));
  MG_ASSIGN_OR_RETURN(const Purpose* purpose, ResolvePurpose(a, r.purpose));
  json inputs = json::array();
  for (size_t i = 0; i < r.input_paths.size(); ++i) {
    MG_ASSIGN_OR_RETURN(std::string sha, FileSha256(fs, r.input_paths[i]));
    json input{{"file", BaseName(r.input_paths[i])}, {"sha256", sha}};
    if (i < r.input_ids_sha256.size() && !r.input_ids_sha256[i].empty())
      input["records_sha256"] = r.input_ids_sha256[i];
    inputs.push_back(std::move(input));
  }
  std::string output_sha = r.output_sha256;
  if (output_sha.empty()) {
    MG_ASSIGN_OR_RETURN(output_sha, FileSha256(fs, output_path));
  }
  MG_ASSIGN_OR_RETURN(int64_t now, NowSeconds());
  json run{{"kind", "run"},
           {"agreement", a.id},
           {"agreement_sha256", a.sha256},
           {"purpose", purpose->name},
           {"date", r.today.ToString()},
           {"time", FormatTimestamp(now)},
           {"inputs", inputs},
           {"left_records", r.left_records},
           {"right_records", r.right_records},
           {"match_fields", r.match_fields},
           {"disclosed_fields", r.disclosed_fields},
           {"model", r.model_description},
           {"threshold", r.threshold},
           {"hits", hits.size()},
           {"hit_status", "unverified"},
           {"output", json{{"path", output_path}, {"sha256", output_sha}}}};
  if (r.estimated_false_match_rate) run["estimated_false_match_rate"] = *r.estimated_false_match_rate;
  if (!r.field_mapping.is_null()) run["field_mapping"] = r.field_mapping;
  std::vector<json> entries{run, DisclosureEntry(MakeDisclosure(a, *purpose, r.disclosed_fields, hits, r.today))};
  auto result =
      OpenCasesAndLog(fs, a, std::move(entries), "run:" + output_sha.substr(0, 16), hits, r.today, r.case_store_path);
  return result.status();
}

Result<ImportResult> ImportHitsFile(FileSystem& fs, const Agreement& a, const std::string& hits_path,
                                    const std::string& purpose_name, Date today, const std::string& case_store_path) {
  const std::vector<std::string> fields{"left.id", "right.id", "match_probability"};
  GovernedRunRequest check;
  check.purpose = purpose_name;
  check.disclosed_fields = fields;
  check.today = today;
  MG_RETURN_IF_ERROR(CheckRunAuthorized(a, check));
  MG_ASSIGN_OR_RETURN(const Purpose* purpose, ResolvePurpose(a, purpose_name));
  MG_ASSIGN_OR_RETURN(std::string sha, FileSha256(fs, hits_path));
  MG_ASSIGN_OR_RETURN(std::vector<MatchHit> hits, ReadHits(fs, hits_path));
  json import{{"kind", "import"},
              {"agreement", a.id},
              {"agreement_sha256", a.sha256},
              {"purpose", purpose->name},
              {"date", today.ToString()},
              {"file", BaseName(hits_path)},
              {"sha256", sha},
              {"hits", hits.size()},
              {"hit_status", "unverified"}};
  std::vector<json> entries{import, DisclosureEntry(MakeDisclosure(a, *purpose, fields, hits, today))};
  return OpenCasesAndLog(fs, a, std::move(entries), "import:" + sha.substr(0, 16), hits, today, case_store_path);
}

}  // namespace matchguard
