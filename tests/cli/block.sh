# matchguard block: a data owner's P-Sig blocks. Deterministic under one secret, the same from a file or an
# environment variable, rows and ids as in the CSV, no values in the output; every bad input (schema,
# CSV, secret) is exit 2 with a message naming the file and no output file.
source "$MATCHGUARD_TESTS/lib.sh"
cat >"$WORK/people.csv" <<'CSV'
id,first,last,dob
p1,Zoë,Smith,1985-03-12
p2, ZOE ,SMITH,1985-03-12
p3,John,,1990-01-01
p4,Mary,Jones,
CSV
cat >"$WORK/schema.json" <<'JSON'
{"type": "p-sig", "version": 1,
 "config": {"blocking-features": ["first", "last", "dob"],
   "filter": {"type": "ratio", "max": 1.0, "min": 0.0},
   "blocking-filter": {"type": "bloom filter", "number-hash-functions": 4, "bf-len": 2048},
   "signatureSpecs": [[{"type": "characters-at", "config": {"pos": ["0:2"]}, "feature": "first"},
                       {"type": "feature-value", "feature": "last"}],
                      [{"type": "metaphone", "feature": "last"}, {"type": "characters-at", "config": {"pos": [":4"]}, "feature": "dob"}]]}}
JSON
printf 'a-shared-secret-of-enough-bytes' >"$WORK/secret"

expect_exit 0 "$MG" block --help
expect_stdout_contains "--secret-file"
expect_exit 0 "$MG" block --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$WORK/people.csv" -o "$WORK/b1.json"
expect_stdout_contains "blocked 4 records: 5 signatures, 3 blocks kept, 0 signatures dropped by the filter, largest block 2 records, 1 records in no block"
expect_exit 0 env MG_TEST_SECRET=a-shared-secret-of-enough-bytes "$MG" block \
  --schema "$WORK/schema.json" --secret-env MG_TEST_SECRET "$WORK/people.csv" -o "$WORK/b2.json" -q
cmp -s "$WORK/b1.json" "$WORK/b2.json" || fail "the same secret from a file and from the environment gave different blocks"
# p1 and p2 are the same person written differently: identical keys after folding.
keys() { grep "\"id\": \"$1\"" "$WORK/b1.json" | sed 's/.*"keys"://'; }
[ "$(keys p1)" = "$(keys p2)" ] || fail "folding should give p1 and p2 the same keys"
[ "$(keys p3)" = ' []}' ] || [ "$(keys p3)" = ' []},' ] || fail "p3 has no surname, so no signature: $(keys p3)"
grep -q '{"row": 2, "id": "p3"' "$WORK/b1.json" || fail "rows must be numbered as the CSV's data rows"
grep -qiE 'smith|zoe|jones|mary' <(grep -v '"id"' "$WORK/b1.json"; sed 's/"id": "[^"]*"//' "$WORK/b1.json" | grep -o '"keys".*') \
  && fail "the blocks file holds a value"
# The schema's record-id-col or --id-column choose the id written.
expect_exit 0 "$MG" block --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$WORK/people.csv" -o "$WORK/b3.json" \
  --id-column last -q
grep -q '"id": "Jones"' "$WORK/b3.json" || fail "--id-column was not used"

bad_schema() {  # bad_schema NAME JSON EXPECTED-MESSAGE
  printf '%s' "$2" >"$WORK/$1.json"
  expect_exit 2 "$MG" block --schema "$WORK/$1.json" --secret-file "$WORK/secret" "$WORK/people.csv" -o "$WORK/out.json"
  expect_stderr_contains "$WORK/$1.json"
  expect_stderr_contains "$3"
  expect_no_file "$WORK/out.json"
}
bad_schema unknown_strategy "$(sed 's/"metaphone"/"soundex"/' "$WORK/schema.json")" \
  "config.signatureSpecs[1][0].type: unknown signature strategy 'soundex'"
bad_schema not_json '{"type": "p-sig", "version": 1,
  "config": {,}}' ":2:14: the blocking schema is not valid JSON"
bad_schema lambda '{"type": "lambda-fold", "version": 1, "config": {}}' "unsupported blocking type 'lambda-fold'"
bad_schema undeclared "$(sed 's/"feature": "dob"/"feature": "zip"/' "$WORK/schema.json")" \
  "config.signatureSpecs[1][1].feature: 'zip' is not one of config.blocking-features"
# A feature that is not a column of the CSV names the CSV.
sed 's/"dob"/"birth_date"/g' "$WORK/schema.json" >"$WORK/missing.json"
expect_exit 2 "$MG" block --schema "$WORK/missing.json" --secret-file "$WORK/secret" "$WORK/people.csv" -o "$WORK/out.json"
expect_stderr_contains "$WORK/people.csv: line 1: blocking feature 'birth_date' is not a column of the header"
expect_no_file "$WORK/out.json"
# A filter that drops everything, a short or missing secret, a bad CSV.
sed 's/"min": 0.0/"min": 0.9/' "$WORK/schema.json" >"$WORK/tight.json"
expect_exit 2 "$MG" block --schema "$WORK/tight.json" --secret-file "$WORK/secret" "$WORK/people.csv" -o "$WORK/out.json"
expect_stderr_contains "no record is in any block"
expect_no_file "$WORK/out.json"
printf 'qzxwv' >"$WORK/tiny.key"
expect_exit 2 "$MG" block --schema "$WORK/schema.json" --secret-file "$WORK/tiny.key" "$WORK/people.csv" -o "$WORK/out.json"
expect_stderr_contains "too short"
expect_no_file "$WORK/out.json"
grep -q qzxwv "$WORK/err" && fail "the secret's bytes appear in a message"
expect_exit 2 "$MG" block --schema "$WORK/schema.json" "$WORK/people.csv" -o "$WORK/out.json"
expect_no_file "$WORK/out.json"
printf 'id,first,last,dob\np1,"Zoe,Smith,1985\n' >"$WORK/bad.csv"
expect_exit 2 "$MG" block --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$WORK/bad.csv" -o "$WORK/out.json"
expect_stderr_contains "$WORK/bad.csv"
expect_no_file "$WORK/out.json"
echo "block: ok"
