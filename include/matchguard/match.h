// Matching over encodings (privacy-preserving record linkage): the `match` and `bench dice` jobs.
//
// The linkage unit holds only Bloom-filter encodings (CLKs). RunMatch reads two or more encodings files
// of equal bit length, finds every pair whose Dice coefficient reaches a threshold with the SIMD kernel
// (optionally only the top k per record, optionally after LSH blocking), solves them to links as
// anonlink's greedy solver does, and writes one of the anonlink entity service's result shapes.
// RunDiceBenchmark times the candidate kernel on the workload of `python -m anonlink.benchmark`.
//
// Thread-safety: the functions may be called concurrently; each uses up to `threads` worker threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

// ---- bench dice ----

struct DiceBenchOptions {
  size_t size = 20000;   // records per side
  uint32_t bits = 1024;  // bits per encoding
  double threshold = 0.7;
  size_t top_k = 0;  // 0: all pairs above the threshold
  int threads = 0;   // 0: all cores
  int repeat = 3;    // timed runs; the best is reported
  uint64_t seed = 1;
  size_t verify_samples = 2000;  // random pairs re-checked against the scalar reference
};

struct DiceBenchResult {
  size_t size = 0;
  uint32_t bits = 0;
  double threshold = 0.0;
  std::string isa;  // kernel used: scalar, avx2 or avx512
  int threads = 0;
  uint64_t comparisons = 0;   // size * size: the pairs the result covers
  uint64_t pairs_scored = 0;  // pairs the kernel counted after popcount pruning
  uint64_t candidates = 0;    // pairs at or above the threshold
  double best_seconds = 0.0;
  double comparisons_per_second = 0.0;
  double comparisons_per_second_per_thread = 0.0;
  // CPU time (all threads) of the fastest run and comparisons per CPU second: the per-core rate, which
  // unlike wall-clock time is not diluted when other processes share the cores.
  double best_cpu_seconds = 0.0;
  double comparisons_per_cpu_second = 0.0;
  // Peak rate of the ISA's popcount instruction on one core, measured by a register-only loop, and the
  // comparisons per second per core that rate allows (popcount instructions per comparison).
  double popcount_instructions_per_second = 0.0;
  double popcount_limit_per_core = 0.0;
  std::string checksum;              // 16 hex digits over every (left, right, similarity), ISA-independent
  uint64_t verified_candidates = 0;  // every candidate re-scored with the scalar reference
  uint64_t verified_samples = 0;     // random pairs whose membership was re-checked
};

// Fails (Internal) if any verified value disagrees with the scalar reference.
Result<DiceBenchResult> RunDiceBenchmark(const DiceBenchOptions& options);
std::string DiceBenchResultToJson(const DiceBenchResult& result);
std::string DiceBenchResultToText(const DiceBenchResult& result);

// ---- match ----

enum class MatchSolve { kGreedy, kNone };
enum class MatchBlocking { kNone, kLsh, kPsig };
// How a candidate pair is scored: by the whole-record Dice coefficient, or by a Fellegi-Sunter model
// fitted by EM over per-field Dice levels of field-level Bloom filters (see docs/matching.md).
enum class MatchScoring { kDice, kFieldModel };
enum class MatchResultShape { kSimilarityScores, kGroups, kPermutations };

// The least match probability --scoring model links when none is given.
inline constexpr double kDefaultMinProbability = 0.5;
// 25 million candidates: about 800 MB while assembled, within a 4 GB process with the inputs.
inline constexpr uint64_t kDefaultMaxCandidates = 25'000'000;
inline constexpr uint64_t kDefaultMaxBlockedPairs = 500'000'000;

struct MatchOptions {
  std::vector<std::string> inputs;  // two or more encodings files (clkhash JSON, id,clk CSV, MGCLK001)
  std::string output;
  double threshold = 0.0;  // required, in (0, 1]
  size_t top_k = 0;        // 0: all; else at most k candidates per record per pair of parties
  MatchSolve solve = MatchSolve::kGreedy;
  MatchBlocking blocking = MatchBlocking::kNone;
  MatchResultShape result = MatchResultShape::kSimilarityScores;
  int threads = 0;
  // LSH blocking: bands of `lsh_bits` sampled bit positions, `lsh_bands` bands (0: chosen from threshold).
  uint32_t lsh_bands = 0;
  uint32_t lsh_bits = 0;
  uint64_t lsh_seed = 1;
  // With --blocking lsh and two parties: a CSV of the true links (header, then left id, right id per line;
  // ids as in the encodings, or row numbers when they carry none) to report pairs completeness.
  std::string blocking_truth;
  // Seed of the random permutations (--result permutations); 0 draws one from the operating system.
  uint64_t permutation_seed = 0;
  // P-Sig blocking (--blocking psig): one blocks file per input, in input order, written by `matchguard
  // block` from the plaintext at each data owner. Records are compared only when they share a block.
  std::vector<std::string> block_files;
  // --scoring model: the feature identifiers whose field-level filters are read from <input>.<identifier>
  // (as `encode --field-level` writes them). Candidates are the pairs whose whole-record Dice reaches
  // `threshold`; each gets a match probability, and only pairs reaching `min_probability` are linked.
  MatchScoring scoring = MatchScoring::kDice;
  // An entry may join features with '+' ("street+city+zip"): one comparison over their filters together.
  std::vector<std::string> fields;
  // Unset: kDefaultMinProbability. Given with Dice scoring, it is refused (as are fields, field_bins and
  // model_output, and lsh_bands/lsh_bits without LSH, blocking_truth without blocking).
  std::optional<double> min_probability;
  // Lower edges of the per-field Dice levels between "identical" and "else", strictly decreasing, in (0, 1);
  // empty: the default 0.9, 0.8, 0.7, 0.6.
  std::vector<double> field_bins;
  std::string model_output;  // optional: where to write the fitted model (JSON)
  // Most candidate pairs kept per pair of parties (about 32 bytes each while assembled); past it the run
  // stops with InvalidArgument naming the cap and what would fit (a higher threshold, --top-k, blocking).
  uint64_t max_candidates = kDefaultMaxCandidates;
  // With --blocking lsh or psig: most pairs the blocking may hand to scoring (8 bytes each, twice while
  // merged); past it the run stops with InvalidArgument naming the cap and what would fit.
  uint64_t max_blocked_pairs = kDefaultMaxBlockedPairs;
};

