#include "src/governance/agreement.h"

#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <set>

#include "src/audit/crypto.h"
#include "src/normalize/fields.h"

namespace matchguard {
namespace {

constexpr std::string_view kFormat = "matchguard-agreement/v1";
constexpr std::string_view kScoreColumns[] = {"match_probability", "match_weight", "similarity"};

std::string Qualified(std::string_view table, std::string_view key) {
  return table.empty() ? std::string(key) : std::string(table) + "." + std::string(key);
}

std::string ParentFolder(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

bool IsSnakeName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Reads typed values out of the parsed TOML, with errors that name the file, line and key.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  Status At(const toml::source_region& where, const std::string& what) const {
    return Status::InvalidArgument(path_ + ":" + std::to_string(std::max<uint32_t>(1, where.begin.line)) + ": " + what);
  }

  Status CheckKeys(const toml::table& table, std::string_view name,
                   std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return At(key.source(), "unknown key " + Qualified(name, key.str()) + " (expected one of " + list + ")");
    }
    return Status::Ok();
  }

  Result<const toml::node*> Required(const toml::table& table, std::string_view name, std::string_view key,
                                     std::string_view expected) const {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      return Error(At(table.source(), "missing " + Qualified(name, key) + " (" + std::string(expected) + ")"));
    }
    return node;
  }

  Result<const toml::table*> Table(const toml::table& parent, std::string_view key) const {
    MG_ASSIGN_OR_RETURN(const toml::node* node, Required(parent, "", key, "a table [" + std::string(key) + "]"));
    if (!node->is_table())
      return Error(At(node->source(), std::string(key) + " must be a table [" + std::string(key) + "]"));
    return node->as_table();
  }

  Result<std::string> String(const toml::table& table, std::string_view name, std::string_view key,
                             std::string_view expected) const {
    MG_ASSIGN_OR_RETURN(const toml::node* node, Required(table, name, key, expected));
    std::optional<std::string> value = node->value_exact<std::string>();
    if (!value || value->empty()) {
      return Error(At(node->source(), Qualified(name, key) + " must be a non-empty string: " + std::string(expected)));
    }
    return *value;
  }

  Result<int64_t> Integer(const toml::table& table, std::string_view name, std::string_view key, int64_t min,
                          int64_t max, std::optional<int64_t> fallback, std::string_view expected) const {
    const toml::node* node = table.get(key);
    if (node == nullptr && fallback) return *fallback;
    MG_ASSIGN_OR_RETURN(node, Required(table, name, key, expected));
    std::optional<int64_t> value = node->value_exact<int64_t>();
    if (!value || *value < min || *value > max) {
      return Error(At(node->source(), Qualified(name, key) + " must be a whole number from " + std::to_string(min) +
                                          " to " + std::to_string(max) + ": " + std::string(expected)));
    }
    return *value;
  }

  Result<double> Number(const toml::table& table, std::string_view name, std::string_view key, double min,
                        std::optional<double> fallback, std::string_view expected) const {
    const toml::node* node = table.get(key);
    if (node == nullptr && fallback) return *fallback;
    MG_ASSIGN_OR_RETURN(node, Required(table, name, key, expected));
    std::optional<double> value = node->is_number() ? node->value<double>() : std::nullopt;
    if (!value || !(*value >= min)) {
      return Error(At(node->source(), Qualified(name, key) + " must be a number of at least " + std::to_string(min) +
                                          ": " + std::string(expected)));
    }
    return *value;
  }

  Result<Date> DateValue(const toml::table& table, std::string_view name, std::string_view key,
                         std::string_view expected) const {
    MG_ASSIGN_OR_RETURN(const toml::node* node, Required(table, name, key, expected));
    const auto* date = node->as_date();
    if (date == nullptr) {
      return Error(At(node->source(), Qualified(name, key) + " must be a TOML date such as 2026-01-31 (unquoted): " +
                                          std::string(expected)));
    }
    const toml::date& d = date->get();
    return Date::FromCivil(d.year, d.month, d.day);
  }

