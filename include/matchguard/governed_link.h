// Governed linkage: `matchguard link --agreement A.toml`.
//
// A governed run is a link performed for another party under a computer matching agreement. Before any
// record is compared the agreement must be in force, every field the model would compare must be one the
// agreement lists for matching, and the inputs must not be far larger than the agreement's stated counts.
// The output is then released through the agreement: it holds exactly the columns the purpose authorises
// (ids, scores, authorised fields), each hit marked `unverified`; the run, the disclosure (for the
// accounting of disclosures) and one raw due-process case per hit are recorded in the audit log and the case
// store. A refused run writes nothing.
//
// Thread-safety: one governed run per agreement at a time (the audit log has a single writer).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/link.h"
#include "matchguard/status.h"

namespace matchguard {

struct GovernedLinkOptions {
  LinkOptions link;               // output_path is where the released output goes
  std::string agreement_path;
  std::string purpose;            // may be empty when the agreement has one purpose
  std::string case_store_path;    // overrides the agreement's case store when not empty
};

struct GovernedLinkSummary {
  LinkSummary link;
  std::string agreement_id;
  std::string purpose;
  std::vector<std::string> match_fields;      // fields compared, all authorised
  std::vector<std::string> released_columns;  // output header
  uint64_t cases_opened = 0;
  double estimated_false_match_rate = 0.0;    // mean of (1 - probability) over the released hits
};

Result<GovernedLinkSummary> GovernedLinkFiles(const GovernedLinkOptions& options);
std::string GovernedLinkSummaryText(const GovernedLinkSummary& summary);

}  // namespace matchguard
