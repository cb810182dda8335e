# A governed PPRL match: refusals (dates, an encoded field the agreement does not list, volume, shape, no
# schema), then the released columns, raw cases and a verifying audit log. Parties standardise and encode
# their own files; the linkage unit sees only encodings and the linkage schema.
source "$MATCHGUARD_TESTS/lib.sh"
SCHEMA="$MATCHGUARD_TESTS/../examples/pprl/generated_schema.json"
cd "$WORK"
expect_exit 0 "$MG" generate --people 1500 --out data --seed 9 -q
printf 'governed-match-test-secret' >secret
for side in left right; do
  expect_exit 0 "$MG" encode --standardize --schema "$SCHEMA" --secret-file secret data/$side.csv -o $side.clk.csv \
    --format csv -q
done
expect_exit 0 "$MG" agreement init -o agreement.toml
expect_exit 0 "$MG" audit keygen -o keys
A=agreement.toml
run() { "${BIN:-$MG}" match left.clk.csv right.clk.csv -o hits.csv --threshold 0.75 --agreement "$@"; }

# (The test build's clock; the released binary refuses to be told the date.)
for day in 2000-01-01 2099-01-01; do
  BIN=$MATCHGUARD_TEST_CLOCK MATCHGUARD_TODAY=$day expect_exit 2 run $A --schema "$SCHEMA"
  expect_stderr_contains "not in force"
  expect_no_file hits.csv
  MATCHGUARD_TODAY=$day expect_exit 2 run $A --schema "$SCHEMA"
  expect_stderr_contains "MATCHGUARD_TODAY is set"
  expect_no_file hits.csv
done
# The phone is hashed into these encodings, and the demo agreement does not list it.
sed 's/"identifier": "phone", "ignored": true/"identifier": "phone", "format": {"type": "string"}, "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 50}}/' \
  "$SCHEMA" >phone_schema.json
grep -q '"phone", "format"' phone_schema.json || fail "the test's schema edit did not apply"
expect_exit 2 run $A --schema phone_schema.json
expect_stderr_contains "does not authorise matching on phone"
expect_no_file hits.csv
expect_exit 2 run $A
expect_stderr_contains "--schema"
sed 's/^left_count = .*/left_count = 100/' $A >small.toml
expect_exit 2 run small.toml --schema "$SCHEMA"
expect_stderr_contains "100"
expect_no_file hits.csv
expect_exit 2 run $A --schema "$SCHEMA" --solve none
expect_no_file hits.csv
expect_exit 2 run $A --schema "$SCHEMA" --model-out model.json
expect_no_file hits.csv

# The demo agreement's purpose discloses left.id, right.id and match_probability (not a Dice similarity):
# the release holds the ids and the status only.
expect_exit 0 run $A --schema "$SCHEMA"
expect_stdout_contains "governed by agreement"
[ "$(head -1 hits.csv)" = "left_id,right_id,status" ] || fail "released header is $(head -1 hits.csv)"
tail -n +2 hits.csv | awk -F, '$3 != "unverified" {exit 1}' || fail "a hit is not marked unverified"
hits=$(($(wc -l <hits.csv) - 1))
[ "$hits" -gt 600 ] || fail "only $hits hits"
expect_exit 0 "$MG" cases list --agreement $A
[ "$(grep -c raw "$WORK/out")" -ge "$hits" ] || fail "cases list does not show a raw case per hit"
expect_exit 0 "$MG" audit verify audit.log --public-key keys/audit_ed25519.pub.pem
grep -q "dice >= 0.75 over bloom-filter encodings" audit.log || fail "the run entry does not describe the model"
# A purpose that authorises the similarity releases it.
sed 's/disclose = \["left.id", "right.id", "match_probability", "left.mbi"\]/disclose = ["left.id", "right.id", "similarity"]/' \
  $A >sim.toml
grep -q '"similarity"' sim.toml || fail "the test's agreement edit did not apply"
expect_exit 0 run sim.toml --schema "$SCHEMA" -q
[ "$(head -1 hits.csv)" = "left_id,right_id,similarity,status" ] || fail "released header is $(head -1 hits.csv)"

# P-Sig blocking is matching too: the blocking features must be authorised and the blocks must come from
# the schema shown.
PSIG="$MATCHGUARD_TESTS/../examples/psig/generated.json"
for side in left right; do
  expect_exit 0 "$MG" block --standardize --schema "$PSIG" --secret-file secret data/$side.csv -o $side.blocks.json -q
done
rm -f hits.csv
prun() { run "$@" --schema "$SCHEMA" --blocking psig --blocks left.blocks.json right.blocks.json; }
expect_exit 2 prun $A
expect_stderr_contains "--psig-schema"
sed 's/"blocking-features": \["first_name", "last_name", "dob", "zip"\]/"blocking-features": ["first_name", "last_name", "dob", "zip", "phone"]/' \
  "$PSIG" >phone_psig.json
grep -q '"phone"\]' phone_psig.json || fail "the test's P-Sig schema edit did not apply"
expect_exit 2 prun $A --psig-schema phone_psig.json
expect_stderr_contains "does not authorise matching on phone"
expect_no_file hits.csv
expect_exit 0 prun sim.toml --psig-schema "$PSIG"
expect_stdout_contains "psig blocking"
[ "$(head -1 hits.csv)" = "left_id,right_id,similarity,status" ] || fail "released header is $(head -1 hits.csv)"
expect_exit 0 "$MG" audit verify audit.log --public-key keys/audit_ed25519.pub.pem

# The field-level model under the agreement: its comparisons must be features of the schema.
for side in left right; do
  expect_exit 0 "$MG" encode --standardize --field-level --schema "$SCHEMA" --secret-file secret data/$side.csv \
    -o $side.f.csv --format csv -q
done
rm -f hits.csv
mrun() { "$MG" match left.f.csv right.f.csv -o hits.csv --threshold 0.6 --scoring model --agreement "$@"; }
expect_exit 2 mrun $A --schema "$SCHEMA" --fields first_name,ssn
expect_stderr_contains "ssn is not a hashed feature"
expect_no_file hits.csv
expect_exit 0 mrun $A --schema "$SCHEMA" --fields first_name,last_name,dob,sex,street+city+zip -q
[ "$(head -1 hits.csv)" = "left_id,right_id,match_probability,status" ] || fail "released header is $(head -1 hits.csv)"
grep -q "fellegi-sunter em over field-level bloom filters" audit.log || fail "the run entry does not describe the model"
echo "governed_match: ok"
