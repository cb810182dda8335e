# P-Sig blocking on the generator's files, whose two sides differ in layout and formats (given_name vs
# first_name, MM/DD/YYYY vs ISO dates, ZIP+4): `block --standardize` and `encode --standardize` make both
# owners agree. With examples/psig/generated.json, pairs completeness >= 0.99 at a reduction ratio >= 0.999
# (measured at 5,000 people: see bench/psig/README.md for 100k and 1M).
source "$MATCHGUARD_TESTS/lib.sh"
EX="$MATCHGUARD_TESTS/../examples"
expect_exit 0 "$MG" generate --people 5000 --out "$WORK/g" --seed 7 -q
printf 'generated-psig-test-secret-0123' >"$WORK/secret"
for s in left right; do
  expect_exit 0 "$MG" encode --standardize --schema "$EX/pprl/generated_schema.json" --secret-file "$WORK/secret" \
    "$WORK/g/$s.csv" -o "$WORK/$s.csv" --format csv -q
  expect_exit 0 "$MG" block --standardize --schema "$EX/psig/generated.json" --secret-file "$WORK/secret" \
    "$WORK/g/$s.csv" -o "$WORK/$s.blocks"
  cat "$WORK/out"
done
# Without --standardize the right file's columns are not the schema's features: exit 2, no output.
expect_exit 2 "$MG" block --schema "$EX/psig/generated.json" --secret-file "$WORK/secret" "$WORK/g/right.csv" -o "$WORK/x.blocks"
expect_stderr_contains "$WORK/g/right.csv: line 1: blocking feature 'first_name' is not a column of the header"
expect_no_file "$WORK/x.blocks"
expect_exit 0 "$MG" match "$WORK/left.csv" "$WORK/right.csv" -o "$WORK/pairs.csv" --threshold 0.8 --blocking psig \
  --blocks "$WORK/left.blocks" "$WORK/right.blocks" --truth "$WORK/g/truth.csv"
cat "$WORK/out"
blocking_figures
awk -v pc="$pc" -v rr="$rr" 'BEGIN { exit !(pc >= 0.99 && rr >= 0.999) }' || fail "PC $pc < 0.99 or RR $rr < 0.999"
echo "match_psig_generated: ok"
