#!/usr/bin/env bash
# `make bench`: every Google Benchmark binary (each checks its own answers), then the end-to-end
# benchmarks of the bench/ folder that exist. Figures and peer comparisons are recorded in bench/README.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/release"
mg="$build/matchguard"
shopt -s nullglob
for bin in "$build"/src/*/*_benchmark; do
  echo "== $(basename "$bin")"
  "$bin" --benchmark_min_time=0.2
done
if "$mg" bench --help >/dev/null 2>&1; then
  echo "== matchguard bench dice (anonlink's workload: 20,000 x 20,000 random 1024-bit CLKs, threshold 0.7)"
  "$mg" bench dice --size 20000 --bits 1024 --threshold 0.7
fi
for script in "$root"/bench/*/run.sh; do
  echo "== $script"
  BENCH_QUICK=${BENCH_QUICK:-1} bash "$script"
done
