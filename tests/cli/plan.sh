# matchguard plan: rules and exact pair counts before any comparison.
source "$MATCHGUARD_TESTS/lib.sh"
printf 'first_name,last_name,dob\nann,lee,1970-01-01\nbo,lee,1970-01-01\n' >"$WORK/l.csv"
printf 'first_name,last_name,dob\nann,lee,1970-01-01\nx,y,1980-01-01\n' >"$WORK/r.csv"
printf '[blocking]\nrules = ["dob", "last_name"]\n' >"$WORK/c.toml"
expect_exit 0 "$MG" plan "$WORK/l.csv" "$WORK/r.csv" --config "$WORK/c.toml"
grep -Eq '^ +dob +2 pairs' "$WORK/out" || fail "dob should give 2 pairs: $(cat "$WORK/out")"
grep -Eq '^ +last_name +2 pairs' "$WORK/out" || fail "last_name should give 2 pairs: $(cat "$WORK/out")"
grep -Eq '^ +total +4 pairs' "$WORK/out" || fail "total should be 4: $(cat "$WORK/out")"
# Without a config the rules are chosen from the data (FEBRL4).
expect_exit 0 "$MG" plan "$SHARED/data/febrl/dataset4a.csv" "$SHARED/data/febrl/dataset4b.csv"
expect_stdout_contains "blocking rules"
expect_stdout_contains "total"
# Dedupe plan (one file).
expect_exit 0 "$MG" plan "$SHARED/data/febrl/dataset3.csv"
expect_stdout_contains "(dedupe)"
expect_exit 2 "$MG" plan "$WORK/missing.csv"
