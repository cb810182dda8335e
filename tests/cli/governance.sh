# End to end: agreement, hits imported as cases (standing in for a governed link), the due-process steps
# through to action-allowed, accounting for one subject, the oversight report, purge, `audit verify`
# passing, then failing after a one-byte change. Dates are pinned with MATCHGUARD_TODAY, which only the
# test build (matchguard-test-clock) honours: the released command refuses it.
source "$MATCHGUARD_TESTS/lib.sh"
G=$WORK/gov
mkdir -p "$G"
RELEASED=$MG
MG=${MATCHGUARD_TEST_CLOCK:?set MATCHGUARD_TEST_CLOCK to the matchguard-test-clock binary}
export MATCHGUARD_TODAY=2026-03-02

# The released binary's clock is not the operator's: setting the variable is refused, not obeyed.
expect_exit 2 "$RELEASED" agreement init -o "$G/A.toml"
expect_stderr_contains "MATCHGUARD_TODAY is set, but matchguard takes the date and time from the system clock only"
[ ! -e "$G/A.toml" ] || fail "the released binary wrote an agreement dated by MATCHGUARD_TODAY"
PUB=$G/keys/audit_ed25519.pub.pem

expect_exit 0 "$MG" agreement init -o "$G/A.toml"
expect_exit 2 "$MG" agreement init -o "$G/A.toml"
expect_stderr_contains "already exists"
expect_exit 0 "$MG" agreement check "$G/A.toml"
expect_stdout_contains "in force on 2026-03-02 (from 2026-03-02 to 2027-09-02)"
expect_stdout_contains "purpose improper-payments discloses: left.id, right.id, match_probability, left.mbi"

# A bad agreement is refused with its line and key.
sed 's/^days = 365/days = "a year"/' "$G/A.toml" >"$WORK/bad.toml"
expect_exit 2 "$MG" agreement check "$WORK/bad.toml"
expect_stderr_contains "bad.toml:"
expect_stderr_contains "retention.days must be a whole number"

# Keys: the private key is readable by its owner only.
expect_exit 0 "$MG" audit keygen -o "$G/keys"
[ "$(stat -c %a "$G/keys/audit_ed25519.pem")" = 600 ] || fail "private key mode is $(stat -c %a "$G/keys/audit_ed25519.pem")"
expect_exit 2 "$MG" audit keygen -o "$G/keys"

# Hits for the first 40 FEBRL dataset4 people: rec-N-org (left) matched to rec-N-dup-0 (right).
FEBRL=$SHARED/data/febrl
{ echo "left_id,right_id,probability"
  awk -F', *' 'NR>1 && NR<=41 {split($1,a,"-"); printf "%s,rec-%s-dup-0,0.97\n", $1, a[2]}' "$FEBRL/dataset4a.csv"
} >"$WORK/hits.csv"
SUBJECT=$(sed -n 2p "$WORK/hits.csv" | cut -d, -f1)

# Refusals: the agreement is not in force before its effective date nor after its expiry.
MATCHGUARD_TODAY=2026-03-01 expect_exit 2 "$MG" cases import --agreement "$G/A.toml" "$WORK/hits.csv"
expect_stderr_contains "not in force on 2026-03-01: it takes effect on 2026-03-02"
MATCHGUARD_TODAY=2027-09-03 expect_exit 2 "$MG" cases import --agreement "$G/A.toml" "$WORK/hits.csv"
expect_stderr_contains "it expired after 2027-09-02"
[ ! -e "$G/audit.log" ] || fail "a refused import wrote the audit log"

expect_exit 0 "$MG" cases import --agreement "$G/A.toml" "$WORK/hits.csv"
expect_stdout_contains "opened 40 case(s) in state raw, numbered from 1"
expect_exit 0 "$MG" cases list --agreement "$G/A.toml" --state raw
[ "$(wc -l <"$WORK/out")" -eq 40 ] || fail "expected 40 raw cases"

