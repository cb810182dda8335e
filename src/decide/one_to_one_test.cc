#include "src/decide/one_to_one.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

namespace matchguard {
namespace {

double Total(const std::vector<ScoredPair>& pairs, const std::vector<size_t>& chosen) {
  double sum = 0;
  for (size_t i : chosen) sum += pairs[i].weight;
  return sum;
}

void ExpectOneToOne(const std::vector<ScoredPair>& pairs, const std::vector<size_t>& chosen) {
  std::set<uint32_t> lefts;
  std::set<uint32_t> rights;
  for (size_t i : chosen) {
    ASSERT_LT(i, pairs.size());
    EXPECT_TRUE(lefts.insert(pairs[i].left).second) << "left " << pairs[i].left << " used twice";
    EXPECT_TRUE(rights.insert(pairs[i].right).second) << "right " << pairs[i].right << " used twice";
    EXPECT_GT(pairs[i].weight, 0.0);
  }
  EXPECT_TRUE(std::is_sorted(chosen.begin(), chosen.end()));
}

// Best total weight by trying every matching (small inputs only).
double BruteForce(const std::vector<ScoredPair>& pairs, size_t from, std::set<uint32_t>& lefts,
                  std::set<uint32_t>& rights) {
  if (from == pairs.size()) return 0.0;
  double best = BruteForce(pairs, from + 1, lefts, rights);
  const ScoredPair& p = pairs[from];
  if (p.weight > 0 && !lefts.count(p.left) && !rights.count(p.right)) {
    lefts.insert(p.left);
    rights.insert(p.right);
    best = std::max(best, p.weight + BruteForce(pairs, from + 1, lefts, rights));
    lefts.erase(p.left);
    rights.erase(p.right);
  }
  return best;
}

TEST(MaxWeightOneToOneTest, BeatsGreedyWhereGreedyIsNotOptimal) {
  // A-X 10, A-Y 9, B-X 9: greedy takes A-X (10); the optimum is A-Y + B-X (18).
  const std::vector<ScoredPair> pairs = {{0, 0, 10.0}, {0, 1, 9.0}, {1, 0, 9.0}};
  EXPECT_EQ(GreedyOneToOne(pairs), (std::vector<size_t>{0}));
  EXPECT_EQ(MaxWeightOneToOne(pairs), (std::vector<size_t>{1, 2}));
}

TEST(MaxWeightOneToOneTest, NeverChoosesNonPositiveOrNanWeights) {
  const std::vector<ScoredPair> pairs = {{0, 0, -1.0}, {1, 1, 0.0}, {2, 2, std::nan("")}, {3, 3, 0.5}};
  EXPECT_EQ(MaxWeightOneToOne(pairs), (std::vector<size_t>{3}));
  EXPECT_EQ(GreedyOneToOne(pairs), (std::vector<size_t>{3}));
  EXPECT_TRUE(MaxWeightOneToOne({}).empty());
  EXPECT_TRUE(GreedyOneToOne({}).empty());
}

TEST(MaxWeightOneToOneTest, LeavesARecordUnmatchedWhenThatIsBetter) {
  // 0-0 alone (5) beats 0-1 + 1-0 (4): record 1 stays unmatched on both sides.
  const std::vector<ScoredPair> pairs = {{0, 0, 5.0}, {0, 1, 2.0}, {1, 0, 2.0}};
  EXPECT_EQ(MaxWeightOneToOne(pairs), (std::vector<size_t>{0}));
}

TEST(MaxWeightOneToOneTest, DuplicatePairsUseTheHeaviest) {
  const std::vector<ScoredPair> pairs = {{0, 0, 1.0}, {0, 0, 3.0}, {0, 0, 3.0}};
  EXPECT_EQ(MaxWeightOneToOne(pairs), (std::vector<size_t>{1}));
}

TEST(MaxWeightOneToOneTest, RandomInstancesMatchBruteForce) {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 400; ++trial) {
    const uint32_t n_left = 1 + rng() % 5;
    const uint32_t n_right = 1 + rng() % 5;
    std::vector<ScoredPair> pairs;
    const size_t n_pairs = rng() % 11;
    for (size_t k = 0; k < n_pairs; ++k) {
      // Integer weights make ties common; a few are negative.
      const auto l = static_cast<uint32_t>(rng() % n_left * 7);
      const auto r = static_cast<uint32_t>(rng() % n_right * 3);
      pairs.push_back({l, r, static_cast<double>(static_cast<int>(rng() % 12) - 2)});
    }
    const std::vector<size_t> chosen = MaxWeightOneToOne(pairs);
    ExpectOneToOne(pairs, chosen);
    std::set<uint32_t> l;
    std::set<uint32_t> r;
    EXPECT_DOUBLE_EQ(Total(pairs, chosen), BruteForce(pairs, 0, l, r)) << "trial " << trial;
    EXPECT_EQ(MaxWeightOneToOne(pairs), chosen);  // deterministic
    const std::vector<size_t> greedy = GreedyOneToOne(pairs);
    ExpectOneToOne(pairs, greedy);
    EXPECT_LE(Total(pairs, greedy), Total(pairs, chosen) + 1e-9);
    EXPECT_GE(2 * Total(pairs, greedy), Total(pairs, chosen) - 1e-9);
  }
}

TEST(MaxWeightOneToOneTest, ManyComponentsSolvedSeparately) {
  // 1000 copies of the greedy trap, each its own component: the optimum takes 2 pairs in each.
  std::vector<ScoredPair> pairs;
  for (uint32_t c = 0; c < 1000; ++c) {
    pairs.push_back({2 * c, 2 * c, 10.0});
    pairs.push_back({2 * c, 2 * c + 1, 9.0});
    pairs.push_back({2 * c + 1, 2 * c, 9.0});
  }
  OneToOneStats stats;
  const std::vector<size_t> chosen = MaxWeightOneToOne(pairs, &stats);
  EXPECT_EQ(chosen.size(), 2000u);
  EXPECT_DOUBLE_EQ(Total(pairs, chosen), 18000.0);
  EXPECT_EQ(stats.components, 1000u);
  EXPECT_EQ(stats.largest_component_nodes, 4u);
  EXPECT_EQ(stats.greedy_components, 0u);
}

TEST(MaxWeightOneToOneTest, OversizedComponentFallsBackToGreedyAndSaysSo) {
  // One left record linked to more right records than the exact limit: a star component.
  std::vector<ScoredPair> pairs;
  for (uint32_t r = 0; r <= kMaxExactComponentNodes; ++r) pairs.push_back({0, r, 1.0 + r % 7});
  pairs.push_back({1, 0, 100.0});
  OneToOneStats stats;
  const std::vector<size_t> chosen = MaxWeightOneToOne(pairs, &stats);
  ExpectOneToOne(pairs, chosen);
  EXPECT_EQ(stats.greedy_components, 1u);
  EXPECT_EQ(stats.largest_component_nodes, kMaxExactComponentNodes + 3);
  EXPECT_EQ(chosen, GreedyOneToOne(pairs));
  EXPECT_DOUBLE_EQ(Total(pairs, chosen), 107.0);  // 1-0 (100) and 0 with a weight-7 right record
}

TEST(MaxWeightOneToOneTest, LargeExactComponentIsOptimal) {
  // A 300 x 300 component with a planted diagonal of weight 2 and noise below 1 elsewhere: the optimum
  // is the diagonal (600); greedy also finds it here, but the solver must not be slower than a second.
  std::mt19937 rng(3);
  std::vector<ScoredPair> pairs;
  for (uint32_t l = 0; l < 300; ++l) {
    for (uint32_t r = 0; r < 300; r += 1 + rng() % 10) pairs.push_back({l, r, 0.01 + (rng() % 90) / 100.0});
    pairs.push_back({l, l, 2.0});
  }
  OneToOneStats stats;
  const std::vector<size_t> chosen = MaxWeightOneToOne(pairs, &stats);
  ExpectOneToOne(pairs, chosen);
  EXPECT_EQ(stats.greedy_components, 0u);
  EXPECT_NEAR(Total(pairs, chosen), 600.0, 1e-9);
}

TEST(GreedyOneToOneTest, TiesBrokenByLeftThenRight) {
  const std::vector<ScoredPair> pairs = {{2, 5, 1.0}, {1, 5, 1.0}, {1, 4, 1.0}, {0, 9, 0.5}};
  // All weight-1 pairs tie: (1,4) first, then (1,5) is blocked, (2,5) is taken; (0,9) last.
  EXPECT_EQ(GreedyOneToOne(pairs), (std::vector<size_t>{0, 2, 3}));
}

TEST(ConnectedComponentsTest, LabelsAreTheSmallestNode) {
  const std::vector<uint32_t> labels = ConnectedComponents(7, {{5, 3}, {3, 6}, {1, 2}, {6, 5}, {9, 0}});
  EXPECT_EQ(labels, (std::vector<uint32_t>{0, 1, 1, 3, 4, 3, 3}));
  EXPECT_TRUE(ConnectedComponents(0, {}).empty());
  EXPECT_EQ(ConnectedComponents(3, {}), (std::vector<uint32_t>{0, 1, 2}));
  EXPECT_EQ(ConnectedComponents(3, {{2, 2}}), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(ConnectedComponentsTest, LongChainsInAnyOrder) {
  const uint32_t n = 100000;
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t i = n - 1; i > 0; --i) edges.emplace_back(i, i - 1);
  std::shuffle(edges.begin(), edges.end(), std::mt19937(1));
  const std::vector<uint32_t> labels = ConnectedComponents(n + 1, edges);
  EXPECT_EQ(labels[n - 1], 0u);
  EXPECT_EQ(labels[n / 2], 0u);
  EXPECT_EQ(labels[n], n);
}

}  // namespace
// Records 0 and 1 are one person, 2 and 3 another (a twin); 1 and 2 look alike (p 0.9) but 0-2, 0-3, 1-3
// clearly differ. Connected components would make one cluster of four; average linkage keeps two.
TEST(AverageLinkageClustersTest, ALookAlikeLinkDoesNotChainTwoPeople) {
  auto p = [](uint32_t x, uint32_t y) {
    if (x > y) std::swap(x, y);
    if ((x == 0 && y == 1) || (x == 2 && y == 3)) return 0.99;
    if (x == 1 && y == 2) return 0.9;
    return 0.01;
  };
  const std::vector<std::pair<uint32_t, uint32_t>> edges = {{0, 1}, {2, 3}, {1, 2}};
  EXPECT_EQ(ConnectedComponents(4, edges), (std::vector<uint32_t>{0, 0, 0, 0}));
  const Clustering two = AverageLinkageClusters(4, edges, p, 0.5, 100);
  EXPECT_EQ(two.labels, (std::vector<uint32_t>{0, 0, 2, 2}));
  EXPECT_EQ(two.refused, 1u);
  // The pairs within clusters, 0-1 and 2-3, were judged when they joined: 2 pairs, 2 x 0.01 expected false.
  EXPECT_DOUBLE_EQ(two.pairs, 2);
  EXPECT_NEAR(two.expected_false_pairs, 0.02, 1e-12);
  // A refused pair of clusters is not compared again for another edge between them, until one grows.
  size_t calls = 0;
  auto counted = [&](uint32_t x, uint32_t y) {
    ++calls;
    return p(x, y);
  };
  const std::vector<std::pair<uint32_t, uint32_t>> twice = {{0, 1}, {2, 3}, {1, 2}, {0, 3}};
  EXPECT_EQ(AverageLinkageClusters(4, twice, counted, 0.5, 100).refused, 2u);
  EXPECT_EQ(calls, 1u + 1u + 4u);
  // Three records of one person whose third pair is missing from the edges still form one cluster.
  auto same = [](uint32_t, uint32_t) { return 0.8; };
  const Clustering one = AverageLinkageClusters(3, {{2, 1}, {1, 0}}, same, 0.5, 100);
  EXPECT_EQ(one.labels, (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_DOUBLE_EQ(one.pairs, 3);
  EXPECT_NEAR(one.expected_false_pairs, 0.6, 1e-12);
  // Beyond max_cluster a merge is judged on its edge alone, and the pairs it made count as false.
  const Clustering big = AverageLinkageClusters(4, edges, p, 0.5, 3);
  EXPECT_EQ(big.labels, (std::vector<uint32_t>{0, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(big.pairs, 6);
  EXPECT_NEAR(big.expected_false_pairs, 0.02 + 4, 1e-12);
}

}  // namespace matchguard
