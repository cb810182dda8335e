# FEBRL4 linkage with no configuration and no labels: F1 must be at least 0.999 (issue 11; measured 0.9998).
source "$MATCHGUARD_TESTS/lib.sh"
F="$SHARED/data/febrl"
expect_exit 0 "$MG" link "$F/dataset4a.csv" "$F/dataset4b.csv" -o "$WORK/pairs.csv" --json-summary "$WORK/summary.json"
expect_file "$WORK/pairs.csv"
head -1 "$WORK/pairs.csv" | grep -qx 'left_id,right_id,match_probability,match_weight' || fail "unexpected header"
grep -q '"converged": true' "$WORK/summary.json" || fail "EM did not converge: $(cat "$WORK/summary.json")"
expect_exit 0 "$MG" evaluate "$WORK/pairs.csv" --febrl "$F/dataset4a.csv" "$F/dataset4b.csv" --json
f1=$(tr -d ' \n' <"$WORK/out" | sed -n 's/.*"f1":\([0-9.eE+-]*\).*/\1/p')
[ -n "$f1" ] || fail "no f1 in: $(cat "$WORK/out")"
awk -v f="$f1" 'BEGIN { exit !(f >= 0.999) }' || fail "FEBRL4 F1 $f1 < 0.999: $(cat "$WORK/out")"
echo "FEBRL4 F1 $f1"
