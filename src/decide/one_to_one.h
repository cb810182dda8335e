// One-to-one selection of scored record pairs, and clustering by connected components.
//
// MaxWeightOneToOne finds a matching (each left and each right record used at most once) of maximum total
// weight. It splits the bipartite graph into connected components (most are one or two pairs) and solves
// each exactly with the Hungarian algorithm (O(a^2 b) time and a x b memory for a component with a <= b
// records on its two sides). A component with more than kMaxExactComponentNodes records on either side
// (the exact solve would take over a second) is solved greedily instead (GreedyOneToOne's rule: at least
// half the optimal weight, usually much closer); OneToOneStats reports how often that happened.
//
// Thread-safety: pure functions; safe to call concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace matchguard {

struct ScoredPair {
  uint32_t left;
  uint32_t right;
  double weight;
};

// Components with more records than this on either side fall back to the greedy selection.
inline constexpr size_t kMaxExactComponentNodes = 1000;

struct OneToOneStats {
  size_t components = 0;
  size_t largest_component_nodes = 0;  // left + right nodes
  size_t greedy_components = 0;        // components too large for the exact solver
};

// Indices (into pairs) of a one-to-one selection of maximum total weight; pairs with weight <= 0 (or NaN)
// are never chosen. Duplicate (left, right) entries are allowed; the heaviest is the one considered.
// Among optimal selections the result is deterministic for a given input. Indices are sorted ascending.
std::vector<size_t> MaxWeightOneToOne(const std::vector<ScoredPair>& pairs, OneToOneStats* stats = nullptr);

// Greedy: highest weight first; ties broken by left then right ascending (then by index). Deterministic.
// Pairs with weight <= 0 are never chosen. Indices are sorted ascending.
std::vector<size_t> GreedyOneToOne(const std::vector<ScoredPair>& pairs);

// Connected components of `num_nodes` nodes under `edges`; returns for each node the smallest node index
// in its component (a stable cluster label). Edges with an endpoint >= num_nodes are ignored.
std::vector<uint32_t> ConnectedComponents(size_t num_nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges);

// Clusters that do not chain: edges are taken strongest first, and an edge joins its two clusters only when
// the mean match probability over EVERY pair across them, `probability(a, b)`, is at least `threshold`.
// Connected components would join two people through one look-alike link (a twin, a namesake) and so
// claim every pair across their records; here the merge must pay for itself (with threshold 0.5, the
// pairs it creates are expected to be more often right than wrong). A merge that would make a cluster
// larger than `max_cluster` is judged on the edge alone. `edges` must be sorted strongest first. Each pair
// of records in a cluster was judged at the merge that joined it, so the expected false pairs come free.
struct Clustering {
  std::vector<uint32_t> labels;     // the smallest node of each node's cluster
  size_t refused = 0;               // edges that did not join their clusters
  double pairs = 0;                 // pairs of nodes within clusters
  double expected_false_pairs = 0;  // sum of 1 - p over them; a pair joined unjudged (max_cluster) counts 1
};
Clustering AverageLinkageClusters(size_t num_nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges,
                                  const std::function<double(uint32_t, uint32_t)>& probability, double threshold,
                                  size_t max_cluster);

}  // namespace matchguard
