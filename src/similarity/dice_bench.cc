// `matchguard bench dice`: the candidate kernel on the workload of `python -m anonlink.benchmark`.
//
// anonlink draws a pool of 10,000 uniformly random 1024-bit filters (os.urandom bytes), fills the left
// side from pool entries [0, 8000) and the right from [2000, 10000), so the only pairs above 0.7 are
// copies of the same pool entry (random pairs score about 0.5). The same is done here with a seeded
// generator, then every candidate and a sample of other pairs are re-checked with the scalar reference.
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>

#include "matchguard/match.h"
#include "src/similarity/candidates.h"

namespace matchguard {

namespace {

using similarity::BitMatrix;
using similarity::CandidatePairs;

constexpr size_t kPoolSize = 10000;

// User + system CPU seconds of the whole process (all threads).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + 1e-6 * tv.tv_usec; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

BitMatrix DrawFromPool(const BitMatrix& pool, size_t count, size_t lo, size_t hi, std::mt19937_64& rng) {
  BitMatrix out(count, pool.bits());
  std::uniform_int_distribution<size_t> pick(lo, hi - 1);
  for (size_t i = 0; i < count; ++i) std::memcpy(out.mutable_row(i), pool.row(pick(rng)), pool.stride_bytes());
  return out;
}

// FNV-1a over the candidate list: equal on every ISA and thread count because the list is exact.
std::string Checksum(const CandidatePairs& pairs) {
  uint64_t h = 0xcbf29ce484222325ull;
  auto mix = [&h](uint64_t v) {
    for (int b = 0; b < 8; ++b) {
      h ^= (v >> (8 * b)) & 0xff;
      h *= 0x100000001b3ull;
    }
  };
  for (size_t k = 0; k < pairs.size(); ++k) {
    uint64_t bits;
    std::memcpy(&bits, &pairs.similarity[k], sizeof bits);
    mix(pairs.left[k]);
    mix(pairs.right[k]);
    mix(bits);
  }
  return fmt::format("{:016x}", h);
}

// Every candidate re-scored with the scalar Dice, and `samples` random pairs: a pair is listed exactly
// when the reference says it reaches the threshold (without top-k, which drops some qualifying pairs).
Status Verify(const BitMatrix& left, const BitMatrix& right, const CandidatePairs& pairs,
              const DiceBenchOptions& options, std::mt19937_64& rng, DiceBenchResult& result) {
  const size_t words = left.stride_bytes() / 8;
  for (size_t k = 0; k < pairs.size(); ++k) {
    double want = similarity::Dice(left.row(pairs.left[k]), right.row(pairs.right[k]), words);
    if (want != pairs.similarity[k] || want < options.threshold) {
      return Status::Internal(
          fmt::format("candidate {} ({}, {}) has similarity {} but the scalar reference "
                      "gives {}",
                      k, pairs.left[k], pairs.right[k], pairs.similarity[k], want));
    }
  }
  result.verified_candidates = pairs.size();
  if (options.top_k != 0 || left.count() == 0 || right.count() == 0) return Status::Ok();
  std::uniform_int_distribution<size_t> pick_left(0, left.count() - 1), pick_right(0, right.count() - 1);
  for (size_t s = 0; s < options.verify_samples; ++s) {
    // Half the samples are listed candidates' rows, so the check also exercises rows that have matches.
    const size_t i = (s % 2 == 1 && pairs.size() > 0) ? pairs.left[rng() % pairs.size()] : pick_left(rng);
    const size_t j = pick_right(rng);
    const bool want = similarity::Dice(left.row(i), right.row(j), words) >= options.threshold;
    auto first = std::lower_bound(pairs.left.begin(), pairs.left.end(), static_cast<uint32_t>(i));
    auto last = std::upper_bound(first, pairs.left.end(), static_cast<uint32_t>(i));
    auto rights_begin = pairs.right.begin() + (first - pairs.left.begin());
    auto rights_end = pairs.right.begin() + (last - pairs.left.begin());
    const bool listed = std::binary_search(rights_begin, rights_end, static_cast<uint32_t>(j));
    if (want != listed) {
      return Status::Internal(
          fmt::format("pair ({}, {}) is {}listed but the scalar reference says it {} the "
                      "threshold",
                      i, j, listed ? "" : "not ", want ? "reaches" : "misses"));
    }
  }
  result.verified_samples = options.verify_samples;
  return Status::Ok();
}

}  // namespace

Result<DiceBenchResult> RunDiceBenchmark(const DiceBenchOptions& options) {
  if (options.size == 0) return Error(Status::InvalidArgument("--size must be at least 1"));
  if (options.bits == 0 || options.bits % 8 != 0 || options.bits > 65536) {
    return Error(Status::InvalidArgument(
        fmt::format("--bits {} must be a positive multiple of 8 no larger than 65536", options.bits)));
  }
  if (options.repeat < 1) return Error(Status::InvalidArgument("--repeat must be at least 1"));
  std::mt19937_64 rng(options.seed);
  BitMatrix pool = BitMatrix::Random(kPoolSize, options.bits, rng);
  BitMatrix left = DrawFromPool(pool, options.size, 0, 8000, rng);
  BitMatrix right = DrawFromPool(pool, options.size, 2000, kPoolSize, rng);

  similarity::CandidateOptions copts{options.threshold, options.top_k, std::nullopt, options.threads};
  DiceBenchResult result;
  CandidatePairs pairs;
  similarity::CandidateStats stats;
  for (int r = 0; r < options.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = ProcessCpuSeconds();
    MG_ASSIGN_OR_RETURN(pairs, similarity::FindCandidates(left.view(), right.view(), copts, &stats));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
    if (r == 0 || seconds < result.best_seconds) result.best_seconds = seconds;
    if (r == 0 || cpu_seconds < result.best_cpu_seconds) result.best_cpu_seconds = cpu_seconds;
  }
  result.size = options.size;
  result.bits = options.bits;
  result.threshold = options.threshold;
  result.isa = std::string(similarity::IsaName(stats.isa));
  result.threads = stats.threads;
  result.comparisons = stats.pairs_total;
  result.pairs_scored = stats.pairs_scored;
  result.candidates = pairs.size();
  result.comparisons_per_second = static_cast<double>(stats.pairs_total) / result.best_seconds;
  result.comparisons_per_second_per_thread = result.comparisons_per_second / stats.threads;
  result.comparisons_per_cpu_second = static_cast<double>(stats.pairs_total) / result.best_cpu_seconds;
  result.checksum = Checksum(pairs);
  result.popcount_instructions_per_second = similarity::MeasurePopcountRate(stats.isa);
  const double per_comparison = similarity::PopcountsPerComparison(stats.isa, left.stride_bytes() / 8);
  if (per_comparison > 0) result.popcount_limit_per_core = result.popcount_instructions_per_second / per_comparison;
  MG_RETURN_IF_ERROR(Verify(left, right, pairs, options, rng, result));
  return result;
}

std::string DiceBenchResultToJson(const DiceBenchResult& r) {
  return fmt::format(
      "{{\"size\": {}, \"bits\": {}, \"threshold\": {}, \"isa\": \"{}\", \"threads\": {}, "
      "\"comparisons\": {}, \"pairs_scored\": {}, \"candidates\": {}, \"best_seconds\": {:.6f}, "
      "\"comparisons_per_second\": {:.4e}, \"comparisons_per_second_per_thread\": {:.4e}, "
      "\"best_cpu_seconds\": {:.6f}, \"comparisons_per_cpu_second\": {:.4e}, "
      "\"popcount_instructions_per_second\": {:.4e}, \"popcount_limit_per_core\": {:.4e}, "
      "\"checksum\": \"{}\", \"verified_candidates\": {}, \"verified_samples\": {}}}\n",
      r.size, r.bits, r.threshold, r.isa, r.threads, r.comparisons, r.pairs_scored, r.candidates, r.best_seconds,
      r.comparisons_per_second, r.comparisons_per_second_per_thread, r.best_cpu_seconds, r.comparisons_per_cpu_second,
      r.popcount_instructions_per_second, r.popcount_limit_per_core, r.checksum, r.verified_candidates,
      r.verified_samples);
}

std::string DiceBenchResultToText(const DiceBenchResult& r) {
  std::string out = fmt::format(
      "dice: {} x {} random {}-bit CLKs (anonlink benchmark workload), threshold {}\n"
      "isa {}, {} threads\n"
      "comparisons       {} ({} scored after popcount pruning)\n"
      "candidates        {}\n"
      "best time         {:.4f} s\n"
      "throughput        {:.3e} comparisons/s ({:.3e} per thread)\n"
      "per CPU second    {:.3e} comparisons (best run used {:.4f} CPU s: the per-core rate on a busy machine)\n",
      r.size, r.size, r.bits, r.threshold, r.isa, r.threads, r.comparisons, r.pairs_scored, r.candidates,
      r.best_seconds, r.comparisons_per_second, r.comparisons_per_second_per_thread, r.comparisons_per_cpu_second,
      r.best_cpu_seconds);
  if (r.popcount_limit_per_core > 0) {
    out += fmt::format(
        "popcount limit    {:.3e} comparisons/s per core ({:.3e} popcount instr/s); "
        "reached {:.0f}% (per CPU second)\n",
        r.popcount_limit_per_core, r.popcount_instructions_per_second,
        100.0 * r.comparisons_per_cpu_second / r.popcount_limit_per_core);
  }
  out += fmt::format(
      "checksum          {}\nverified          {} candidates and {} sampled pairs against "
      "the scalar reference\n",
      r.checksum, r.verified_candidates, r.verified_samples);
  return out;
}

}  // namespace matchguard
