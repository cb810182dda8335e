#!/usr/bin/env bash
# Runs every libFuzzer target briefly (FUZZ_SECONDS each, default 10) from its seed corpus.
set -euo pipefail
build=$(cd "${1:-build/fuzz}" && pwd)
seconds=${FUZZ_SECONDS:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
for bin in "$build"/fuzz/*_fuzz; do
  name=$(basename "$bin")
  work=$(mktemp -d)
  seeds="$root/fuzz/corpus/$name"
  [ -d "$seeds" ] && cp -r "$seeds"/. "$work"/
  echo "fuzz: $name for ${seconds}s"
  (cd "$work" && "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=0 . >"$work/log" 2>&1) || {
    tail -50 "$work/log"; echo "fuzz: $name found a failure"; exit 1; }
  rm -rf "$work"
done
