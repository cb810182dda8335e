#include "src/normalize/fields.h"

#include <fmt/format.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace matchguard {
namespace {

struct FieldInfo {
  FieldKind kind;
  std::string_view name;
  // Header spellings, already in the detection key form (lower case, no spaces, dashes or underscores).
  std::initializer_list<std::string_view> synonyms;
};

// Indexed by FieldKind. The synonyms are the list plus common extras.
const FieldInfo kFields[kFieldKindCount] = {
    {FieldKind::kId, "id", {"id", "recordid", "recid", "personid", "uniqueid", "identifier", "uid"}},
    {FieldKind::kFirstName, "first_name", {"firstname", "givenname", "first", "fname", "forename", "given"}},
    {FieldKind::kMiddleName, "middle_name", {"middlename", "middle", "mname", "middleinitial", "mi"}},
    {FieldKind::kLastName, "last_name", {"lastname", "surname", "familyname", "last", "lname"}},
    {FieldKind::kFullName, "full_name", {"name", "fullname", "personname"}},
    {FieldKind::kDob, "dob", {"dob", "dateofbirth", "birthdate", "birthday", "bdate"}},
    {FieldKind::kSex, "sex", {"sex", "gender", "sexcode", "gendercode"}},
    {FieldKind::kSsn, "ssn", {"ssn", "socialsecuritynumber", "socsecid", "socialsecurityno"}},
    {FieldKind::kStreet,
     "street",
     {"street", "address", "address1", "addressline1", "streetaddress", "streetname", "addr", "addr1"}},
    {FieldKind::kStreetNumber, "street_number", {"streetnumber", "streetno", "housenumber", "houseno"}},
    {FieldKind::kCity, "city", {"city", "suburb", "town", "locality"}},
    {FieldKind::kState, "state", {"state", "statecode", "province"}},
    {FieldKind::kZip, "zip", {"zip", "zipcode", "postcode", "postalcode", "postal", "zip5"}},
    {FieldKind::kPhone, "phone", {"phone", "phonenumber", "telephone", "tel", "phoneno", "mobile"}},
    {FieldKind::kEmail, "email", {"email", "emailaddress"}},
    {FieldKind::kMbi, "mbi", {"mbi", "medicarebeneficiaryidentifier", "medicareid", "medicarenumber"}},
};

// The detection key of a header name: ASCII lower case without spaces, dashes and underscores.
std::string HeaderKey(std::string_view header) {
  std::string key;
  key.reserve(header.size());
  for (char c : header) {
    if (c == ' ' || c == '-' || c == '_' || c == '\t') continue;
    key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return key;
}

// Finds the column an override names: the exact header first, else the one header with the same key.
std::optional<size_t> FindOverrideColumn(const Table& table, std::string_view name) {
  if (auto exact = table.FindColumn(name)) return exact;
  const std::string key = HeaderKey(name);
  std::optional<size_t> found;
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (HeaderKey(table.column_names()[i]) != key) continue;
    if (found) return std::nullopt;  // ambiguous: insist on the exact name
    found = i;
  }
  return found;
}

}  // namespace

std::optional<FieldKind> DetectFieldKind(std::string_view header) {
  const std::string key = HeaderKey(header);
  for (const FieldInfo& info : kFields) {
    for (std::string_view synonym : info.synonyms) {
      if (key == synonym) return info.kind;
    }
  }
  return std::nullopt;
}

std::string_view FieldKindName(FieldKind kind) { return kFields[static_cast<size_t>(kind)].name; }

std::optional<FieldKind> ParseFieldKind(std::string_view name) {
  for (const FieldInfo& info : kFields) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

Result<FieldMapping> DetectFields(const Table& table, const std::map<FieldKind, std::string>& overrides) {
  FieldMapping mapping;
  std::vector<bool> claimed(table.num_columns(), false);
  for (const auto& [kind, header] : overrides) {
    std::optional<size_t> column = FindOverrideColumn(table, header);
    if (!column) {
      return Error(Status::InvalidArgument(table.source_name() + ": the field mapping names column '" + header +
                                           "' for " + std::string(FieldKindName(kind)) +
                                           ", but the file has no such column; columns found: " +
                                           fmt::format("{}", fmt::join(table.column_names(), ", "))));
    }
    mapping.columns[static_cast<size_t>(kind)] = *column;
    claimed[*column] = true;
  }
  // Detection fills the fields no override set, from columns no override claimed; the first match wins.
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (claimed[i]) continue;
    std::optional<FieldKind> kind = DetectFieldKind(table.column_names()[i]);
    if (!kind || mapping.has(*kind)) continue;
    mapping.columns[static_cast<size_t>(*kind)] = i;
  }
  return mapping;
}

}  // namespace matchguard
