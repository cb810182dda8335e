#include "src/pipeline/scoring.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>

#include "src/decide/one_to_one.h"
#include "src/io/csv.h"

namespace matchguard {

double ComparisonWeight(const Model& model, const PairComparer& comparer, size_t c, uint32_t left_row,
                        LevelPattern pattern) {
  int level = PatternLevel(pattern, c);
  if (level == kNullLevel) return 0.0;
  double w = PartialWeight(model, c, level);
  if (level == model.spec.comparisons[c].tf_level) {
    w += TermFrequencyAdjustment(model, c, comparer.LeftValueFrequency(c, left_row));
  }
  return w;
}

double PairWeight(const Model& model, const PairComparer& comparer, uint32_t left_row, LevelPattern pattern) {
  double parts[kMaxComparisons] = {};
  double w = 0.0;
  for (size_t c = 0; c < model.spec.comparisons.size(); ++c) {
    parts[c] = ComparisonWeight(model, comparer, c, left_row, pattern);
    w += parts[c];
  }
  return w + FamilyAdjustment(model, pattern, parts);
}

namespace {

// Records on the smaller side among the pairs the one-to-one selection drops: a record with several
// look-alikes counts once, as at most one of its pairs could ever be kept.
uint64_t CountRivalRecords(const std::vector<ScoredPair>& scored, const std::vector<size_t>& chosen) {
  std::vector<bool> kept(scored.size(), false);
  for (size_t k : chosen) kept[k] = true;
  std::vector<uint32_t> left, right;
  for (size_t k = 0; k < scored.size(); ++k) {
    if (kept[k]) continue;
    left.push_back(scored[k].left);
    right.push_back(scored[k].right);
  }
  auto distinct = [](std::vector<uint32_t>& v) {
    std::sort(v.begin(), v.end());
    return static_cast<uint64_t>(std::unique(v.begin(), v.end()) - v.begin());
  };
  return std::min(distinct(left), distinct(right));
}

}  // namespace

ScoredLinks ScoreCandidates(const Model& model, const PairComparer& comparer, const CandidatePairs& candidates,
                            const std::vector<LevelPattern>& patterns, double threshold, bool one_to_one,
                            bool count_rivals) {
  const size_t n = candidates.size();
  const size_t comparisons = model.spec.comparisons.size();
  // Level weights once, so a pair's weight is a few table look-ups.
  std::vector<std::vector<double>> level_weight(comparisons);
  std::vector<int> tf_level(comparisons);
  for (size_t c = 0; c < comparisons; ++c) {
    tf_level[c] = model.spec.comparisons[c].tf_level;
    for (size_t l = 0; l < model.spec.comparisons[c].levels.size(); ++l) {
      level_weight[c].push_back(l == 0 ? 0.0 : PartialWeight(model, c, static_cast<int>(l)));
    }
  }
  std::vector<double> weights(n);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, n, 1 << 15), [&](const tbb::blocked_range<size_t>& range) {
    for (size_t i = range.begin(); i < range.end(); ++i) {
      LevelPattern p = patterns[i];
      double parts[kMaxComparisons];
      double w = 0.0;
      for (size_t c = 0; c < comparisons; ++c) {
        int level = PatternLevel(p, c);
        parts[c] = level_weight[c][level];
        if (level == tf_level[c]) {
          parts[c] += TermFrequencyAdjustment(model, c, comparer.LeftValueFrequency(c, candidates.left[i]));
        }
        w += parts[c];
      }
      weights[i] = w + FamilyAdjustment(model, p, parts);
    }
  });
  ScoredLinks links;
  // Comparing weights rather than probabilities avoids n calls to exp2; the boundary is rechecked exactly.
  const double min_weight = WeightForProbability(model, threshold) - 1e-9;
  for (size_t i = 0; i < n; ++i) {
    if (weights[i] < min_weight) continue;
    double p = MatchProbability(model, weights[i]);
    if (p < threshold) continue;
    links.rows.push_back(i);
    links.weights.push_back(weights[i]);
    links.probabilities.push_back(p);
  }
  if (links.rows.empty() || (!one_to_one && !count_rivals)) return links;

  // Every kept pair is worth its margin over the threshold, so all are eligible and the selection
  // maximises the total evidence beyond the bar.
  std::vector<ScoredPair> scored(links.rows.size());
  for (size_t k = 0; k < links.rows.size(); ++k) {
    size_t i = links.rows[k];
    scored[k] = {candidates.left[i], candidates.right[i], links.weights[k] - min_weight + 1e-6};
  }
  std::vector<size_t> chosen = MaxWeightOneToOne(scored);
  links.rivals = CountRivalRecords(scored, chosen);
  if (!one_to_one) return links;
  ScoredLinks selected;
  selected.rivals = links.rivals;
  for (size_t k : chosen) {
    selected.rows.push_back(links.rows[k]);
    selected.weights.push_back(links.weights[k]);
    selected.probabilities.push_back(links.probabilities[k]);
  }
  return selected;
}

