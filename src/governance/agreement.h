// Computer matching agreements (5 U.S.C. 552a(o)): the TOML file that says who may match what, why, with
// which fields, what may be disclosed to the recipient per purpose, for how long, and where the case store,
// audit log and audit key live. docs/governance.md documents every key.
//
// ParseAgreement validates the whole file and rejects unknown keys; every error names the file, the line
// and the key, and what was expected. Dates follow the Act: the agreement takes effect 30 days after
// transmittal, runs at most 18 months, and may be renewed once for at most 12 months.
//
// Thread-safety: Agreement is a plain value; the functions are pure except LoadAgreement (reads a file).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/audit/date.h"

namespace matchguard {

inline constexpr int kEffectiveAfterTransmittalDays = 30;
inline constexpr int kMaxTermMonths = 18;
inline constexpr int kMaxRenewalMonths = 12;
inline constexpr int kDefaultNoticePeriodDays = 30;

struct Purpose {
  std::string name;
  std::string description;
  // Output columns the recipient may receive for this purpose: "left.<field>", "right.<field>" (field
  // names as in [matching], plus "id"), or a score ("match_probability", "match_weight").
  std::vector<std::string> disclose;
};

struct Renewal {
  Date approved;
  Date new_expiry;
  std::string reference;  // Data Integrity Board approval of the renewal
};

struct Agreement {
  std::string path;    // the file it was read from
  std::string sha256;  // hex SHA-256 of the file's bytes (LoadAgreement): run entries name the version used
  std::string id;
  std::string title;
  std::string source_agency;  // custodian of the records
  std::string recipient_agency;
  std::string legal_authority;
  std::string dib_approval;
  std::string federal_register;
  std::string notice_procedure;
  std::string justification;
  std::string expected_results;
  double estimated_savings_usd = 0;
  std::vector<std::string> match_fields;
  std::vector<Purpose> purposes;
  std::string left_description;
  std::string right_description;
  uint64_t left_records = 0;  // approximate counts stated in the agreement
  uint64_t right_records = 0;
  double max_volume_factor = 1.5;  // a run may use at most this many times the stated counts
  Date transmittal;
  Date effective;  // transmittal + 30 days
  Date expiry;     // the original expiry
  std::optional<Renewal> renewal;
  std::string verification_procedure;
  int notice_period_days = kDefaultNoticePeriodDays;
  int retention_days = 0;
  // Paths resolved against the agreement file's folder.
  std::string case_store_path;
  std::string audit_log_path;
  std::string audit_key_path;         // private key that signs checkpoints
  std::string audit_public_key_path;  // its public key

  // The last day the agreement is in force, counting a renewal.
  Date EndDate() const { return renewal ? renewal->new_expiry : expiry; }
  const Purpose* FindPurpose(std::string_view name) const;
};

enum class AgreementPhase { kNotYetEffective, kInForce, kExpired };
AgreementPhase PhaseOn(const Agreement& agreement, Date today);
// "in force until 2028-03-31", "not in force: takes effect on ...", "not in force: expired on ...".
std::string DescribePhase(const Agreement& agreement, Date today);

Result<Agreement> ParseAgreement(std::string_view toml_text, const std::string& path);
Result<Agreement> LoadAgreement(FileSystem& fs, const std::string& path);
// PermissionDenied unless `path` (after resolving symbolic links and "..") lies inside the agreement's folder:
// governed outputs live there, so retention finds them and `purge` never destroys anything outside it.
// `what` names the path in the message ("the output", "a recorded match output").
Status CheckInsideAgreementFolder(const Agreement& agreement, const std::string& path, std::string_view what);

// A complete, commented agreement for the demo scenario (Medicare-style enrollment matched against death
// records to stop improper payments), in force from `today` for 18 months.
std::string DemoAgreementToml(Date today);

}  // namespace matchguard
