# P-Sig blocking on FEBRL4 (5,000 x 5,000): both owners block with examples/psig/febrl.json and the shared
# secret, the linkage unit joins the blocks files. Pairs completeness >= 0.99 at a reduction ratio near
# 0.99974 (measured; asserted with a margin), and every bad blocks input is exit 2 with no output.
source "$MATCHGUARD_TESTS/lib.sh"
F="$SHARED/data/febrl"
SCHEMA="$MATCHGUARD_TESTS/../examples/psig/febrl.json"
cp "$MATCHGUARD_TESTS/../examples/pprl/febrl_schema.json" "$WORK/clk.json"
printf 'matchguard-febrl4-test-secret' >"$WORK/secret"
for s in a b; do
  expect_exit 0 "$MG" encode --schema "$WORK/clk.json" --secret-file "$WORK/secret" "$F/dataset4$s.csv" \
    -o "$WORK/$s.csv" --format csv --id-column rec_id -q
  expect_exit 0 "$MG" block --schema "$SCHEMA" --secret-file "$WORK/secret" "$F/dataset4$s.csv" -o "$WORK/$s.blocks" \
    --id-column rec_id
  expect_stdout_contains "blocked 5000 records"
done
febrl4_truth "$WORK/truth.csv"

# The blocks files hold ids and keys, never values: no surname or date of birth of the CSV appears.
for v in $(awk -F', *' 'NR > 1 && NR < 200 && $3 != "" { print $3 }' "$F/dataset4a.csv" | sort -u | head -100); do
  grep -q "\"$v\"" "$WORK/a.blocks" && fail "the blocks file holds the surname $v"
done
grep -q '19151111' "$WORK/a.blocks" && fail "the blocks file holds a date of birth"

expect_exit 0 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/psig.csv" --threshold 0.8 --blocking psig \
  --blocks "$WORK/a.blocks" "$WORK/b.blocks" --truth "$WORK/truth.csv"
cat "$WORK/out"
blocking_figures
awk -v pc="$pc" -v rr="$rr" 'BEGIN { exit !(pc >= 0.99 && rr >= 0.9995) }' || fail "PC $pc < 0.99 or RR $rr < 0.9995"
# Every link found with blocking is one comparing all pairs finds too (blocking only removes pairs).
expect_exit 0 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/all.csv" --threshold 0.8
[ -z "$(comm -23 <(sort "$WORK/psig.csv") <(sort "$WORK/all.csv"))" ] || fail "P-Sig found a link that all pairs does not"
[ "$(wc -l <"$WORK/psig.csv")" -ge 4900 ] || fail "P-Sig blocking lost too many links"

# Blocks of another CSV (a record count that differs from the encodings'): exit 2, names the file.
head -n 101 "$F/dataset4b.csv" >"$WORK/small.csv"
expect_exit 0 "$MG" block --schema "$SCHEMA" --secret-file "$WORK/secret" "$WORK/small.csv" -o "$WORK/small.blocks" -q
expect_exit 2 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/x.csv" --threshold 0.8 --blocking psig --blocks "$WORK/a.blocks" "$WORK/small.blocks"
expect_stderr_contains "$WORK/small.blocks: the blocks file lists 100 records but its encodings hold 5000"
expect_no_file "$WORK/x.csv"
# Blocks made under another secret share no keys: refused rather than silently finding nothing.
printf 'another-secret-for-this-test' >"$WORK/secret2"
expect_exit 0 "$MG" block --schema "$SCHEMA" --secret-file "$WORK/secret2" "$F/dataset4b.csv" -o "$WORK/b2.blocks" -q
expect_exit 2 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/x.csv" --threshold 0.8 --blocking psig --blocks "$WORK/a.blocks" "$WORK/b2.blocks"
expect_stderr_contains "different secrets"
expect_no_file "$WORK/x.csv"
# A damaged blocks file: exit 2, the message names it.
head -c 2000 "$WORK/b.blocks" >"$WORK/cut.blocks"
expect_exit 2 "$MG" match "$WORK/a.csv" "$WORK/b.csv" -o "$WORK/x.csv" --threshold 0.8 --blocking psig --blocks "$WORK/a.blocks" "$WORK/cut.blocks"
expect_stderr_contains "$WORK/cut.blocks"
expect_no_file "$WORK/x.csv"
echo "match_psig: ok"
