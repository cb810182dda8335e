# `matchguard bench dice`: runs anonlink's benchmark workload (small here), verifies its results, and gives
# the same checksum on every kernel; an unknown or unsupported forced ISA is refused.
source "$MATCHGUARD_TESTS/lib.sh"

expect_exit 0 "$MG" bench --help
expect_exit 0 "$MG" bench dice --help
expect_exit 2 "$MG" bench

expect_exit 0 "$MG" bench dice --size 1500 --bits 1024 --threshold 0.7 --repeat 1 --json
python3 - "$WORK/out" <<'PY' >"$WORK/default.sum" || fail "bench dice JSON"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["comparisons"] == 1500 * 1500 and r["candidates"] > 0, r
assert r["verified_candidates"] == r["candidates"] and r["verified_samples"] == 2000, r
assert r["comparisons_per_second"] > 0 and r["isa"] in ("scalar", "avx2", "avx512"), r
print(r["checksum"], r["candidates"])
PY
for isa in scalar avx2 avx512; do
  if MATCHGUARD_FORCE_ISA=$isa "$MG" bench dice --size 1500 --repeat 1 --json >"$WORK/$isa.json" 2>"$WORK/err"; then
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["isa"]==sys.argv[2]; print(r["checksum"], r["candidates"])' \
      "$WORK/$isa.json" "$isa" >"$WORK/$isa.sum"
    diff "$WORK/default.sum" "$WORK/$isa.sum" || fail "$isa gives a different result"
  else
    grep -qF "does not support it" "$WORK/err" || { cat "$WORK/err"; fail "$isa refused without reason"; }
  fi
done
MATCHGUARD_FORCE_ISA=sse9 expect_exit 2 "$MG" bench dice --size 100
expect_stderr_contains "MATCHGUARD_FORCE_ISA: unknown ISA 'sse9'"
expect_exit 2 "$MG" bench dice --bits 1001
expect_stderr_contains "multiple of 8"
# bench/match/run.sh, the 1M x 1M blocked PPRL benchmark, as a 2,000-person smoke test: it generates,
# encodes, blocks, matches and scores, and blocking keeps every link of the unblocked run.
BENCH_WORK="$WORK/bm" BRUTE=1 "$MATCHGUARD_TESTS/../bench/match/run.sh" 2000 "$MG" >"$WORK/bm.tsv" 2>"$WORK/err" ||
  { cat "$WORK/err"; fail "bench/match/run.sh 2000"; }
cat "$WORK/bm.tsv"
awk -F'\t' '$2 == "lsh" && NF == 14 && $9 > 0.98 && $10 > 0.98 && $13 > 0.9 { ok = 1 } END { exit !ok }' "$WORK/bm.tsv" ||
  fail "bench/match: no LSH row with RR, PC > 0.98 and F1 > 0.9"
grep -qE '^# links of the unblocked run that LSH blocking kept: ([0-9]+) of \1$' "$WORK/bm.tsv" ||
  fail "bench/match: LSH blocking lost links at 2,000 people"
echo "match_bench: ok"