LinkEstimates EstimateLinkErrors(const ScoredLinks& links, double expected_matches, double match_share,
                                 bool one_to_one) {
  LinkEstimates out;
  double true_links = 0.0;
  for (double p : links.probabilities) {
    out.expected_false_links += 1.0 - p;
    true_links += p;
  }
  if (match_share > 0 && match_share < 1) {
    // Rivals are look-alike pairs (twins, relatives, namesakes) dropped because one of their records has a
    // better link, its true match. A look-alike pair is kept only when neither record's true match is in
    // the other file, (1 - share)^2 of the time, and dropped otherwise: kept ones are about
    // rivals * (1 - share)^2 / (1 - (1 - share)^2). Without one-to-one the rivals are kept too.
    const double absent = (1 - match_share) * (1 - match_share);
    const double lookalikes = static_cast<double>(links.rivals) * absent / (1 - absent) +
                              (one_to_one ? 0.0 : static_cast<double>(links.rivals));
    if (lookalikes > out.expected_false_links) {
      true_links -= lookalikes - out.expected_false_links;
      out.expected_false_links = lookalikes;
    }
  }
  if (!links.probabilities.empty()) out.false_match_rate = out.expected_false_links / links.probabilities.size();
  if (expected_matches > 0) out.expected_recall = std::min(1.0, true_links / expected_matches);
  return out;
}

Clustering ClusterLinks(const Model& model, const PairComparer& comparer, size_t rows, const CandidatePairs& candidates,
                        const ScoredLinks& links, double threshold) {
  std::vector<size_t> order(links.rows.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return links.weights[a] > links.weights[b]; });
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  edges.reserve(order.size());
  for (size_t k : order) edges.emplace_back(candidates.left[links.rows[k]], candidates.right[links.rows[k]]);
  auto probability = [&](uint32_t a, uint32_t b) {
    return MatchProbability(model, PairWeight(model, comparer, a, comparer.Compare(a, b)));
  };
  return AverageLinkageClusters(rows, edges, probability, threshold, kMaxComparedCluster);
}

namespace {

void AppendNumber(std::string* out, double v, const char* format) {
  out->push_back(',');
  fmt::format_to(std::back_inserter(*out), fmt::runtime(format), v);
}

constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

Status WritePairs(FileSystem& fs, const std::string& path, const Model& model, const Compared& compared,
                  const ScoredLinks& links, const PairsOutput& output) {
  MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, fs.NewAtomicFile(path));
  std::string buffer = "left_id,right_id,match_probability,match_weight";
  const size_t comparisons = model.spec.comparisons.size();
  if (output.explain) {
    for (const ComparisonSpec& c : model.spec.comparisons) buffer += "," + c.name + "_level," + c.name + "_weight";
  }
  for (const std::string& name : output.column_names) {
    buffer += ",";
    AppendCsvField(&buffer, "left_" + name);
    buffer += ",";
    AppendCsvField(&buffer, "right_" + name);
  }
  buffer += "\n";
  for (size_t k = 0; k < links.rows.size(); ++k) {
    size_t i = links.rows[k];
    uint32_t l = compared.candidates.left[i], r = compared.candidates.right[i];
    AppendCsvField(&buffer, output.left->id(l));
    buffer += ",";
    AppendCsvField(&buffer, output.right->id(r));
    AppendNumber(&buffer, links.probabilities[k], "{:.6g}");
    AppendNumber(&buffer, links.weights[k], "{:.4f}");
    if (output.explain) {
      LevelPattern p = compared.patterns[i];
      for (size_t c = 0; c < comparisons; ++c) {
        buffer += ",";
        buffer += model.spec.comparisons[c].levels[PatternLevel(p, c)];
        AppendNumber(&buffer, ComparisonWeight(model, *output.comparer, c, l, p), "{:.4f}");
      }
    }
    for (size_t c = 0; c < output.left_columns.size(); ++c) {
      buffer += ",";
      AppendCsvField(&buffer, output.left_raw->Get(output.left_columns[c], l));
      buffer += ",";
      AppendCsvField(&buffer, output.right_raw->Get(output.right_columns[c], r));
    }
    buffer += "\n";
    if (buffer.size() >= kFlushBytes) {
      MG_RETURN_IF_ERROR(file->Append(buffer));
      buffer.clear();
    }
  }
  MG_RETURN_IF_ERROR(file->Append(buffer));
  return file->Commit();
}

Result<uint64_t> WriteClusters(FileSystem& fs, const std::string& path, const PersonTable& table,
                               const std::vector<uint32_t>& cluster) {
  // The smallest record id of each component, so the id does not depend on row order.
  std::vector<uint32_t> smallest(table.size());
  uint64_t clusters = 0;
  for (uint32_t row = 0; row < table.size(); ++row) {
    uint32_t label = cluster[row];
    if (label == row) {
      smallest[label] = row;
      ++clusters;
    } else if (table.id(row) < table.id(smallest[label])) {
      smallest[label] = row;
    }
  }
  MG_ASSIGN_OR_RETURN(std::unique_ptr<AtomicFile> file, fs.NewAtomicFile(path));
  std::string buffer = "record_id,cluster_id\n";
  for (uint32_t row = 0; row < table.size(); ++row) {
    AppendCsvField(&buffer, table.id(row));
    buffer += ",";
    AppendCsvField(&buffer, table.id(smallest[cluster[row]]));
    buffer += "\n";
    if (buffer.size() >= kFlushBytes) {
      MG_RETURN_IF_ERROR(file->Append(buffer));
      buffer.clear();
    }
  }
  MG_RETURN_IF_ERROR(file->Append(buffer));
  MG_RETURN_IF_ERROR(file->Commit());
  return clusters;
}

}  // namespace matchguard
