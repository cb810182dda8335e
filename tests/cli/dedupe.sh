# matchguard dedupe: every record gets a stable cluster id; bad input is refused.
source "$MATCHGUARD_TESTS/lib.sh"
printf 'id,first_name,last_name,dob,zip\n' >"$WORK/p.csv"
printf 'z9,anna,kowalczyk,1970-01-02,20001\nb2,anna,kowalczyk,1970-01-02,20001\n' >>"$WORK/p.csv"
printf 'd4,bob,oyelaran,1950-05-06,30003\ne5,carl,nguyen,1990-09-09,40004\n' >>"$WORK/p.csv"
cat >"$WORK/c.toml" <<'TOML'
[blocking]
rules = ["dob"]
[model]
m.first_name.exact = 0.8
u.first_name.exact = 0.01
m.last_name.exact = 0.9
u.last_name.exact = 0.01
m.dob.exact = 0.95
u.dob.exact = 0.001
TOML
expect_exit 0 "$MG" dedupe "$WORK/p.csv" -o "$WORK/clusters.csv" --config "$WORK/c.toml" --json-summary "$WORK/s.json"
grep -qx 'z9,b2' "$WORK/clusters.csv" || fail "z9 should join b2's cluster: $(cat "$WORK/clusters.csv")"
grep -qx 'b2,b2' "$WORK/clusters.csv" || fail "b2 should name its cluster"
grep -qx 'e5,e5' "$WORK/clusters.csv" || fail "e5 is alone"
[ "$(wc -l <"$WORK/clusters.csv")" -eq 5 ] || fail "every record must be written"
grep -q '"clusters": 3' "$WORK/s.json" || fail "summary: $(cat "$WORK/s.json")"

# --pairs: the pairs that joined records, with --explain their levels, for review.
expect_exit 0 "$MG" dedupe "$WORK/p.csv" -o "$WORK/clusters2.csv" --config "$WORK/c.toml" --pairs "$WORK/pairs.csv" --explain
head -1 "$WORK/pairs.csv" | grep -q '^left_id,right_id,match_probability,match_weight,first_name_level' ||
  fail "pairs header: $(head -1 "$WORK/pairs.csv")"
[ "$(wc -l <"$WORK/pairs.csv")" -eq 2 ] || fail "one joining pair expected: $(cat "$WORK/pairs.csv")"
grep -Eq '^(z9,b2|b2,z9),' "$WORK/pairs.csv" || fail "the pair is z9 and b2: $(cat "$WORK/pairs.csv")"
cmp -s "$WORK/clusters.csv" "$WORK/clusters2.csv" || fail "--pairs must not change the clusters"

printf 'colour\nred\n' >"$WORK/junk.csv"
expect_exit 2 "$MG" dedupe "$WORK/junk.csv" -o "$WORK/junk_out.csv"
expect_stderr_contains "no column is recognised as a person field"
expect_no_file "$WORK/junk_out.csv"
