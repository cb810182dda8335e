// Evaluation of a linkage or deduplication result against ground truth: `matchguard evaluate`.
//
// PAIRS and TRUTH are CSV files whose header says their shape:
//   pairs:    `left_id,right_id[,...]`   one row per linked pair (extra columns are ignored);
//   clusters: `record_id,cluster_id`     one row per record (records sharing a cluster_id are one entity).
// Both files must have the same shape. For clusters the scores are pairwise (every pair of records in one
// cluster is a predicted or a true pair), computed from cluster intersection counts, so a huge cluster costs
// no more than its size. A pair listed twice counts once; in clusters mode a record listed twice must keep
// its cluster.
//
// FEBRL files carry their truth in the record ids (`rec-N-org` and `rec-N-dup-K` are person N); with
// `febrl_left` (and optionally `febrl_right`) the truth is derived from those ids instead of a TRUTH file:
// pairs across LEFT and RIGHT for linkage, pairs (or clusters) within LEFT for deduplication.
//
// Scores: precision = tp / (tp + fp), recall = tp / (tp + fn), f1 their harmonic mean; each is 0 when its
// denominator is 0.
//
// Thread-safety: EvaluateFiles may be called from several threads with different options.
#pragma once

#include <cstdint>
#include <string>

#include "matchguard/file_system.h"
#include "matchguard/status.h"

namespace matchguard {

struct EvaluateOptions {
  std::string pairs_path;   // PAIRS.csv: the result to judge
  std::string truth_path;   // TRUTH.csv; leave empty when febrl_left is set
  std::string febrl_left;   // a FEBRL file whose rec_id column gives the truth
  std::string febrl_right;  // the second FEBRL file for linkage; empty for deduplication within febrl_left
};

struct Evaluation {
  std::string shape;              // "pairs" or "clusters" (the shape of PAIRS)
  uint64_t rows_read = 0;         // data rows in PAIRS
  uint64_t predicted_pairs = 0;   // distinct predicted pairs
  uint64_t true_pairs = 0;        // distinct true pairs
  uint64_t tp = 0;
  uint64_t fp = 0;
  uint64_t fn = 0;
  double precision = 0.0;
  double recall = 0.0;
  double f1 = 0.0;
  // FEBRL mode only: ids in PAIRS that the FEBRL files do not hold (a sign of swapped or wrong files).
  uint64_t unknown_ids = 0;
};

// Reads the files named in `options` through `fs` and scores PAIRS. Errors (exit code 2) name the file and,
// for a missing column, the columns found; for a bad FEBRL id, the line and the expected form.
Result<Evaluation> EvaluateFiles(FileSystem& fs, const EvaluateOptions& options);

// The evaluation as a JSON object; `pretty` indents it over several lines.
std::string EvaluationToJson(const Evaluation& evaluation, bool pretty);

}  // namespace matchguard
