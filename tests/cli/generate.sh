# matchguard generate: files, headers, determinism, claims, dedupe, bad options, and evaluate on its truth.
source "$MATCHGUARD_TESTS/lib.sh"

expect_exit 0 "$MG" generate --people 2000 --out "$WORK/a" --seed 9
expect_stdout_contains "generated 2000 people (link)"
expect_stdout_contains "twins_record_pairs_across_files"
for f in left.csv right.csv truth.csv summary.json; do expect_file "$WORK/a/$f"; done
[ "$(head -1 "$WORK/a/left.csv")" = "record_id,first_name,middle_name,last_name,dob,sex,ssn,street,city,state,zip,phone,mbi" ] \
  || fail "left.csv header: $(head -1 "$WORK/a/left.csv")"
[ "$(head -1 "$WORK/a/right.csv")" = "person_id,given_name,surname,birth_date,gender,social_security_number,address,town,state,postal_code" ] \
  || fail "right.csv header: $(head -1 "$WORK/a/right.csv")"
[ "$(wc -l < "$WORK/a/left.csv")" -eq 2001 ] || fail "left.csv should have 2000 rows"
grep -q '"mode": "link"' "$WORK/a/summary.json" || fail "summary.json lacks the mode"

# Same seed, same bytes; another seed, other bytes.
expect_exit 0 "$MG" generate --people 2000 --out "$WORK/b" --seed 9 --quiet
[ ! -s "$WORK/out" ] || fail "--quiet printed something"
for f in left.csv right.csv truth.csv summary.json; do cmp -s "$WORK/a/$f" "$WORK/b/$f" || fail "$f differs for one seed"; done
expect_exit 0 "$MG" generate --people 2000 --out "$WORK/c" --seed 10 -q
cmp -s "$WORK/a/left.csv" "$WORK/c/left.csv" && fail "another seed gave the same left.csv"

# The truth scores itself perfectly, and the evaluator reads it as pairs.
expect_exit 0 "$MG" evaluate "$WORK/a/truth.csv" "$WORK/a/truth.csv" --json
expect_stdout_contains '"f1":1.0'

# Claims: more rows than people, four extra columns, every truth row a claim row.
expect_exit 0 "$MG" generate --people 1000 --out "$WORK/claims" --claims --overlap 1
head -1 "$WORK/claims/left.csv" | grep -q ',claim_id,service_date,hcpcs_code,paid_amount$' || fail "claims header"
rows=$(($(wc -l < "$WORK/claims/left.csv") - 1))
truth=$(($(wc -l < "$WORK/claims/truth.csv") - 1))
[ "$rows" -gt 1500 ] || fail "claims: only $rows rows for 1000 people"
[ "$truth" -eq "$rows" ] || fail "claims with --overlap 1: $truth truth rows for $rows claim rows"

# Dedupe: one file with duplicates and record_id,cluster_id truth.
expect_exit 0 "$MG" generate --people 1000 --out "$WORK/dd" --dedupe -q
expect_file "$WORK/dd/records.csv"
[ ! -e "$WORK/dd/right.csv" ] || fail "dedupe wrote right.csv"
[ "$(head -1 "$WORK/dd/truth.csv")" = "record_id,cluster_id" ] || fail "dedupe truth header"
expect_exit 0 "$MG" evaluate "$WORK/dd/truth.csv" "$WORK/dd/truth.csv" --json
expect_stdout_contains '"shape":"clusters"'

# Bad options: usage errors, nothing written.
expect_exit 2 "$MG" generate --people 0 --out "$WORK/bad"
expect_exit 2 "$MG" generate --people 10 --out "$WORK/bad" --overlap 2
expect_exit 2 "$MG" generate --people 10 --out "$WORK/bad" --claims --dedupe
expect_exit 2 "$MG" generate --out "$WORK/bad"
[ ! -e "$WORK/bad" ] || fail "a refused run created $WORK/bad"

# An output folder that cannot be created is an error naming it, and leaves nothing behind.
touch "$WORK/file"
expect_exit 2 "$MG" generate --people 10 --out "$WORK/file/sub"
expect_stderr_contains "$WORK/file/sub"
