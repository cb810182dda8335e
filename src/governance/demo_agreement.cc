// The agreement `matchguard agreement init` writes: the demo scenario, ready to edit.
#include <string>

#include "src/governance/agreement.h"

namespace matchguard {
namespace {

constexpr std::string_view kTemplate = R"toml(# Computer matching agreement (5 U.S.C. 552a(o)) in matchguard's format.
# matchguard enforces it on every governed run (`matchguard link --agreement THIS_FILE`): the dates, the
# fields used for matching, the fields disclosed, the record counts, and the audit trail. Edit the text
# to your agreement; `matchguard agreement check THIS_FILE` validates it. Paths below are relative to the
# folder of this file. See docs/governance.md for every key.
format = "matchguard-agreement/v1"
id = "CMA-DEMO-001"
title = "Medicare enrollment matched against death records to stop improper payments"

[parties]
source = "State Office of Vital Records (death records)"        # custodian of the matched records
recipient = "Medicare Benefits Administration (enrollment)"     # receives the hits and acts on them

[legal]
authority = "Privacy Act of 1974, 5 U.S.C. 552a(o); Social Security Act section 1128J (demo citation)"
dib_approval = "DIB-DEMO-2026-04, approved by the Data Integrity Board"
federal_register = "91 FR 00000 (demo notice of a computer matching program)"
notice_procedure = "Periodic notice in the enrollment handbook and at enrollment; individual notice letter before any adverse action"

[justification]
text = "Payments continue for some enrollees after death; matching against death records finds them faster than manual reports."
expected_results = "Identify deceased enrollees so that payments stop after independent verification and due process."
estimated_savings_usd = 2500000

# Fields compared by the linkage model. A run that would compare any other field is refused.
[matching]
fields = ["first_name", "last_name", "dob", "sex", "ssn", "street", "city", "zip"]

# What the recipient may receive, per purpose. A run's output holds only these columns: the record ids,
# the match probability and, on the enrollment (left) side, the Medicare beneficiary identifier. The date of
# death is not in the data, so it is not disclosed. Names, SSNs and dates of birth are never released.
[[purposes]]
name = "improper-payments"
description = "Stop benefit payments to deceased enrollees after verification and notice"
disclose = ["left.id", "right.id", "match_probability", "left.mbi"]

# Approximate volumes. A run with more than max_volume_factor times these counts is refused.
[records]
left_description = "Medicare-style enrollment file: record_id, first_name, middle_name, last_name, dob, sex, ssn, street, city, state, zip, phone, mbi"
left_count = 20000
right_description = "Death records: person_id, given_name, surname, birth_date, gender, social_security_number, address, town, state, postal_code"
right_count = 20000
max_volume_factor = 1.5

# The agreement takes effect 30 days after transmittal to Congress and OMB and may run 18 months from
# then. One renewal of at most 12 months may be recorded as:
# [[renewals]]
# approved = 2027-01-15          # on or before the expiry
# new_expiry = 2028-01-15        # at most 12 months after the expiry
# reference = "DIB-DEMO-2027-01"
[dates]
transmittal = {TRANSMITTAL}
expiry = {EXPIRY}

# Due process (5 U.S.C. 552a(p)): no adverse action until a hit is independently verified, the person is
# notified, and the notice period has passed without an open contest.
[verification]
procedure = "A caseworker confirms each hit against the certified death record and the enrollment file before any notice."
notice_period_days = 30

# Match outputs and case data older than this are destroyed by `matchguard purge --agreement THIS_FILE`.
[retention]
days = 365

[storage]
case_store = "cases.sqlite"                  # SQLite case store for due-process states
audit_log = "audit.log"                      # append-only, hash-chained (Merkle) audit log
audit_key = "keys/audit_ed25519.pem"         # from `matchguard audit keygen -o keys` (keep secret, mode 0600)
audit_public_key = "keys/audit_ed25519.pub.pem"
)toml";

void ReplaceOnce(std::string* text, std::string_view placeholder, const std::string& value) {
  text->replace(text->find(placeholder), placeholder.size(), value);
}

}  // namespace

std::string DemoAgreementToml(Date today) {
  std::string text(kTemplate);
  ReplaceOnce(&text, "{TRANSMITTAL}", today.AddDays(-kEffectiveAfterTransmittalDays).ToString());
  ReplaceOnce(&text, "{EXPIRY}", today.AddMonths(kMaxTermMonths).ToString());
  return text;
}

}  // namespace matchguard
