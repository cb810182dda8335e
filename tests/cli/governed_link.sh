# A governed link end to end: refusals (dates, fields, volume, --explain), the released columns, raw cases,
# due process through action-allowed, accounting for one subject, the oversight report, audit verification
# passing and then failing after a one-byte change.
source "$MATCHGUARD_TESTS/lib.sh"
cd "$WORK"
expect_exit 0 "$MG" generate --people 1500 --out data --seed 9 -q
expect_exit 0 "$MG" agreement init -o agreement.toml
expect_exit 0 "$MG" audit keygen -o keys
A=agreement.toml

# Not yet in force, and expired: refused before anything is written.
# (The test build's clock; the released binary refuses to be told the date.)
for day in 2000-01-01 2099-01-01; do
  MATCHGUARD_TODAY=$day expect_exit 2 "$MATCHGUARD_TEST_CLOCK" link data/left.csv data/right.csv -o hits.csv --agreement $A
  expect_stderr_contains "not in force"
  expect_no_file hits.csv
  MATCHGUARD_TODAY=$day expect_exit 2 "$MG" link data/left.csv data/right.csv -o hits.csv --agreement $A
  expect_stderr_contains "MATCHGUARD_TODAY is set"
  expect_no_file hits.csv
done
# A configuration asking to match on a field the agreement does not list.
printf "[comparisons.state]\nenabled = true\n" >state.toml
expect_exit 2 "$MG" link data/left.csv data/right.csv -o hits.csv --agreement $A --config state.toml
expect_stderr_contains "does not authorise matching on state"
expect_no_file hits.csv
# --explain would disclose per-field comparison levels.
expect_exit 2 "$MG" link data/left.csv data/right.csv -o hits.csv --agreement $A --explain
expect_no_file hits.csv
# Inputs far above the agreement's stated counts.
sed 's/^left_count = .*/left_count = 100/' $A >small.toml
expect_exit 2 "$MG" link data/left.csv data/right.csv -o hits.csv --agreement small.toml
expect_stderr_contains "100"
expect_no_file hits.csv

# The governed run: only authorised columns, every hit unverified, a raw case per hit.
expect_exit 0 "$MG" link data/left.csv data/right.csv -o hits.csv --one-to-one --agreement $A
expect_file hits.csv
[ "$(head -1 hits.csv)" = "left_id,right_id,match_probability,left_mbi,status" ] || fail "released header is $(head -1 hits.csv)"
tail -n +2 hits.csv | awk -F, '$5 != "unverified" {exit 1}' || fail "a hit is not marked unverified"
# No raw identifier of the inputs (SSNs, surnames) is in the released output or the audit log.
ssn=$(sed -n 2p data/left.csv | cut -d, -f7 | tr -d '-')
[ -n "$ssn" ] && ! grep -q "$ssn" hits.csv audit.log || fail "an SSN leaked into the output or audit log"
hits=$(($(wc -l <hits.csv) - 1))
[ "$hits" -gt 300 ] || fail "only $hits hits"
expect_exit 0 "$MG" cases list --agreement $A
[ "$(grep -c raw "$WORK/out")" -ge "$hits" ] || fail "cases list does not show a raw case per hit"

# Due process: no action on a raw hit; allowed only after verification, notice and the notice period.
expect_exit 0 "$MG" cases action-allowed 1 --agreement $A
expect_stdout_contains "no: not independently verified"
left_id=$(sed -n 2p hits.csv | cut -d, -f1)
expect_exit 0 "$MG" audit accounting audit.log --subject "$left_id" --public-key keys/audit_ed25519.pub.pem
expect_stdout_contains "$left_id"
expect_exit 0 "$MG" report oversight --agreement $A
expect_exit 0 "$MG" audit verify audit.log --public-key keys/audit_ed25519.pub.pem
# One changed byte in the log is detected.
printf 'X' | dd of=audit.log bs=1 seek=40 conv=notrunc status=none
expect_exit 2 "$MG" audit verify audit.log --public-key keys/audit_ed25519.pub.pem
