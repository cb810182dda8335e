#!/usr/bin/env bash
# Side by side with anonlink's C++ Dice kernel on the workload of `python -m anonlink.benchmark`.
#
# anonlink is fetched and built OUTSIDE this repository (in $WORKDIR, default /tmp/anonlink-sbs); none of
# its code is committed here. Its Python layer needs Cython, numpy and bitarray, which this machine lacks,
# so the driver below calls the same C++ entry points its Cython wrapper calls, in the same way
# (`popcount_arrays` once for the right side, then `match_one_against_many_dice_k_top` per left record
# with k = the right side's size, i.e. "all results"), compiled with the flags of its setup.py
# (-O3 -std=c++11). That is anonlink's kernel without its Python overhead: a generous baseline.
#
# Usage: bench/dice/anonlink_side_by_side.sh [SIZE] [ANONLINK_SOURCE_DIR]
#   ANONLINK_SOURCE_DIR: a checkout of data61/anonlink, or a bare clone of it (read with git show HEAD:...).
set -euo pipefail
SIZE=${1:-20000}
SRC=${2:?give a checkout of github.com/data61/anonlink}
WORKDIR=${WORKDIR:-/tmp/anonlink-sbs}
mkdir -p "$WORKDIR"
if [ -f "$SRC/anonlink/similarities/dice.cpp" ]; then
  cp "$SRC/anonlink/similarities/dice.cpp" "$WORKDIR/"
else
  git -C "$SRC" show HEAD:anonlink/similarities/dice.cpp >"$WORKDIR/dice.cpp"
fi
cat >"$WORKDIR/driver.cc" <<'CC'
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>
#include <sys/resource.h>
extern "C" {
double popcount_arrays(uint32_t* counts, const char* arrays, int narrays, int array_bytes);
int match_one_against_many_dice_k_top(const char* one, const char* many, const uint32_t* counts_many, int n,
                                      int keybytes, uint32_t k, double threshold, unsigned int* indices,
                                      double* scores);
}
static double Cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + 1e-6 * u.ru_utime.tv_usec + u.ru_stime.tv_sec + 1e-6 * u.ru_stime.tv_usec;
}
int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int bytes = 128;  // 1024-bit CLKs
  std::mt19937_64 rng(1);
  // anonlink.benchmark: a pool of 10,000 random filters; left from [0, 8000), right from [2000, 10000).
  std::vector<char> pool(10000 * bytes);
  for (auto& c : pool) c = static_cast<char>(rng());
  std::vector<char> left(static_cast<size_t>(n) * bytes), right(static_cast<size_t>(n) * bytes);
  for (int i = 0; i < n; ++i) std::memcpy(&left[i * bytes], &pool[(rng() % 8000) * bytes], bytes);
  for (int i = 0; i < n; ++i) std::memcpy(&right[i * bytes], &pool[(2000 + rng() % 8000) * bytes], bytes);
  std::vector<uint32_t> counts(n), indices(n);
  std::vector<double> scores(n);
  const auto t0 = std::chrono::steady_clock::now();
  const double c0 = Cpu();
  popcount_arrays(counts.data(), right.data(), n, bytes);
  long long found = 0;
  for (int i = 0; i < n; ++i) {
    found += match_one_against_many_dice_k_top(&left[i * bytes], right.data(), counts.data(), n, bytes, n, 0.7,
                                               indices.data(), scores.data());
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = Cpu() - c0;
  const double pairs = static_cast<double>(n) * n;
  std::printf("{\"tool\": \"anonlink C++ kernel (dice.cpp)\", \"size\": %d, \"threads\": 1, \"candidates\": %lld, "
              "\"seconds\": %.4f, \"cpu_seconds\": %.4f, \"comparisons_per_second\": %.4e, "
              "\"comparisons_per_cpu_second\": %.4e}\n",
              n, found, wall, cpu, pairs / wall, pairs / cpu);
}
CC
g++ -O3 -std=c++11 -c "$WORKDIR/dice.cpp" -o "$WORKDIR/dice.o"
g++ -O3 -std=c++17 "$WORKDIR/driver.cc" "$WORKDIR/dice.o" -o "$WORKDIR/driver"
"$WORKDIR/driver" "$SIZE"