  Result<std::vector<std::string>> Names(const toml::table& table, std::string_view name, std::string_view key,
                                         std::string_view expected) const {
    MG_ASSIGN_OR_RETURN(const toml::node* node, Required(table, name, key, expected));
    const toml::array* array = node->as_array();
    if (array == nullptr || array->empty()) {
      return Error(
          At(node->source(), Qualified(name, key) + " must be a non-empty list of names: " + std::string(expected)));
    }
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const toml::node& element : *array) {
      std::optional<std::string> value = element.value_exact<std::string>();
      if (!value || value->empty()) {
        return Error(At(element.source(), Qualified(name, key) + " must hold only non-empty strings"));
      }
      if (!seen.insert(*value).second) {
        return Error(At(element.source(), Qualified(name, key) + " lists '" + *value + "' twice"));
      }
      out.push_back(std::move(*value));
    }
    return out;
  }

  // A [storage] path, resolved against the agreement's folder. It must stay inside that folder: a store or
  // log pointed at a scratch folder could be deleted afterwards, leaving hits with no trace.
  Result<std::string> ConfinedPath(const toml::table& table, std::string_view key, std::string_view expected) const {
    MG_ASSIGN_OR_RETURN(std::string relative, String(table, "storage", key, expected));
    bool escapes = relative.front() == '/';
    for (size_t begin = 0; begin <= relative.size() && !escapes;) {
      const size_t end = std::min(relative.find('/', begin), relative.size());
      escapes = relative.compare(begin, end - begin, "..") == 0;
      begin = end + 1;
    }
    if (escapes) {
      return Error(At(table.get(key)->source(), Qualified("storage", key) + " '" + relative +
                                                    "' must be a path inside the agreement's folder (relative, "
                                                    "without '..')"));
    }
    return ParentFolder(path_) + relative;
  }

 private:
  std::string path_;
};

Status ReadTop(const Reader& r, const toml::table& root, Agreement* a) {
  MG_RETURN_IF_ERROR(r.CheckKeys(root, "",
                                 {"format", "id", "title", "parties", "legal", "justification", "matching", "purposes",
                                  "records", "dates", "renewals", "verification", "retention", "storage"}));
  MG_ASSIGN_OR_RETURN(std::string format, r.String(root, "", "format", std::string(kFormat)));
  if (format != kFormat) {
    return r.At(root.get("format")->source(),
                "format must be \"" + std::string(kFormat) + "\", not \"" + format + "\"");
  }
  MG_ASSIGN_OR_RETURN(a->id, r.String(root, "", "id", "the agreement's identifier, e.g. CMA-2026-01"));
  MG_ASSIGN_OR_RETURN(a->title, r.String(root, "", "title", "a one-line title"));
  return Status::Ok();
}

Status ReadParties(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "parties"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*t, "parties", {"source", "recipient"}));
  MG_ASSIGN_OR_RETURN(a->source_agency, r.String(*t, "parties", "source", "the agency that holds the records"));
  MG_ASSIGN_OR_RETURN(a->recipient_agency, r.String(*t, "parties", "recipient", "the agency that receives hits"));
  return Status::Ok();
}

Status ReadLegal(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "legal"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*t, "legal", {"authority", "dib_approval", "federal_register", "notice_procedure"}));
  MG_ASSIGN_OR_RETURN(a->legal_authority, r.String(*t, "legal", "authority", "the statute that permits the match"));
  MG_ASSIGN_OR_RETURN(a->dib_approval,
                      r.String(*t, "legal", "dib_approval", "Data Integrity Board approval reference"));
  MG_ASSIGN_OR_RETURN(a->federal_register, r.String(*t, "legal", "federal_register", "Federal Register citation"));
  MG_ASSIGN_OR_RETURN(a->notice_procedure,
                      r.String(*t, "legal", "notice_procedure", "how individuals are told about the match"));
  return Status::Ok();
}

