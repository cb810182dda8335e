#include "src/audit/accounting.h"

#include <algorithm>

namespace matchguard {

using nlohmann::json;

json DisclosureEntry(const Disclosure& d) {
  return json{
      {"kind", "disclosure"},     {"date", d.date},       {"agreement", d.agreement_id}, {"source", d.source},
      {"recipient", d.recipient}, {"purpose", d.purpose}, {"fields", d.fields},          {"record_ids", d.record_ids}};
}

std::vector<AccountingLine> AccountFor(const ParsedLog& log, const std::string& subject_id) {
  std::vector<AccountingLine> lines;
  for (size_t i = 0; i < log.entry_json.size(); ++i) {
    const json& e = log.entry_json[i];
    if (StringMember(e, "kind") != "disclosure" || !e.contains("record_ids") || !e["record_ids"].is_array()) continue;
    const auto& ids = e["record_ids"];
    const bool concerned = std::any_of(ids.begin(), ids.end(), [&](const json& id) {
      return id.is_string() && id.get_ref<const std::string&>() == subject_id;
    });
    if (!concerned) continue;
    AccountingLine line;
    line.entry_index = i;
    line.disclosure.date = StringMember(e, "date");
    line.disclosure.agreement_id = StringMember(e, "agreement");
    line.disclosure.source = StringMember(e, "source");
    line.disclosure.recipient = StringMember(e, "recipient");
    line.disclosure.purpose = StringMember(e, "purpose");
    if (e.contains("fields") && e["fields"].is_array()) {
      for (const json& f : e["fields"]) {
        if (f.is_string()) line.disclosure.fields.push_back(f.get<std::string>());
      }
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace matchguard