# Due process for case 1.
expect_exit 0 "$MG" cases action-allowed 1 --agreement "$G/A.toml"
expect_stdout_contains "no: not independently verified yet"
expect_exit 2 "$MG" cases notify 1 --agreement "$G/A.toml" --channel mail
expect_stderr_contains "case 1 is raw: notify is not allowed from that state"
expect_exit 0 "$MG" cases verify 1 --agreement "$G/A.toml" --by analyst-7 --source "state death certificate" --result confirmed
expect_exit 0 "$MG" cases action-allowed 1 --agreement "$G/A.toml"
expect_stdout_contains "no: the individual has not been notified"
expect_exit 0 "$MG" cases notify 1 --agreement "$G/A.toml" --channel mail --date 2026-03-02
expect_stdout_contains "case 1: notified"
MATCHGUARD_TODAY=2026-03-31 expect_exit 0 "$MG" cases action-allowed 1 --agreement "$G/A.toml"
expect_stdout_contains "no: the notice period runs until 2026-04-01"
MATCHGUARD_TODAY=2026-04-01 expect_exit 0 "$MG" cases action-allowed 1 --agreement "$G/A.toml"
expect_stdout_contains "yes: verified as confirmed on 2026-03-02"
# The released binary will not skip a notice period for an operator who sets the variable.
MATCHGUARD_TODAY=2026-04-01 expect_exit 2 "$RELEASED" cases action-allowed 1 --agreement "$G/A.toml"
expect_stderr_contains "MATCHGUARD_TODAY is set"

# Case 2 is contested, which blocks action until it is resolved.
export MATCHGUARD_TODAY=2026-04-10
expect_exit 0 "$MG" cases verify 2 --agreement "$G/A.toml" --by analyst-7 --source "state death certificate" --result confirmed --date 2026-03-03
expect_exit 0 "$MG" cases notify 2 --agreement "$G/A.toml" --channel mail --date 2026-03-03
expect_exit 0 "$MG" cases contest 2 --agreement "$G/A.toml" --date 2026-03-20
expect_exit 0 "$MG" cases action-allowed 2 --agreement "$G/A.toml"
expect_stdout_contains "no: a contest filed on 2026-03-20 is open"
expect_exit 2 "$MG" cases resolve 2 --agreement "$G/A.toml" --by officer-2 --outcome upheld --date 2026-03-19
expect_stderr_contains "before the case's last step"
expect_exit 0 "$MG" cases resolve 2 --agreement "$G/A.toml" --by officer-2 --outcome reversed
expect_exit 0 "$MG" cases action-allowed 2 --agreement "$G/A.toml"
expect_stdout_contains "no: the case was resolved as reversed"
expect_exit 0 "$MG" cases show 2 --agreement "$G/A.toml"
expect_stdout_contains "2026-03-20 contest"
expect_exit 2 "$MG" cases show 99 --agreement "$G/A.toml"
expect_stderr_contains "has no case 99"

# Accounting of disclosures for one subject.
expect_exit 0 "$MG" audit accounting "$G/audit.log" --subject "$SUBJECT" --public-key "$PUB"
expect_stdout_contains "1 disclosure(s)"
expect_stdout_contains "purpose improper-payments, fields: left.id, right.id, match_probability"
expect_exit 0 "$MG" audit accounting "$G/audit.log" --subject rec-nobody --public-key "$PUB"
expect_stdout_contains "0 disclosure(s)"
# An accounting from a log nobody verified is refused.
expect_exit 2 "$MG" audit accounting "$G/audit.log" --subject rec-nobody
expect_stderr_contains "--public-key is required"

# Oversight report, text and JSON.
expect_exit 0 "$MG" report oversight --agreement "$G/A.toml"
expect_stdout_contains "raw hits                           40"
expect_stdout_contains "adverse actions allowed            1"
expect_exit 0 "$MG" report oversight --agreement "$G/A.toml" --json --from 2026-03-01 --to 2026-04-10
expect_stdout_contains '"reversals": 1'
expect_stdout_contains '"contests": 1'

# No raw identifier of the matched people reaches the audit log: only ids, field names, counts, hashes.
awk -F', *' 'NR>1 && NR<=41 {print $2; print $3; print $5; print $10; print $11}' "$FEBRL/dataset4a.csv" |
  awk 'length($0) >= 4' | sort -u >"$WORK/values"
