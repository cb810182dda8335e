# matchguard inspect: the detected mapping and statistics on FEBRL data, no identifiers in the output,
# config overrides, --json, and the exit codes of bad input.
source "$MATCHGUARD_TESTS/lib.sh"
FEBRL="$SHARED/data/febrl/dataset4a.csv"

# expect_row FIELD COLUMN [FILLED]: the text table maps FIELD to COLUMN (and FILLED values when given).
expect_row() {
  awk -v f="$1" -v c="$2" -v n="${3:-}" '$1 == f && $2 == c && (n == "" || $3 == n) {found = 1} END {exit !found}' \
    "$WORK/out" || { cat "$WORK/out" >&2; fail "no row '$1 $2 $3'"; }
}

expect_exit 0 "$MG" inspect "$FEBRL"
expect_stdout_contains "rows: 5000"
expect_stdout_contains "columns: 11 (1 not mapped: address_2)"
expect_row id rec_id 5000
expect_row first_name given_name 4888
expect_row last_name surname
expect_row street_number street_number
expect_row street address_1
expect_row city suburb
expect_row zip postcode 5000
expect_row state state
expect_row dob date_of_birth
expect_row ssn soc_sec_id 5000
expect_stdout_contains "nsw (1686)"
# Identifiers never appear: not the record ids, dates of birth or SSNs of the first record.
! grep -qE 'rec-[0-9]|19151111|1915-11-11|5304218' "$WORK/out" || fail "inspect printed an identifier"

expect_exit 0 "$MG" inspect "$FEBRL" --json
expect_stdout_contains '"rows": 5000'
expect_stdout_contains '"field": "ssn"'
expect_stdout_contains '"column": "soc_sec_id"'
expect_stdout_contains '"unmapped_columns": ['
! grep -qE 'rec-[0-9]|5304218' "$WORK/out" || fail "inspect --json printed an identifier"

# A config maps an unusual header and sets the date order; --delimiter reads a tab-separated file.
printf 'Key\tGivenName\tBorn\n1\tJosé\t02/01/1990\n2\tAnn\t31/12/1990\n' >"$WORK/people.tsv"
printf '[input]\ndate_format = "dmy"\n[fields]\nfirst_name = "GivenName"\ndob = "Born"\nid = "Key"\n' >"$WORK/c.toml"
expect_exit 0 "$MG" inspect "$WORK/people.tsv" --delimiter tab --config "$WORK/c.toml"
expect_row first_name GivenName 2
expect_row dob Born 2
expect_row id Key 2

# Bad input: exit code 2 and a message naming the file and where.
expect_exit 2 "$MG" inspect "$WORK/no-such.csv"
expect_stderr_contains "$WORK/no-such.csv"
printf 'id,name\n1,ann\n2,bob,extra\n' >"$WORK/ragged.csv"
expect_exit 2 "$MG" inspect "$WORK/ragged.csv"
expect_stderr_contains "ragged.csv: line 3"
printf '[input]\ndelimiter = "colon"\n' >"$WORK/bad.toml"
expect_exit 2 "$MG" inspect "$FEBRL" --config "$WORK/bad.toml"
expect_stderr_contains "bad.toml:2: input.delimiter"
printf '[fields]\nfirst_name = "Forename"\n' >"$WORK/missing.toml"
expect_exit 2 "$MG" inspect "$FEBRL" --config "$WORK/missing.toml"
expect_stderr_contains "names column 'Forename' for first_name"
expect_stderr_contains "columns found: rec_id, given_name"
expect_exit 2 "$MG" inspect "$FEBRL" --delimiter colon
expect_stderr_contains "--delimiter"
expect_exit 2 "$MG" inspect
echo "inspect: ok"
