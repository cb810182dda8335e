// Scoring and output for the linkage pipeline: match weights with term-frequency adjustments, the
// threshold, one-to-one selection, clusters, and the pairs and clusters files.
//
// Thread-safety: pure functions over immutable inputs (ScoreCandidates runs TBB loops internally).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "matchguard/file_system.h"
#include "matchguard/status.h"
#include "src/block/blocking.h"
#include "src/compare/levels.h"
#include "src/decide/one_to_one.h"
#include "src/io/table.h"
#include "src/model/fellegi_sunter.h"
#include "src/normalize/person.h"

namespace matchguard {

// The candidate pairs and their patterns, as compared.
struct Compared {
  CandidatePairs candidates;
  std::vector<LevelPattern> patterns;
  PatternCounts random_counts;
  uint64_t random_pairs = 0;
};

// Pairs kept after the threshold (and one-to-one): indices into the candidates, ascending.
struct ScoredLinks {
  std::vector<size_t> rows;
  std::vector<double> weights;        // match weight, prior excluded, term frequencies included
  std::vector<double> probabilities;  // posterior match probability
  // Records (of the side with fewer) in pairs above the threshold that one-to-one drops (counted with
  // one_to_one or count_rivals).
  uint64_t rivals = 0;
};

// What the model's own probabilities predict about the links, without truth.
struct LinkEstimates {
  double expected_false_links = 0.0;  // sum of (1 - p) over the links
  double false_match_rate = 0.0;      // expected_false_links / links
  double expected_recall = 0.0;       // sum of p over the links / expected_matches
};
// The model's probabilities alone are over-confident on look-alikes whose fields are correlated (twins share
// surname, birth date and address), so the false links are the larger of the sum of (1 - p) and what the
// rivals imply. `expected_matches`: matches expected among all pairs of the files (for recall);
// `match_share`: the share of records of the smaller file that have a match (0: unknown, e.g. dedupe, and
// only the probabilities are used).
LinkEstimates EstimateLinkErrors(const ScoredLinks& links, double expected_matches, double match_share,
                                 bool one_to_one);

// The match weight of candidate `i`: partial weights of its pattern plus term-frequency adjustments on the
// exact levels of comparisons that have one, with the model's family joints applied (so with families the
// per-comparison weights of --explain need not add up to it).
double PairWeight(const Model& model, const PairComparer& comparer, uint32_t left_row, LevelPattern pattern);
// Dedupe: clusters larger than this are joined on a link alone (their cross pairs are not compared) and
// the pairs such a merge makes count as false in the estimate.
inline constexpr size_t kMaxComparedCluster = 2000;
// Partial weight of comparison `c` for this pair (its level's weight plus the adjustment when it applies).
double ComparisonWeight(const Model& model, const PairComparer& comparer, size_t c, uint32_t left_row,
                        LevelPattern pattern);

// Scores every candidate and keeps those with probability >= threshold; with one_to_one, then keeps the
// selection of maximum total weight in which every record appears at most once. With one_to_one or
// count_rivals, `rivals` counts the records of the pairs that selection drops (or would drop).
ScoredLinks ScoreCandidates(const Model& model, const PairComparer& comparer, const CandidatePairs& candidates,
                            const std::vector<LevelPattern>& patterns, double threshold, bool one_to_one,
                            bool count_rivals = false);

// For dedupe: clusters by average linkage over the links strongest first (AverageLinkageClusters): two
// clusters join only when the pairs across them have a mean match probability of at least `threshold`.
// The result also counts the refused links and the expected false pairs within clusters.
Clustering ClusterLinks(const Model& model, const PairComparer& comparer, size_t rows, const CandidatePairs& candidates,
                        const ScoredLinks& links, double threshold);

// What the pairs file holds besides ids and scores.
struct PairsOutput {
  const PersonTable* left = nullptr;
  const PersonTable* right = nullptr;
  const Table* left_raw = nullptr;
  const Table* right_raw = nullptr;
  std::vector<size_t> left_columns, right_columns;  // raw columns copied as left_<name>, right_<name>
  std::vector<std::string> column_names;
  bool explain = false;
  const PairComparer* comparer = nullptr;  // needed when explain
};

// Writes left_id,right_id,match_probability,match_weight[,<comparison>_level,<comparison>_weight...]
// [,left_<col>,right_<col>...] atomically.
Status WritePairs(FileSystem& fs, const std::string& path, const Model& model, const Compared& compared,
                  const ScoredLinks& links, const PairsOutput& output);

// Writes record_id,cluster_id for every row atomically; a cluster's id is the smallest record id in it
// (byte order). Returns the number of clusters.
Result<uint64_t> WriteClusters(FileSystem& fs, const std::string& path, const PersonTable& table,
                               const std::vector<uint32_t>& cluster);

}  // namespace matchguard
