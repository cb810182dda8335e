# Accuracy on FEBRL4 (5,000 x 5,000, each original with one perturbed duplicate), encoded without the SSN
# with clkhash's tutorial schema (its docs/_static/febrl_schema_v3_final.json, kept as
# examples/pprl/febrl_schema.json; our own secret), threshold 0.8,
# greedy solving: at least clkhash + anonlink's published precision 1.000 and recall 0.992.
source "$MATCHGUARD_TESTS/lib.sh"
F="$SHARED/data/febrl"
cp "$MATCHGUARD_TESTS/../examples/pprl/febrl_schema.json" "$WORK/schema.json"
printf 'matchguard-febrl4-test-secret' >"$WORK/secret"
# Left as clkhash JSON (no ids: rows), right as id,clk CSV: both readers take part.
expect_exit 0 "$MG" encode --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$F/dataset4a.csv" -o "$WORK/a.json" -q
expect_exit 0 "$MG" encode --schema "$WORK/schema.json" --secret-file "$WORK/secret" "$F/dataset4b.csv" -o "$WORK/b.csv" \
  --format csv --id-column rec_id -q
expect_exit 0 "$MG" match "$WORK/a.json" "$WORK/b.csv" -o "$WORK/pairs.csv" --threshold 0.8
# Row r of dataset4a is line r + 2 of the file; a true pair shares the entity number N of rec-N-...
awk -F', *' 'NR > 1 { split($1, p, "-"); print NR - 2, p[2] }' "$F/dataset4a.csv" | sort -k1,1 >"$WORK/left_entity"
awk -F, 'NR > 1 { split($2, p, "-"); print $1, p[2] }' "$WORK/pairs.csv" | sort -k1,1 >"$WORK/pair_entity"
join "$WORK/left_entity" "$WORK/pair_entity" | awk '{ if ($2 == $3) tp++; else fp++ }
  END { printf "tp %d fp %d precision %.4f recall %.4f\n", tp, fp, tp / (tp + fp), tp / 5000
        if (fp != 0 || tp < 4960) exit 1 }' || fail "FEBRL4 accuracy below precision 1.000 / recall 0.992"
echo "match_febrl: ok"
