#!/usr/bin/env bash
# P-Sig and lambda-fold blocking figures (bench/psig/README.md): FEBRL4, then the generator's files, each through the whole
# privacy-preserving path: both owners encode (clkhash CLKs, no SSN) and block (P-Sig, HMAC keys) with a
# shared secret; the linkage unit matches with --blocking psig and reports pairs completeness (PC) and
# reduction ratio (RR); `matchguard evaluate` scores the links. Wall time and peak memory per step come
# from /usr/bin/time -v.
#
# usage: bench/psig/run.sh [--full] [BINARY]
#   default: FEBRL4 and 100,000 generated people; --full: 1,000,000 people (about 10 minutes, 3 GB).
#   Working files go to ${PSIG_BENCH_DIR:-/tmp/mg-psig}.
set -euo pipefail
full=0
if [ "${1:-}" = "--full" ]; then full=1; shift; fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MG=$(realpath "${1:-$ROOT/build/release/matchguard}")
OUT=${PSIG_BENCH_DIR:-/tmp/mg-psig}
mkdir -p "$OUT"
(umask 077 && printf 'psig-bench-shared-secret-0123456789' >"$OUT/secret") && chmod 600 "$OUT/secret"

# timed NAME CMD...: runs CMD, prints its output, then "NAME: wall S s, peak RSS M MB".
timed() {
  local name=$1; shift
  /usr/bin/time -v -o "$OUT/time.txt" "$@"
  awk -v n="$name" '/Elapsed \(wall clock\)/ { t = $NF; k = split(t, p, ":"); s = 0; for (i = 1; i <= k; i++) s = s * 60 + p[i] }
    /Maximum resident set size/ { m = $NF / 1024 }
    END { printf "%s: wall %.2f s, peak RSS %.0f MB\n", n, s, m }' "$OUT/time.txt"
}

# Truth in data-row numbers: binary encodings carry no ids, so match writes row numbers.
row_truth() {
  awk -F, 'FILENAME ~ /left.csv$/ { if (FNR > 1) l[$1] = FNR - 2; next }
    FILENAME ~ /right.csv$/ { if (FNR > 1) r[$1] = FNR - 2; next }
    FNR == 1 { print "left_id,right_id"; next } { print l[$1] "," r[$2] }' "$1/left.csv" "$1/right.csv" "$1/truth.csv" \
    >"$1/truth_rows.csv"
}

echo "== FEBRL4 (5,000 x 5,000), examples/psig/febrl.json, clkhash tutorial schema, threshold 0.8"
F=${MATCHGUARD_SHARED_DIR:-$ROOT/../shared}/data/febrl
cp "$ROOT/examples/pprl/febrl_schema.json" "$OUT/febrl_clk.json"
for s in a b; do
  "$MG" encode --schema "$OUT/febrl_clk.json" --secret-file "$OUT/secret" "$F/dataset4$s.csv" -o "$OUT/4$s.csv" \
    --format csv --id-column rec_id -q
  "$MG" block --schema "$ROOT/examples/psig/febrl.json" --secret-file "$OUT/secret" "$F/dataset4$s.csv" \
    -o "$OUT/4$s.blocks" --id-column rec_id
done
awk -F', *' 'NR > 1 { split($1, p, "-"); print p[2] "," $1 }' "$F/dataset4a.csv" | sort -t, -k1,1 >"$OUT/ta"
awk -F', *' 'NR > 1 { split($1, p, "-"); print p[2] "," $1 }' "$F/dataset4b.csv" | sort -t, -k1,1 >"$OUT/tb"
{ echo "left_id,right_id"; join -t, "$OUT/ta" "$OUT/tb" | cut -d, -f2,3; } >"$OUT/febrl_truth.csv"
"$MG" match "$OUT/4a.csv" "$OUT/4b.csv" -o "$OUT/febrl_psig.csv" --threshold 0.8 --blocking psig \
  --blocks "$OUT/4a.blocks" "$OUT/4b.blocks" --truth "$OUT/febrl_truth.csv"
"$MG" evaluate "$OUT/febrl_psig.csv" "$OUT/febrl_truth.csv" --json
echo "== FEBRL4, lambda-fold (examples/psig/febrl_lambda_fold.json)"
for s in a b; do
  "$MG" block --schema "$ROOT/examples/psig/febrl_lambda_fold.json" --secret-file "$OUT/secret" "$F/dataset4$s.csv" \
    -o "$OUT/4$s.lf.blocks" --id-column rec_id
done
"$MG" match "$OUT/4a.csv" "$OUT/4b.csv" -o "$OUT/febrl_lf.csv" --threshold 0.8 --blocking psig \
  --blocks "$OUT/4a.lf.blocks" "$OUT/4b.lf.blocks" --truth "$OUT/febrl_truth.csv"
"$MG" evaluate "$OUT/febrl_lf.csv" "$OUT/febrl_truth.csv" --json
"$MG" match "$OUT/4a.csv" "$OUT/4b.csv" -o "$OUT/febrl_all.csv" --threshold 0.8
"$MG" evaluate "$OUT/febrl_all.csv" "$OUT/febrl_truth.csv" --json

n=$([ "$full" = 1 ] && echo 1000000 || echo 100000)
G="$OUT/g$n"
echo "== generated, $n people (overlap 0.5), examples/psig/generated.json, examples/pprl/generated_schema.json"
[ -s "$G/truth.csv" ] || timed generate "$MG" generate --people "$n" --out "$G" -q
row_truth "$G"
for s in left right; do
  timed "encode $s" "$MG" encode --standardize --schema "$ROOT/examples/pprl/generated_schema.json" \
    --secret-file "$OUT/secret" "$G/$s.csv" -o "$G/$s.bin" --format binary -q
  timed "block $s" "$MG" block --standardize --schema "$ROOT/examples/psig/generated.json" \
    --secret-file "$OUT/secret" "$G/$s.csv" -o "$G/$s.blocks"
done
ls -l "$G"/*.blocks "$G"/*.bin | awk '{ printf "  %s %.0f MB\n", $NF, $5 / 1e6 }'
for t in 0.8 0.7; do
  timed "match --threshold $t" "$MG" match "$G/left.bin" "$G/right.bin" -o "$G/pairs_$t.csv" --threshold "$t" \
    --blocking psig --blocks "$G/left.blocks" "$G/right.blocks" --truth "$G/truth_rows.csv"
  "$MG" evaluate "$G/pairs_$t.csv" "$G/truth_rows.csv" --json
done
echo "== generated, $n people, lambda-fold (examples/psig/generated_lambda_fold.json), threshold 0.8"
for s in left right; do
  timed "block lambda-fold $s" "$MG" block --standardize --schema "$ROOT/examples/psig/generated_lambda_fold.json" \
    --secret-file "$OUT/secret" "$G/$s.csv" -o "$G/$s.lf.blocks"
done
timed "match lambda-fold --threshold 0.8" "$MG" match "$G/left.bin" "$G/right.bin" -o "$G/pairs_lf.csv" \
  --threshold 0.8 --blocking psig --blocks "$G/left.lf.blocks" "$G/right.lf.blocks" --truth "$G/truth_rows.csv"
"$MG" evaluate "$G/pairs_lf.csv" "$G/truth_rows.csv" --json
