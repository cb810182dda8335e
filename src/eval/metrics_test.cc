#include "src/eval/metrics.h"

#include <gtest/gtest.h>

namespace matchguard {
namespace {

struct Pairs {
  std::vector<uint32_t> left;
  std::vector<uint32_t> right;
};

TEST(MetricsTest, ScoresFromCounts) {
  Scores s = ScoresOf(Confusion{.tp = 3, .fp = 1, .fn = 2});
  EXPECT_DOUBLE_EQ(s.precision, 0.75);
  EXPECT_DOUBLE_EQ(s.recall, 0.6);
  EXPECT_DOUBLE_EQ(s.f1, 2 * 0.75 * 0.6 / 1.35);
  Scores none = ScoresOf(Confusion{});
  EXPECT_EQ(none.precision, 0.0);
  EXPECT_EQ(none.recall, 0.0);
  EXPECT_EQ(none.f1, 0.0);
}

TEST(MetricsTest, PairSetsCountDuplicatesOnce) {
  Confusion c = ComparePairSets({PairKey(1, 1), PairKey(1, 1), PairKey(2, 2), PairKey(3, 4)},
                                {PairKey(1, 1), PairKey(2, 2), PairKey(5, 5), PairKey(2, 2)});
  EXPECT_EQ(c.tp, 2u);
  EXPECT_EQ(c.fp, 1u);
  EXPECT_EQ(c.fn, 1u);
  // Direction matters for linkage: (4, 3) is not (3, 4).
  EXPECT_EQ(ComparePairSets({PairKey(4, 3)}, {PairKey(3, 4)}).tp, 0u);
}

TEST(MetricsTest, ClusteringsComparedPairwise) {
  // Truth {0,1,2} {3,4} {5}; predicted {0,1} {2,3,4} {5}. True pairs 01 02 12 34, predicted 01 23 24 34.
  std::vector<uint32_t> truth = {7, 7, 7, 8, 8, 9};
  std::vector<uint32_t> predicted = {0, 0, 1, 1, 1, 2};
  Confusion c = CompareClusterings(predicted, truth);
  EXPECT_EQ(c.tp, 2u);
  EXPECT_EQ(c.fp, 2u);
  EXPECT_EQ(c.fn, 2u);
}

TEST(MetricsTest, RecordsMissingFromAClusteringAreSingletons) {
  std::vector<uint32_t> truth = {1, 1, 1, kNoCluster};
  std::vector<uint32_t> predicted = {kNoCluster, 4, 4, 4};
  Confusion c = CompareClusterings(predicted, truth);  // predicted 12 13 23, true 01 02 12
  EXPECT_EQ(c.tp, 1u);
  EXPECT_EQ(c.fp, 2u);
  EXPECT_EQ(c.fn, 2u);
}

TEST(MetricsTest, HugeClusterIsCountedNotEnumerated) {
  std::vector<uint32_t> one(1'000'000, 3);
  Confusion c = CompareClusterings(one, one);
  EXPECT_EQ(c.tp, 499'999'500'000u);
  EXPECT_EQ(c.fp, 0u);
  EXPECT_EQ(c.fn, 0u);
}

TEST(MetricsTest, PairsAgainstLabelsUnorderedForDedupe) {
  std::vector<uint32_t> labels = {0, 0, 1, 1, 1};
  uint64_t true_pairs = PairsWithinClusters(labels);
  EXPECT_EQ(true_pairs, 4u);
  // (1,0) repeats (0,1); (2,2) is no pair; (0,2) crosses clusters.
  Confusion c = ComparePairsToLabels({PairKey(0, 1), PairKey(1, 0), PairKey(2, 2), PairKey(3, 2), PairKey(0, 2)},
                                     labels, labels, true_pairs, /*unordered=*/true);
  EXPECT_EQ(c.tp, 2u);
  EXPECT_EQ(c.fp, 1u);
  EXPECT_EQ(c.fn, 2u);
}

TEST(MetricsTest, PairsAgainstLabelsAcrossFiles) {
  std::vector<uint32_t> left = {5, 6, kNoCluster};
  std::vector<uint32_t> right = {6, 5, 5, kNoCluster};
  uint64_t true_pairs = PairsAcrossClusters(left, right);
  EXPECT_EQ(true_pairs, 3u);  // (0,1) (0,2) (1,0)
  // (2,3): both unlabelled, not a match; (9,0): an index beyond the labels, not a match.
  Confusion c = ComparePairsToLabels({PairKey(0, 1), PairKey(1, 0), PairKey(2, 3), PairKey(9, 0)}, left, right,
                                     true_pairs, /*unordered=*/false);
  EXPECT_EQ(c.tp, 2u);
  EXPECT_EQ(c.fp, 2u);
  EXPECT_EQ(c.fn, 1u);
}

TEST(MetricsTest, PairsCompleteness) {
  Pairs candidates{{0, 0, 1, 1}, {0, 1, 1, 1}};
  Pairs truth{{0, 2, 0}, {0, 2, 0}};
  EXPECT_DOUBLE_EQ(PairsCompleteness(ViewOf(candidates), ViewOf(truth)), 0.5);
  EXPECT_DOUBLE_EQ(PairsCompleteness(ViewOf(candidates), PairView{}), 1.0);
  EXPECT_DOUBLE_EQ(PairsCompleteness(PairView{}, ViewOf(truth)), 0.0);
}

TEST(MetricsTest, ReductionRatio) {
  EXPECT_DOUBLE_EQ(ReductionRatio(10, 10, 10), 0.9);
  EXPECT_DOUBLE_EQ(ReductionRatio(9, 10, 0), 0.8);  // dedupe: 45 possible pairs
  EXPECT_DOUBLE_EQ(ReductionRatio(0, 0, 0), 0.0);
  EXPECT_NEAR(ReductionRatio(20'000'000, 1'000'000, 1'000'000), 1.0 - 2e-5, 1e-12);
}

}  // namespace
}  // namespace matchguard