[ -s "$WORK/values" ] || fail "no input values to scan for"
if grep -F -f "$WORK/values" "$G/audit.log" >/dev/null; then fail "an input value appears in the audit log"; fi

# Inclusion proof, checked on its own.
expect_exit 0 "$MG" audit prove "$G/audit.log" 3 -o "$WORK/proof.json"
expect_exit 0 "$MG" audit verify-proof "$WORK/proof.json" --public-key "$PUB"
expect_stdout_contains "entry 3 is in the signed tree"

# Retention: a year and a day later everything is old enough to go, with destruction entries.
MATCHGUARD_TODAY=2027-04-11 expect_exit 0 "$MG" purge --agreement "$G/A.toml" --dry-run
expect_stdout_contains "would destroy 0 match output(s) and 40 case(s)"
MATCHGUARD_TODAY=2027-04-11 expect_exit 0 "$MG" purge --agreement "$G/A.toml"
expect_stdout_contains "destroyed 0 match output(s) and 40 case(s)"
[ "$(grep -c '"kind":"destruction"' "$G/audit.log")" -eq 40 ] || fail "expected 40 destruction entries"

# The log verifies, and no longer does after any one byte changes.
expect_exit 0 "$MG" audit verify "$G/audit.log" --public-key "$PUB"
expect_stdout_contains "ok:"
cp "$G/audit.log" "$WORK/tampered.log"
printf 'X' | dd of="$WORK/tampered.log" bs=1 seek=200 conv=notrunc status=none
expect_exit 2 "$MG" audit verify "$WORK/tampered.log" --public-key "$PUB"
expect_stderr_contains "tampered.log line"
# A log cut back to an earlier checkpoint passes alone but not against the checkpoint seen before.
ROOT=$("$MG" audit verify "$G/audit.log" --public-key "$PUB" | sed -n 's/^root //p')
SIZE=$("$MG" audit verify "$G/audit.log" --public-key "$PUB" | sed -n 's/^ok: \([0-9]*\) entries.*/\1/p')
FIRST=$(grep -n '^{"checkpoint"' "$G/audit.log" | head -n 1 | cut -d: -f1)
head -n "$FIRST" "$G/audit.log" >"$WORK/cut.log"
expect_exit 0 "$MG" audit verify "$WORK/cut.log" --public-key "$PUB"
expect_exit 2 "$MG" audit verify "$WORK/cut.log" --public-key "$PUB" --trusted-size "$SIZE" --trusted-root "$ROOT"
expect_stderr_contains "fewer than the $SIZE of the trusted checkpoint"
# A root without its size was once silently ignored.
expect_exit 2 "$MG" audit verify "$WORK/cut.log" --public-key "$PUB" --trusted-root "$ROOT"
expect_stderr_contains "--trusted-root needs --trusted-size"
# A witness file kept by the oversight role catches the same cut without anyone supplying a size.
expect_exit 0 "$MG" audit verify "$G/audit.log" --public-key "$PUB" --witness "$WORK/witness.json"
expect_stdout_contains "witness $WORK/witness.json: created; now at $SIZE entries"
[ "$(stat -c %a "$WORK/witness.json")" = 600 ] || fail "the witness file is not owner-only"
expect_exit 2 "$MG" audit verify "$WORK/cut.log" --public-key "$PUB" --witness "$WORK/witness.json"
expect_stderr_contains "does not hold the checkpoint witnessed in $WORK/witness.json (truncated or rolled back?)"
# Nothing is added to a tampered log, and no case is read against one.
cp "$WORK/tampered.log" "$G/audit.log"
expect_exit 2 "$MG" cases import --agreement "$G/A.toml" "$WORK/hits.csv"
expect_stderr_contains "refusing to use the case store: its record, the audit log, does not verify"
expect_exit 2 "$MG" cases list --agreement "$G/A.toml"
expect_stderr_contains "does not verify"
echo "governance end-to-end: ok"