struct MatchSummary {
  std::vector<size_t> records;  // per input
  uint32_t bits = 0;
  std::string isa;
  int threads = 0;
  uint64_t comparisons = 0;  // pairs the candidates stand for (after blocking)
  uint64_t candidates = 0;   // pairs at or above the threshold
  uint64_t links = 0;        // pairs written (solved links, or candidates with --solve none)
  uint64_t groups = 0;       // groups of two or more records after solving
  // Blocking (--blocking lsh|psig): pairs left after blocking, 1 - blocked / all pairs, and the share of the
  // true links among the blocked pairs (-1 without blocking_truth); LSH parameters used.
  uint64_t blocked_pairs = 0;
  double reduction_ratio = 0.0;
  double pairs_completeness = -1.0;
  uint32_t lsh_bands = 0;
  uint32_t lsh_bits = 0;
  double lsh_threshold_recall = 0.0;  // LSH: estimated chance that a pair at the threshold shares a band
  uint64_t psig_blocks = 0;           // --blocking psig: blocks shared by both sides (summed over pairs of parties)
  // --scoring model: EM iterations and convergence of the last fitted model, and its prior match rate.
  uint64_t model_scored = 0;  // candidates (whole-record Dice >= threshold) the model scored
  int em_iterations = 0;
  bool em_converged = false;
  double model_prior = 0.0;
  double seconds = 0.0;
};

// Output, by result shape (documented in docs/matching.md):
//   similarity_scores  CSV `left_id,right_id,similarity` for two parties, or
//                      `party_a,id_a,party_b,id_b,similarity` for more; with --solve greedy only pairs whose
//                      records ended in the same group. An output path ending in .json gets the entity
//                      service's JSON instead: {"similarity_scores": [[[party, row], [party, row], s], ...]}.
//   groups             JSON {"groups": [[[party, row], ...], ...]} (needs --solve greedy).
//   permutations       JSON for two parties (needs --solve greedy): {"permutations": [{"permutation":
//                      [...], "rows": n}, {...}], "mask": [...]}: row i of party p goes to position
//                      permutation[i]; mask[k] is 1 when position k holds a linked pair.
// Ids are the encodings' ids when the format carries them (CSV), else row numbers. Every input error
// names the file; a failed run writes nothing.
Result<MatchSummary> RunMatch(FileSystem& fs, const MatchOptions& options);

// ---- governed match ----

// A match run for another party under a computer matching agreement (`match --agreement A.toml`). Before
// any encoding is compared: the agreement must be in force, every feature the encodings were built from
// (the clkhash linkage schema given with --schema), every --fields feature and, with P-Sig blocking, every
// blocking feature (--psig-schema) must denote a field the agreement authorises for matching, and each input must hold
// at most max_volume_factor times the stated records. Only two parties, the similarity_scores shape and greedy solving
// are allowed. The released CSV holds left_id, right_id and the score (`similarity` for Dice scoring,
// `match_probability` for the field model) as far as the purpose authorises them, plus status `unverified`; the run,
// the disclosure and one raw case per hit are recorded as for a governed link. A refused or unrecorded run leaves no
// output.
struct GovernedMatchOptions {
  MatchOptions match;
  std::string agreement_path;
  std::string purpose;          // may be empty when the agreement has one purpose
  std::string case_store_path;  // overrides the agreement's case store when not empty
  std::string schema_path;      // the clkhash linkage schema of the encodings (required)
  // With --blocking psig: the P-Sig schema the blocks were made with (required): its blocking features
  // must be authorised too, and the blocks files must carry its hash.
  std::string psig_schema_path;
};

struct GovernedMatchSummary {
  MatchSummary match;
  std::string agreement_id;
  std::string purpose;
  std::vector<std::string> match_fields;      // fields the encodings carry, all authorised
  std::vector<std::string> released_columns;  // output header
  uint64_t cases_opened = 0;
};

Result<GovernedMatchSummary> GovernedMatch(FileSystem& fs, const GovernedMatchOptions& options);

}  // namespace matchguard
