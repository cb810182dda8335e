// Accounting of disclosures (45 CFR 164.528(b)(2)): every disclosure of matched records writes one audit
// entry holding the date, the recipient, a description of what was disclosed (field names, never values),
// the purpose, and the ids of the records concerned; AccountFor lists the entries that concern one record.
//
// Thread-safety: pure functions over values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "matchguard/status.h"
#include "src/audit/log.h"

namespace matchguard {

struct Disclosure {
  std::string date;  // YYYY-MM-DD
  std::string agreement_id;
  std::string source;  // the custodian agency
  std::string recipient;
  std::string purpose;
  std::vector<std::string> fields;      // names of the disclosed fields
  std::vector<std::string> record_ids;  // ids of every record concerned, both sides
};

// The audit entry for a disclosure (kind "disclosure").
nlohmann::json DisclosureEntry(const Disclosure& disclosure);

struct AccountingLine {
  uint64_t entry_index = 0;  // position of the entry in the log, for `audit prove`
  Disclosure disclosure;     // record_ids left empty: the subject is the only one that matters here
};

// Every disclosure entry of `log` whose record ids include `subject_id`, oldest first.
std::vector<AccountingLine> AccountFor(const ParsedLog& log, const std::string& subject_id);

}  // namespace matchguard