Status ReadJustification(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "justification"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*t, "justification", {"text", "expected_results", "estimated_savings_usd"}));
  MG_ASSIGN_OR_RETURN(a->justification, r.String(*t, "justification", "text", "why the match is needed"));
  MG_ASSIGN_OR_RETURN(a->expected_results,
                      r.String(*t, "justification", "expected_results", "what the match is expected to find"));
  MG_ASSIGN_OR_RETURN(a->estimated_savings_usd,
                      r.Number(*t, "justification", "estimated_savings_usd", 0, std::nullopt, "estimated savings"));
  return Status::Ok();
}

Status ReadMatching(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "matching"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*t, "matching", {"fields"}));
  MG_ASSIGN_OR_RETURN(a->match_fields, r.Names(*t, "matching", "fields", "canonical field names such as \"dob\""));
  const toml::array& array = *t->get("fields")->as_array();
  for (size_t i = 0; i < a->match_fields.size(); ++i) {
    if (!ParseFieldKind(a->match_fields[i])) {
      return r.At(array[i].source(), "matching.fields: '" + a->match_fields[i] +
                                         "' is not a field matchguard knows (first_name, last_name, dob, sex, ssn, "
                                         "street, city, state, zip, phone, email, mbi, ...)");
    }
  }
  return Status::Ok();
}

Status CheckDisclosedName(const Reader& r, const toml::node& node, const std::string& name) {
  if (std::find(std::begin(kScoreColumns), std::end(kScoreColumns), name) != std::end(kScoreColumns)) {
    return Status::Ok();
  }
  const size_t dot = name.find('.');
  if (dot != std::string::npos) {
    const std::string side = name.substr(0, dot), field = name.substr(dot + 1);
    if ((side == "left" || side == "right") && (field == "id" || ParseFieldKind(field))) return Status::Ok();
  }
  return r.At(node.source(), "purposes.disclose: '" + name +
                                 "' is not a disclosable column (expected left.<field>, right.<field>, "
                                 "match_probability, match_weight or similarity)");
}

Status ReadPurposes(const Reader& r, const toml::table& root, Agreement* a) {
  const toml::node* node = root.get("purposes");
  if (node == nullptr || !node->is_array_of_tables() || node->as_array()->empty()) {
    return r.At(node ? node->source() : root.source(),
                "purposes must be one or more [[purposes]] tables, each with name, description and disclose");
  }
  for (const toml::node& element : *node->as_array()) {
    const toml::table& t = *element.as_table();
    MG_RETURN_IF_ERROR(r.CheckKeys(t, "purposes", {"name", "description", "disclose"}));
    Purpose p;
    MG_ASSIGN_OR_RETURN(p.name, r.String(t, "purposes", "name", "a short name runs refer to"));
    std::string without_dashes = p.name;
    std::erase(without_dashes, '-');
    if (!IsSnakeName(without_dashes)) {
      return r.At(t.get("name")->source(), "purposes.name must use a-z, 0-9, '-' and '_' only");
    }
    if (a->FindPurpose(p.name) != nullptr) return r.At(t.get("name")->source(), "purpose '" + p.name + "' is repeated");
    MG_ASSIGN_OR_RETURN(p.description, r.String(t, "purposes", "description", "the purpose in words"));
    MG_ASSIGN_OR_RETURN(p.disclose, r.Names(t, "purposes", "disclose", "the columns the recipient may receive"));
    const toml::array& names = *t.get("disclose")->as_array();
    for (size_t i = 0; i < p.disclose.size(); ++i) MG_RETURN_IF_ERROR(CheckDisclosedName(r, names[i], p.disclose[i]));
    a->purposes.push_back(std::move(p));
  }
  return Status::Ok();
}

Status ReadRecords(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "records"));
  MG_RETURN_IF_ERROR(r.CheckKeys(
      *t, "records", {"left_description", "left_count", "right_description", "right_count", "max_volume_factor"}));
  constexpr int64_t kMax = int64_t{1} << 40;
  MG_ASSIGN_OR_RETURN(a->left_description, r.String(*t, "records", "left_description", "the left (source) file"));
  MG_ASSIGN_OR_RETURN(a->right_description, r.String(*t, "records", "right_description", "the right file"));
  MG_ASSIGN_OR_RETURN(int64_t left,
                      r.Integer(*t, "records", "left_count", 1, kMax, std::nullopt, "approximate records"));
  MG_ASSIGN_OR_RETURN(int64_t right,
                      r.Integer(*t, "records", "right_count", 1, kMax, std::nullopt, "approximate records"));
  a->left_records = static_cast<uint64_t>(left);
  a->right_records = static_cast<uint64_t>(right);
  MG_ASSIGN_OR_RETURN(a->max_volume_factor,
                      r.Number(*t, "records", "max_volume_factor", 1.0, 1.5, "how far a run may exceed the counts"));
  return Status::Ok();
}

