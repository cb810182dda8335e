#include "src/decide/pprl.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "src/decide/one_to_one.h"

namespace matchguard::pprl {
namespace {

RecordRef R(uint32_t party, uint32_t row) { return {party, row}; }

ScoredPairs Sorted(ScoredPairs p) {
  SortAnonlinkOrder(p);
  return p;
}

TEST(PprlTest, SortFollowsAnonlinkOrder) {
  ScoredPairs p;
  p.Add(0.8, R(0, 5), R(1, 1));
  p.Add(0.9, R(0, 7), R(1, 0));
  p.Add(0.8, R(0, 2), R(1, 9));
  p.Add(0.8, R(0, 2), R(1, 3));
  SortAnonlinkOrder(p);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p.first[0], R(0, 7));   // highest similarity first
  EXPECT_EQ(p.second[1], R(1, 3));  // then first row, then second row
  EXPECT_EQ(p.second[2], R(1, 9));
  EXPECT_EQ(p.first[3], R(0, 5));
}

TEST(PprlTest, TwoPartyGreedyBreaksTiesByLowerRows) {
  ScoredPairs p;
  p.Add(0.9, R(0, 0), R(1, 0));
  p.Add(0.85, R(0, 1), R(1, 0));
  p.Add(0.85, R(0, 0), R(1, 1));
  p.Add(0.8, R(0, 1), R(1, 1));
  p.Add(0.85, R(0, 2), R(1, 2));
  p.Add(0.85, R(0, 3), R(1, 2));  // tie with (2, 2): the lower first row wins
  auto groups = GreedySolve(Sorted(p));
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0], (Group{R(0, 0), R(1, 0)}));
  // anonlink lists a group where its earliest-seen record entered the record map: B1 was seen (and
  // became a group of one) at the 0.85 pair (A0, B1), before A2 and B2, so {A1, B1} comes second even
  // though it was formed last; its members are in the order of the pair that joined them.
  EXPECT_EQ(groups[1], (Group{R(0, 1), R(1, 1)}));
  EXPECT_EQ(groups[2], (Group{R(0, 2), R(1, 2)}));
}

TEST(PprlTest, ThreePartiesMergeOnlyWhenEveryCrossPairIsACandidate) {
  ScoredPairs p;
  p.Add(0.95, R(0, 0), R(1, 0));
  p.Add(0.90, R(0, 0), R(2, 0));
  p.Add(0.85, R(1, 0), R(2, 0));
  // A second entity: C1 links to A1 only, so it can never join the {A1, B1} group.
  p.Add(0.92, R(0, 1), R(1, 1));
  p.Add(0.91, R(0, 1), R(2, 1));
  auto groups = GreedySolve(Sorted(p));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], (Group{R(0, 0), R(1, 0), R(2, 0)}));
  EXPECT_EQ(groups[1], (Group{R(0, 1), R(1, 1)}));
}

TEST(PprlTest, TwoGroupsMergeWhenAllFourCrossPairsAreSeen) {
  ScoredPairs p;
  p.Add(0.99, R(0, 0), R(1, 0));  // {A0, B0}
  p.Add(0.98, R(2, 0), R(3, 0));  // {C0, D0}
  p.Add(0.90, R(0, 0), R(2, 0));
  p.Add(0.89, R(0, 0), R(3, 0));
  p.Add(0.88, R(1, 0), R(2, 0));
  EXPECT_EQ(GreedySolve(Sorted(p)).size(), 2u);  // three of four cross pairs: no merge yet
  p.Add(0.87, R(1, 0), R(3, 0));
  auto groups = GreedySolve(Sorted(p));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0], (Group{R(0, 0), R(1, 0), R(2, 0), R(3, 0)}));
}

TEST(PprlTest, EnforceTopKCountsEveryVisitOnBothSides) {
  ScoredPairs p;
  p.Add(0.9, R(0, 0), R(1, 0));
  p.Add(0.8, R(0, 0), R(1, 1));  // A0's second: dropped at k = 1
  p.Add(0.7, R(0, 1), R(1, 1));  // B1 was already visited once (by the dropped pair): dropped too
  p.Add(0.6, R(0, 2), R(1, 2));
  auto kept = EnforceTopK(p, 1);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.first[0], R(0, 0));
  EXPECT_EQ(kept.first[1], R(0, 2));
  EXPECT_EQ(EnforceTopK(p, 0).size(), 4u);
}

// With two parties anonlink's greedy solver is greedy one-to-one with ties broken by left then right row,
// which decide's GreedyOneToOne implements independently: they must choose the same links.
TEST(PprlTest, TwoPartyGreedyEqualsGreedyOneToOneOnRandomCandidates) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 50; ++round) {
    ScoredPairs p;
    std::vector<ScoredPair> plain;
    std::uniform_int_distribution<uint32_t> row(0, 30);
    std::uniform_int_distribution<int> level(1, 6);  // few distinct similarities: many ties
    for (int k = 0; k < 120; ++k) {
      const uint32_t a = row(rng), b = row(rng);
      const double s = 0.7 + 0.05 * level(rng);
      bool duplicate = false;
      for (const ScoredPair& q : plain) duplicate |= (q.left == a && q.right == b);
      if (duplicate) continue;
      p.Add(s, R(0, a), R(1, b));
      plain.push_back({a, b, s});
    }
    std::set<std::pair<uint32_t, uint32_t>> want, got;
    for (size_t i : GreedyOneToOne(plain)) want.insert({plain[i].left, plain[i].right});
    for (const Group& g : GreedySolve(Sorted(p))) {
      ASSERT_EQ(g.size(), 2u);
      const RecordRef a = g[0].party == 0 ? g[0] : g[1], b = g[0].party == 0 ? g[1] : g[0];
      got.insert({a.row, b.row});
    }
    ASSERT_EQ(got, want) << "round " << round;
  }
}

}  // namespace
}  // namespace matchguard::pprl
