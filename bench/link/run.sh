#!/usr/bin/env bash
# Linkage benchmark: generates 10k, 100k and (with --full) 1M people with each generator profile (agency,
# the one the engine was first tuned on, and registry, designed independently: dense common names,
# households, other errors and headers), links the two files end to end with no configuration, and
# records wall and CPU time per stage, pairs compared, peak RSS, precision, recall, F1, and the false-match
# rate the model estimates beside the measured one, for link, one-to-one link and dedupe.
#
#   bench/link/run.sh [--full] [MATCHGUARD_BINARY]
#
# Writes bench/link/results.tsv (one row per size and mode) and prints it. The machine should be otherwise
# idle for the wall times to mean anything; CPU times are reported too because they do not depend on load.
set -euo pipefail
FULL=0
if [ "${1:-}" = "--full" ]; then FULL=1; shift; fi
MG=${1:-build/release/matchguard}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${BENCH_WORK:-/tmp/mg-bench-link}
mkdir -p "$WORK"
OUT="$HERE/results.tsv"
SIZES="10000 100000"
[ "$FULL" = 1 ] && SIZES="$SIZES 1000000"

json() {  # json FILE KEY: a number from a flat JSON object
  tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":\([0-9.eE+-]*\).*/\1/p"
}
stage() {  # stage FILE SECTION NAME
  tr -d ' \n' <"$1" | sed -n "s/.*\"$2\":{[^}]*\"$3\":\([0-9.eE+-]*\).*/\1/p"
}

printf 'profile\tpeople\tmode\twall_s\tcpu_s\tread\tnormalise\tblock\tcompare\ttrain\tscore\twrite\tpairs\tpeak_rss_mb\tprecision\trecall\tf1\tfmr_measured\tfmr_estimated\twarnings\n' >"$OUT"
for profile in agency registry; do
for n in $SIZES; do
  dir="$WORK/$profile-$n"
  [ -s "$dir/truth.csv" ] || "$MG" generate --profile "$profile" --people "$n" --out "$dir" -q
  modes="link link-1to1"
  modes="$modes dedupe"
  for mode in $modes; do
    case $mode in
      link) args=(link "$dir/left.csv" "$dir/right.csv" -o "$dir/pairs.csv") truth="$dir/truth.csv" result="$dir/pairs.csv" ;;
      link-1to1) args=(link "$dir/left.csv" "$dir/right.csv" -o "$dir/pairs.csv" --one-to-one) truth="$dir/truth.csv" result="$dir/pairs.csv" ;;
      dedupe)
        [ -s "$dir-dedupe/truth.csv" ] || "$MG" generate --profile "$profile" --people "$n" --dedupe --out "$dir-dedupe" -q
        args=(dedupe "$dir-dedupe/records.csv" -o "$dir/clusters.csv") truth="$dir-dedupe/truth.csv" result="$dir/clusters.csv" ;;
    esac
    /usr/bin/time -v -o "$dir/time.txt" "$MG" "${args[@]}" --json-summary "$dir/summary.json" 2>"$dir/stderr.txt"
    "$MG" evaluate "$result" "$truth" --json >"$dir/eval.json"
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time.txt")
    wall=$(json "$dir/summary.json" total_seconds)
    cpu=$(json "$dir/summary.json" total_cpu_seconds)
    row="$profile\t$n\t$mode\t$(printf %.2f "$wall")\t$(printf %.2f "$cpu")"
    for s in read normalise block compare train score write; do
      row="$row\t$(printf %.2f "$(stage "$dir/summary.json" stage_seconds "$s")")"
    done
    row="$row\t$(json "$dir/summary.json" candidate_pairs)\t$((rss_kb / 1024))"
    row="$row\t$(printf %.4f "$(json "$dir/eval.json" precision)")\t$(printf %.4f "$(json "$dir/eval.json" recall)")"
    row="$row\t$(printf %.4f "$(json "$dir/eval.json" f1)")"
    row="$row\t$(awk -v p="$(json "$dir/eval.json" precision)" 'BEGIN { printf "%.4f", 1 - p }')"
    row="$row\t$(printf %.4f "$(json "$dir/summary.json" false_match_rate)")"
    row="$row\t$(tr -d '\n' <"$dir/summary.json" | sed -n 's/.*"warnings": *\[\([^]]*\)\].*/\1/p' | { grep -o '"' || true; } | wc -l | awk '{ print $1 / 2 }')"
    printf "$row\n" >>"$OUT"
  done
done
done
column -t -s $'\t' "$OUT"

# A benchmark that does not check its answer is no benchmark: fail on accuracy below these floors (well
# under the measured figures in README.md, so load or a new seed cannot trip them, a broken model can).
awk -F'\t' 'NR > 1 {
  floor = ($3 == "link-1to1") ? 0.98 : 0.95
  if ($17 + 0 < floor) { printf "FAIL: %s %s %s F1 %s < %s\n", $1, $2, $3, $17, floor; bad = 1 }
} END { exit bad }' "$OUT"
