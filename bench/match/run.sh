#!/usr/bin/env bash
# Blocked PPRL at scale (issue 5): generates PEOPLE people (left.csv PEOPLE records, right.csv about as
# many, half of them the same people), encodes both sides without SSN (examples/pprl/generated_schema.json,
# --standardize, --format binary), links them with LSH blocking and greedy one-to-one solving, and scores
# the links against the generator's truth.
#
#   bench/match/run.sh [PEOPLE] [MATCHGUARD_BINARY]     # PEOPLE defaults to 1000000; 2000 is a smoke test
#
# Environment: THRESHOLD (default 0.8), BRUTE=1 also runs the unblocked (popcount-pruned) match for
# comparison, BENCH_WORK (default /tmp/mg-bench-match). Prints one tab-separated row per run, with wall
# and CPU seconds and peak RSS from /usr/bin/time -v, the LSH parameters, pairs completeness (PC),
# reduction ratio (RR), and precision/recall/F1 of the links, and with BRUTE=1 how many of the unblocked
# run's links the blocked run kept.
set -euo pipefail
N=${1:-1000000}
MG=$(realpath "${2:-build/release/matchguard}")
THRESHOLD=${THRESHOLD:-0.8}
HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMA="$HERE/../../examples/pprl/generated_schema.json"
DIR=${BENCH_WORK:-/tmp/mg-bench-match}/$N
mkdir -p "$DIR"
cd "$DIR"

json() {  # json FILE KEY: a number from a flat JSON object
  tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p"
}
timed() {  # timed NAME COMMAND...: runs it under /usr/bin/time -v, keeps its stdout in NAME.out
  local name=$1
  shift
  /usr/bin/time -v -o "$name.time" "$@" >"$name.out"
}
wall() {  # elapsed seconds from a /usr/bin/time -v report
  sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$1"; }
rss_mb() { awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$1"; }

[ -s truth.csv ] || "$MG" generate --people "$N" --out . -q
(umask 077 && printf 'matchguard-bench-match-secret-key' >secret) && chmod 600 secret
for side in left right; do
  [ -s "$side.clk" ] || timed "encode-$side" "$MG" encode --standardize --schema "$SCHEMA" --secret-file secret \
    "$side.csv" -o "$side.clk" --format binary -q
done
# Binary encodings carry no ids, so pairs come out as row numbers: map the truth onto them (row k is the
# k-th record: encoding stops on any bad value rather than skipping it).
awk -F, 'FNR == 1 { f++; next } f == 1 { l[$1] = FNR - 2 } f == 2 { r[$1] = FNR - 2 }
         f == 3 { print l[$1] "," r[$2] }' left.csv right.csv truth.csv | sed '1i left_id,right_id' >truth_rows.csv

printf 'people\tmode\tthreshold\twall_s\tcpu_s\tpeak_rss_mb\tlsh\tblocked_pairs\tRR\tPC\tprecision\trecall\tf1\tload\n'
run() {  # run MODE [match flags...]
  local mode=$1
  shift
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  timed "$mode" "$MG" match left.clk right.clk -o "$mode.csv" --threshold "$THRESHOLD" --solve greedy "$@"
  "$MG" evaluate "$mode.csv" truth_rows.csv --json >"$mode.eval.json"
  local lsh="-" blocked="-" rr="-" pc="-"
  if grep -q 'lsh blocking' "$mode.out"; then
    lsh=$(sed -n 's/.*lsh blocking: \([0-9]*\) bands of \([0-9]*\) bits.*/\1x\2/p' "$mode.out")
    blocked=$(sed -n 's/.* \([0-9]*\) blocked pairs.*/\1/p' "$mode.out")
    rr=$(sed -n 's/.*reduction ratio \([0-9.]*\).*/\1/p' "$mode.out")
    pc=$(sed -n 's/.*pairs completeness \([0-9.]*\).*/\1/p' "$mode.out")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$N" "$mode" "$THRESHOLD" \
    "$(wall "$mode.time")" "$(cpu "$mode.time")" "$(rss_mb "$mode.time")" "$lsh" "$blocked" "$rr" "$pc" \
    "$(json "$mode.eval.json" precision)" "$(json "$mode.eval.json" recall)" "$(json "$mode.eval.json" f1)" "$load"
}
run lsh --blocking lsh --truth truth_rows.csv
if [ "${BRUTE:-0}" = 1 ]; then
  run brute
  # What blocking itself loses: links of the unblocked run that the blocked run does not have.
  kept=$(awk -F, 'FNR == 1 { next } NR == FNR { l[$1 "," $2] = 1; next } { n++; if ($1 "," $2 in l) k++ } END { printf "%d of %d", k, n }' lsh.csv brute.csv)
  echo "# links of the unblocked run that LSH blocking kept: $kept"
fi
for side in left right; do
  [ -f "encode-$side.time" ] && printf '# encode %s: wall %s s, cpu %s s, peak %s MB\n' "$side" \
    "$(wall "encode-$side.time")" "$(cpu "encode-$side.time")" "$(rss_mb "encode-$side.time")"
done
exit 0