Status ReadDates(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "dates"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*t, "dates", {"transmittal", "expiry"}));
  MG_ASSIGN_OR_RETURN(a->transmittal, r.DateValue(*t, "dates", "transmittal",
                                                  "the day the agreement was sent to "
                                                  "Congress and OMB"));
  MG_ASSIGN_OR_RETURN(a->expiry, r.DateValue(*t, "dates", "expiry", "the last day the agreement is in force"));
  a->effective = a->transmittal.AddDays(kEffectiveAfterTransmittalDays);
  const Date latest = a->effective.AddMonths(kMaxTermMonths);
  if (a->expiry < a->effective || a->expiry > latest) {
    return r.At(t->get("expiry")->source(), "dates.expiry " + a->expiry.ToString() +
                                                " must fall between the effective "
                                                "date " +
                                                a->effective.ToString() + " (transmittal + 30 days) and " +
                                                latest.ToString() + " (18 months later)");
  }
  const toml::node* renewals = root.get("renewals");
  if (renewals == nullptr) return Status::Ok();
  if (!renewals->is_array_of_tables()) return r.At(renewals->source(), "renewals must be [[renewals]] tables");
  const toml::array& list = *renewals->as_array();
  if (list.size() > 1) return r.At(list[1].source(), "an agreement may be renewed only once (a second [[renewals]])");
  const toml::table& rt = *list[0].as_table();
  MG_RETURN_IF_ERROR(r.CheckKeys(rt, "renewals", {"approved", "new_expiry", "reference"}));
  Renewal renewal;
  MG_ASSIGN_OR_RETURN(renewal.approved, r.DateValue(rt, "renewals", "approved", "the day the DIB approved it"));
  MG_ASSIGN_OR_RETURN(renewal.new_expiry, r.DateValue(rt, "renewals", "new_expiry", "the renewed last day"));
  MG_ASSIGN_OR_RETURN(renewal.reference, r.String(rt, "renewals", "reference", "the DIB approval of the renewal"));
  if (renewal.approved > a->expiry) {
    return r.At(rt.get("approved")->source(), "renewals.approved " + renewal.approved.ToString() +
                                                  " is after the expiry " + a->expiry.ToString() +
                                                  ": an expired agreement cannot be renewed");
  }
  const Date renewal_latest = a->expiry.AddMonths(kMaxRenewalMonths);
  if (renewal.new_expiry <= a->expiry || renewal.new_expiry > renewal_latest) {
    return r.At(rt.get("new_expiry")->source(), "renewals.new_expiry " + renewal.new_expiry.ToString() +
                                                    " must fall after " + a->expiry.ToString() + " and by " +
                                                    renewal_latest.ToString() + " (at most 12 months)");
  }
  a->renewal = std::move(renewal);
  return Status::Ok();
}

Status ReadProcedures(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* v, r.Table(root, "verification"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*v, "verification", {"procedure", "notice_period_days"}));
  MG_ASSIGN_OR_RETURN(a->verification_procedure,
                      r.String(*v, "verification", "procedure", "how hits are independently verified"));
  MG_ASSIGN_OR_RETURN(int64_t notice, r.Integer(*v, "verification", "notice_period_days", 1, 3650,
                                                kDefaultNoticePeriodDays, "days a notified person has to contest"));
  a->notice_period_days = static_cast<int>(notice);
  MG_ASSIGN_OR_RETURN(const toml::table* ret, r.Table(root, "retention"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*ret, "retention", {"days"}));
  MG_ASSIGN_OR_RETURN(int64_t days, r.Integer(*ret, "retention", "days", 1, 36500, std::nullopt,
                                              "days match outputs and case data are kept"));
  a->retention_days = static_cast<int>(days);
  return Status::Ok();
}

