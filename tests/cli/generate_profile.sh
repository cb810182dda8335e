# matchguard generate --profile: the registry profile's files, headers and formats, every column detected by
# inspect, determinism, its truth linked and evaluated, dedupe, and the refusals; --profile agency is the
# default, byte for byte.
source "$MATCHGUARD_TESTS/lib.sh"

expect_exit 0 "$MG" generate --people 3000 --out "$WORK/r" --seed 4 --profile registry
expect_stdout_contains "generated 3000 people (link, registry profile)"
expect_stdout_contains "first_name_ocr_confusion"
expect_stdout_contains "siblings_record_pairs_across_files"
for f in left.csv right.csv truth.csv summary.json; do expect_file "$WORK/r/$f"; done
[ "$(head -1 "$WORK/r/left.csv")" = "uid,lname,fname,mname,birth_date,gender,ssn,house_no,street_name,city,state_code,zip5,phone_no" ] \
  || fail "left.csv header: $(head -1 "$WORK/r/left.csv")"
[ "$(head -1 "$WORK/r/right.csv")" = "rec_id,name,dob,sex,soc_sec_id,street_no,street,locality,state,zip_code,tel" ] \
  || fail "right.csv header: $(head -1 "$WORK/r/right.csv")"
[ "$(wc -l < "$WORK/r/left.csv")" -eq 3001 ] || fail "left.csv should have 3000 rows"
grep -q '"profile": "registry"' "$WORK/r/summary.json" || fail "summary.json lacks the profile"
sed -n 2p "$WORK/r/truth.csv" | grep -qE '^U[0-9]+,V[0-9]+$' || fail "truth row: $(sed -n 2p "$WORK/r/truth.csv")"
# Formats: YYYYMMDD and 1/2 on the left; "SURNAME, GIVEN" names and timestamps on the right.
sed -n 2p "$WORK/r/left.csv" | grep -qE '^U1,[A-Z].*,[0-9]{8},[012],' || fail "left row: $(sed -n 2p "$WORK/r/left.csv")"
grep -qE '^V[0-9]+,"[A-Z].*, [A-Z].*",[0-9]{4}-[0-9]{2}-[0-9]{2} 00:00:00,[MFU],' "$WORK/r/right.csv" \
  || fail "right.csv has no 'SURNAME, GIVEN' row with a timestamp"

# inspect maps every column of both files to its field, with nothing left unmapped.
expect_row() {
  awk -v f="$1" -v c="$2" '$1 == f && $2 == c {found = 1} END {exit !found}' "$WORK/out" \
    || { cat "$WORK/out" >&2; fail "no row '$1 $2'"; }
}
expect_exit 0 "$MG" inspect "$WORK/r/left.csv"
expect_stdout_contains "columns: 13"
! grep -q "not mapped" "$WORK/out" || fail "left.csv has an unmapped column"
for pair in id:uid first_name:fname middle_name:mname last_name:lname dob:birth_date sex:gender ssn:ssn \
            street_number:house_no street:street_name city:city state:state_code zip:zip5 phone:phone_no; do
  expect_row "${pair%%:*}" "${pair#*:}"
done
expect_exit 0 "$MG" inspect "$WORK/r/right.csv"
expect_stdout_contains "columns: 11"
! grep -q "not mapped" "$WORK/out" || fail "right.csv has an unmapped column"
for pair in id:rec_id full_name:name dob:dob sex:sex ssn:soc_sec_id street_number:street_no street:street \
            city:locality state:state zip:zip_code phone:tel; do
  expect_row "${pair%%:*}" "${pair#*:}"
done
expect_row first_name "(from"
expect_row last_name "(from"

# Same seed, same bytes; another seed, other bytes.
expect_exit 0 "$MG" generate --people 3000 --out "$WORK/r2" --seed 4 --profile registry -q
for f in left.csv right.csv truth.csv summary.json; do cmp -s "$WORK/r/$f" "$WORK/r2/$f" || fail "$f differs for one seed"; done
expect_exit 0 "$MG" generate --people 3000 --out "$WORK/r3" --seed 5 --profile registry -q
cmp -s "$WORK/r/right.csv" "$WORK/r3/right.csv" && fail "another seed gave the same right.csv"

# The default profile is the agency profile, byte for byte.
expect_exit 0 "$MG" generate --people 1500 --out "$WORK/d" --seed 4 -q
expect_exit 0 "$MG" generate --people 1500 --out "$WORK/a" --seed 4 --profile agency -q
for f in left.csv right.csv truth.csv summary.json; do cmp -s "$WORK/d/$f" "$WORK/a/$f" || fail "--profile agency changed $f"; done
! grep -q '"profile"' "$WORK/d/summary.json" || fail "the default summary.json gained a profile key"

# The truth scores itself perfectly, and the files link without any configuration.
expect_exit 0 "$MG" evaluate "$WORK/r/truth.csv" "$WORK/r/truth.csv" --json
expect_stdout_contains '"f1":1.0'
expect_exit 0 "$MG" link "$WORK/r/left.csv" "$WORK/r/right.csv" -o "$WORK/pairs.csv" --one-to-one
expect_exit 0 "$MG" evaluate "$WORK/pairs.csv" "$WORK/r/truth.csv" --json
f1=$(grep -oE '"f1":[0-9.]+' "$WORK/out" | cut -d: -f2)
awk -v f="$f1" 'BEGIN {exit !(f > 0.5)}' || fail "linking the registry files gave F1 $f1"

# Dedupe: the client layout, and cluster truth.
expect_exit 0 "$MG" generate --people 1000 --out "$WORK/dd" --dedupe --profile registry -q
[ "$(head -1 "$WORK/dd/records.csv" | cut -d, -f1-3)" = "uid,lname,fname" ] || fail "dedupe header"
[ "$(head -1 "$WORK/dd/truth.csv")" = "record_id,cluster_id" ] || fail "dedupe truth header"
grep -q '"spouses_record_pairs_in_file"' "$WORK/dd/summary.json" || fail "dedupe summary lacks the household pairs"
expect_exit 0 "$MG" evaluate "$WORK/dd/truth.csv" "$WORK/dd/truth.csv" --json
expect_stdout_contains '"shape":"clusters"'

# Refusals: claims with the registry profile, an unknown profile; nothing written.
expect_exit 2 "$MG" generate --people 10 --out "$WORK/bad" --claims --profile registry
expect_stderr_contains "--claims is only available with --profile agency"
expect_exit 2 "$MG" generate --people 10 --out "$WORK/bad" --profile census
expect_stderr_contains "--profile must be one of agency, registry; got 'census'"
[ ! -e "$WORK/bad" ] || fail "a refused run created $WORK/bad"
