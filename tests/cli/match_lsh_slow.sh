# LSH blocking on FEBRL4 (encoded as in match_febrl.sh): reports reduction ratio and pairs completeness
# against the FEBRL truth, and with the default parameters finds the same links as comparing all pairs.
source "$MATCHGUARD_TESTS/lib.sh"
F="$SHARED/data/febrl"
# The clkhash tutorial schema, taken from match_febrl.sh so the two tests cannot drift apart.
sed -n "/^cat >\"\$WORK\/schema.json\" <<'JSON'$/,/^JSON$/p" "$MATCHGUARD_TESTS/cli/match_febrl.sh" | sed '1d;$d' >"$WORK/schema.json"
printf 'matchguard-febrl4-test-secret' >"$WORK/secret"
for s in a b; do
  expect_exit 0 "$MG" encode --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$F/dataset4$s.csv" \
    -o "$WORK/$s.csv" --format csv --id-column rec_id -q
done
# Truth: rec-N-org in 4a is the same person as rec-N-dup-0 in 4b.
awk -F', *' 'NR > 1 { split($1, p, "-"); print p[2] "," $1 }' "$F/dataset4a.csv" | sort -t, -k1,1 >"$WORK/ta"
awk -F', *' 'NR > 1 { split($1, p, "-"); print p[2] "," $1 }' "$F/dataset4b.csv" | sort -t, -k1,1 >"$WORK/tb"
{ echo "left_id,right_id"; join -t, "$WORK/ta" "$WORK/tb" | cut -d, -f2,3; } >"$WORK/truth.csv"
[ "$(wc -l <"$WORK/truth.csv")" -eq 5001 ] || fail "FEBRL4 truth should have 5000 pairs"

expect_exit 0 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/all.csv" --threshold 0.8
expect_exit 0 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/lsh.csv" --threshold 0.8 --blocking lsh \
  --truth "$WORK/truth.csv"
cat "$WORK/out"
grep -qE 'reduction ratio 0\.[0-9]+, pairs completeness 0\.99[0-9]+' "$WORK/out" || fail "LSH figures missing or PC < 0.99"
diff "$WORK/all.csv" "$WORK/lsh.csv" >/dev/null || fail "LSH blocking lost links that comparing all pairs finds"
echo "match_lsh_slow: ok"