Status ReadStorage(const Reader& r, const toml::table& root, Agreement* a) {
  MG_ASSIGN_OR_RETURN(const toml::table* t, r.Table(root, "storage"));
  MG_RETURN_IF_ERROR(r.CheckKeys(*t, "storage", {"case_store", "audit_log", "audit_key", "audit_public_key"}));
  MG_ASSIGN_OR_RETURN(a->case_store_path, r.ConfinedPath(*t, "case_store", "the SQLite case store"));
  MG_ASSIGN_OR_RETURN(a->audit_log_path, r.ConfinedPath(*t, "audit_log", "the audit log"));
  MG_ASSIGN_OR_RETURN(a->audit_key_path, r.ConfinedPath(*t, "audit_key", "the Ed25519 private key (PEM)"));
  MG_ASSIGN_OR_RETURN(a->audit_public_key_path, r.ConfinedPath(*t, "audit_public_key", "its public key (PEM)"));
  return Status::Ok();
}

}  // namespace

const Purpose* Agreement::FindPurpose(std::string_view name) const {
  for (const Purpose& p : purposes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

AgreementPhase PhaseOn(const Agreement& agreement, Date today) {
  if (today < agreement.effective) return AgreementPhase::kNotYetEffective;
  if (today > agreement.EndDate()) return AgreementPhase::kExpired;
  return AgreementPhase::kInForce;
}

std::string DescribePhase(const Agreement& agreement, Date today) {
  switch (PhaseOn(agreement, today)) {
    case AgreementPhase::kNotYetEffective:
      return "not in force on " + today.ToString() + ": it takes effect on " + agreement.effective.ToString() +
             " (30 days after transmittal on " + agreement.transmittal.ToString() + ")";
    case AgreementPhase::kExpired:
      return "not in force on " + today.ToString() + ": it expired after " + agreement.EndDate().ToString();
    case AgreementPhase::kInForce:
      break;
  }
  return "in force on " + today.ToString() + " (from " + agreement.effective.ToString() + " to " +
         agreement.EndDate().ToString() + (agreement.renewal ? ", renewed)" : ")");
}

Result<Agreement> ParseAgreement(std::string_view toml_text, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse(toml_text, path);
  } catch (const toml::parse_error& e) {
    return Error(Status::InvalidArgument(path + ":" + std::to_string(e.source().begin.line) + ": " +
                                         std::string(e.description())));
  }
  Reader r(path);
  Agreement a;
  a.path = path;
  for (auto* step : {ReadTop, ReadParties, ReadLegal, ReadJustification, ReadMatching, ReadPurposes, ReadRecords,
                     ReadDates, ReadProcedures, ReadStorage}) {
    MG_RETURN_IF_ERROR(step(r, root, &a));
  }
  return a;
}

Result<Agreement> LoadAgreement(FileSystem& fs, const std::string& path) {
  MG_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  MG_ASSIGN_OR_RETURN(Agreement agreement, ParseAgreement(text, path));
  agreement.sha256 = ToHex(Sha256(text));
  return agreement;
}

Status CheckInsideAgreementFolder(const Agreement& agreement, const std::string& path, std::string_view what) {
  namespace fs = std::filesystem;
  std::error_code error;
  const std::string folder = ParentFolder(agreement.path);
  fs::path base = fs::weakly_canonical(fs::absolute(folder.empty() ? "." : folder), error);
  if (!base.has_filename()) base = base.parent_path();
  const fs::path target = fs::weakly_canonical(fs::absolute(path), error);
  const auto [base_end, target_at] = std::mismatch(base.begin(), base.end(), target.begin(), target.end());
  if (!error && base_end == base.end() && target_at != target.end()) return Status::Ok();
  return Status::PermissionDenied(std::string(what) + " " + path + " is outside the folder of agreement " +
                                  agreement.id + " (" + base.string() +
                                  "): governed outputs stay beside the agreement, under its retention");
}

}  // namespace matchguard
