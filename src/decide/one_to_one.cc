#include "src/decide/one_to_one.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace matchguard {
namespace {

bool Usable(double weight) { return weight > 0.0; }  // false for NaN too

// Orders pair indices highest weight first, then by left, right and index: GreedyOneToOne's order.
void SortGreedy(const std::vector<ScoredPair>& pairs, std::vector<size_t>* order) {
  std::sort(order->begin(), order->end(), [&pairs](size_t a, size_t b) {
    const ScoredPair& x = pairs[a];
    const ScoredPair& y = pairs[b];
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.left != y.left) return x.left < y.left;
    if (x.right != y.right) return x.right < y.right;
    return a < b;
  });
}

// Greedy over `order` (already in greedy order); nodes are compact ids.
std::vector<size_t> GreedyOver(const std::vector<size_t>& order, const std::vector<uint32_t>& left_id,
                               const std::vector<uint32_t>& right_id, size_t n_left, size_t n_right) {
  std::vector<bool> left_used(n_left, false);
  std::vector<bool> right_used(n_right, false);
  std::vector<size_t> chosen;
  for (size_t i : order) {
    if (left_used[left_id[i]] || right_used[right_id[i]]) continue;
    left_used[left_id[i]] = right_used[right_id[i]] = true;
    chosen.push_back(i);
  }
  return chosen;
}

// Minimum-cost assignment of every row to a distinct column (rows <= cols) by the Hungarian method with
// potentials, O(rows^2 * cols). cost is row-major. Returns the column of each row.
std::vector<size_t> Hungarian(const std::vector<double>& cost, size_t rows, size_t cols) {
  const double inf = std::numeric_limits<double>::infinity();
  // 1-based internally; column 0 is a virtual start column.
  std::vector<double> row_pot(rows + 1, 0.0);
  std::vector<double> col_pot(cols + 1, 0.0);
  std::vector<size_t> col_row(cols + 1, 0);  // row matched to a column, 0 = none
  std::vector<size_t> prev_col(cols + 1, 0);
  std::vector<double> min_slack(cols + 1);
  std::vector<bool> visited(cols + 1);
  for (size_t row = 1; row <= rows; ++row) {
    col_row[0] = row;
    size_t col = 0;
    std::fill(min_slack.begin(), min_slack.end(), inf);
    std::fill(visited.begin(), visited.end(), false);
    // Grow a tree of tight edges from `row` until it reaches a free column.
    do {
      visited[col] = true;
      const size_t r = col_row[col];
      double delta = inf;
      size_t next = 0;
      for (size_t c = 1; c <= cols; ++c) {
        if (visited[c]) continue;
        const double slack = cost[(r - 1) * cols + (c - 1)] - row_pot[r] - col_pot[c];
        if (slack < min_slack[c]) {
          min_slack[c] = slack;
          prev_col[c] = col;
        }
        if (min_slack[c] < delta) {
          delta = min_slack[c];
          next = c;
        }
      }
      for (size_t c = 0; c <= cols; ++c) {
        if (visited[c]) {
          row_pot[col_row[c]] += delta;
          col_pot[c] -= delta;
        } else {
          min_slack[c] -= delta;
        }
      }
      col = next;
    } while (col_row[col] != 0);
    // Flip the augmenting path back to the start.
    while (col != 0) {
      const size_t before = prev_col[col];
      col_row[col] = col_row[before];
      col = before;
    }
  }
  std::vector<size_t> row_col(rows, 0);
  for (size_t c = 1; c <= cols; ++c) {
    if (col_row[c] != 0) row_col[col_row[c] - 1] = c - 1;
  }
  return row_col;
}

// Exact maximum-weight matching of one component. `edges` index into pairs; lefts/rights are the
// component's distinct compact ids, sorted.
std::vector<size_t> SolveComponent(const std::vector<ScoredPair>& pairs, const std::vector<size_t>& edges,
                                   const std::vector<uint32_t>& left_id, const std::vector<uint32_t>& right_id) {
  std::vector<uint32_t> lefts;
  std::vector<uint32_t> rights;
  for (size_t e : edges) {
    lefts.push_back(left_id[e]);
    rights.push_back(right_id[e]);
  }
  std::sort(lefts.begin(), lefts.end());
  lefts.erase(std::unique(lefts.begin(), lefts.end()), lefts.end());
  std::sort(rights.begin(), rights.end());
  rights.erase(std::unique(rights.begin(), rights.end()), rights.end());
  const bool transpose = lefts.size() > rights.size();  // the solver wants rows <= cols
  const size_t rows = transpose ? rights.size() : lefts.size();
  const size_t cols = transpose ? lefts.size() : rights.size();
  // Cost -weight on an edge, 0 elsewhere (an assignment there means "unmatched").
  std::vector<double> cost(rows * cols, 0.0);
  std::vector<size_t> edge_at(rows * cols, SIZE_MAX);
  for (size_t e : edges) {
    const size_t li = std::lower_bound(lefts.begin(), lefts.end(), left_id[e]) - lefts.begin();
    const size_t ri = std::lower_bound(rights.begin(), rights.end(), right_id[e]) - rights.begin();
    const size_t cell = transpose ? ri * cols + li : li * cols + ri;
    cost[cell] = -pairs[e].weight;
    edge_at[cell] = e;
  }
  const std::vector<size_t> assignment = Hungarian(cost, rows, cols);
  std::vector<size_t> chosen;
  for (size_t r = 0; r < rows; ++r) {
    const size_t e = edge_at[r * cols + assignment[r]];
    if (e != SIZE_MAX) chosen.push_back(e);
  }
  return chosen;
}

// Maps ids to 0..n-1 in ascending id order.
std::vector<uint32_t> Compact(const std::vector<uint32_t>& ids, size_t* n) {
  std::vector<uint32_t> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  *n = sorted.size();
  std::vector<uint32_t> out(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    out[i] = static_cast<uint32_t>(std::lower_bound(sorted.begin(), sorted.end(), ids[i]) - sorted.begin());
  }
  return out;
}

}  // namespace

std::vector<size_t> GreedyOneToOne(const std::vector<ScoredPair>& pairs) {
  std::vector<size_t> order;
  std::vector<uint32_t> lefts;
  std::vector<uint32_t> rights;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (Usable(pairs[i].weight)) order.push_back(i);
  }
  SortGreedy(pairs, &order);
  for (const ScoredPair& p : pairs) {
    lefts.push_back(p.left);
    rights.push_back(p.right);
  }
  size_t n_left = 0;
  size_t n_right = 0;
  const std::vector<uint32_t> left_id = Compact(lefts, &n_left);
  const std::vector<uint32_t> right_id = Compact(rights, &n_right);
  std::vector<size_t> chosen = GreedyOver(order, left_id, right_id, n_left, n_right);
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

std::vector<size_t> MaxWeightOneToOne(const std::vector<ScoredPair>& pairs, OneToOneStats* stats) {
  OneToOneStats local;
  OneToOneStats& st = stats != nullptr ? *stats : local;
  st = OneToOneStats{};
  // Usable pairs, one per (left, right): the heaviest, then the lowest index.
  std::vector<size_t> usable;
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (Usable(pairs[i].weight)) usable.push_back(i);
  }
  std::sort(usable.begin(), usable.end(), [&pairs](size_t a, size_t b) {
    const ScoredPair& x = pairs[a];
    const ScoredPair& y = pairs[b];
    if (x.left != y.left) return x.left < y.left;
    if (x.right != y.right) return x.right < y.right;
    if (x.weight != y.weight) return x.weight > y.weight;
    return a < b;
  });
  usable.erase(std::unique(usable.begin(), usable.end(),
                           [&pairs](size_t a, size_t b) {
                             return pairs[a].left == pairs[b].left && pairs[a].right == pairs[b].right;
                           }),
               usable.end());
  // Compact ids over all pairs (indexed by pair index), components over left ids then right ids.
  std::vector<uint32_t> lefts(pairs.size());
  std::vector<uint32_t> rights(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    lefts[i] = pairs[i].left;
    rights[i] = pairs[i].right;
  }
  size_t n_left = 0;
  size_t n_right = 0;
  const std::vector<uint32_t> left_id = Compact(lefts, &n_left);
  const std::vector<uint32_t> right_id = Compact(rights, &n_right);
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (size_t i : usable) edges.emplace_back(left_id[i], static_cast<uint32_t>(n_left + right_id[i]));
  const std::vector<uint32_t> label = ConnectedComponents(n_left + n_right, edges);
  // Group usable pairs by component (stable, so each group keeps index order).
  std::stable_sort(usable.begin(), usable.end(),
                   [&](size_t a, size_t b) { return label[left_id[a]] < label[left_id[b]]; });
  std::vector<size_t> chosen;
  for (size_t begin = 0; begin < usable.size();) {
    size_t end = begin + 1;
    while (end < usable.size() && label[left_id[usable[end]]] == label[left_id[usable[begin]]]) ++end;
    const std::vector<size_t> component(usable.begin() + static_cast<ptrdiff_t>(begin),
                                        usable.begin() + static_cast<ptrdiff_t>(end));
    ++st.components;
    if (component.size() == 1) {
      chosen.push_back(component[0]);
      st.largest_component_nodes = std::max<size_t>(st.largest_component_nodes, 2);
    } else {
      std::vector<uint32_t> ls;
      std::vector<uint32_t> rs;
      for (size_t e : component) {
        ls.push_back(left_id[e]);
        rs.push_back(right_id[e]);
      }
      size_t nl = 0;
      size_t nr = 0;
      Compact(ls, &nl);
      Compact(rs, &nr);
      st.largest_component_nodes = std::max(st.largest_component_nodes, nl + nr);
      std::vector<size_t> picked;
      if (nl > kMaxExactComponentNodes || nr > kMaxExactComponentNodes) {
        ++st.greedy_components;
        std::vector<size_t> order = component;
        SortGreedy(pairs, &order);
        picked = GreedyOver(order, left_id, right_id, n_left, n_right);
      } else {
        picked = SolveComponent(pairs, component, left_id, right_id);
      }
      chosen.insert(chosen.end(), picked.begin(), picked.end());
    }
    begin = end;
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

std::vector<uint32_t> ConnectedComponents(size_t num_nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
  std::vector<uint32_t> parent(num_nodes);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&parent](uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (const auto& [a, b] : edges) {
    if (a >= num_nodes || b >= num_nodes) continue;
    const uint32_t ra = find(a);
    const uint32_t rb = find(b);
    // The smaller root wins, so every root is its component's smallest node.
    if (ra < rb) {
      parent[rb] = ra;
    } else if (rb < ra) {
      parent[ra] = rb;
    }
  }
  for (uint32_t i = 0; i < num_nodes; ++i) parent[i] = find(i);
  return parent;
}

Clustering AverageLinkageClusters(size_t num_nodes, const std::vector<std::pair<uint32_t, uint32_t>>& edges,
                                  const std::function<double(uint32_t, uint32_t)>& probability, double threshold,
                                  size_t max_cluster) {
  Clustering out;
  std::vector<uint32_t> cluster_of(num_nodes);
  std::iota(cluster_of.begin(), cluster_of.end(), 0u);
  std::vector<std::vector<uint32_t>> members(num_nodes);
  for (uint32_t i = 0; i < num_nodes; ++i) members[i] = {i};
  // Cluster pairs already refused, with their sizes then: another edge between them is refused again
  // without recomparing until one of them grows.
  std::map<std::pair<uint32_t, uint32_t>, std::pair<size_t, size_t>> refused_at;
  for (const auto& [a, b] : edges) {
    if (a >= num_nodes || b >= num_nodes) continue;
    uint32_t ca = cluster_of[a], cb = cluster_of[b];
    if (ca == cb) continue;
    if (ca > cb) std::swap(ca, cb);
    const double cross = static_cast<double>(members[ca].size() * members[cb].size());
    double sum = 0;  // unjudged merges count every pair created as false
    if (members[ca].size() + members[cb].size() <= max_cluster) {
      auto it = refused_at.find({ca, cb});
      const bool same_sizes =
          it != refused_at.end() && it->second == std::make_pair(members[ca].size(), members[cb].size());
      if (!same_sizes) {
        for (uint32_t x : members[ca]) {
          for (uint32_t y : members[cb]) sum += probability(x, y);
        }
      }
      if (same_sizes || sum < threshold * cross) {
        refused_at[{ca, cb}] = {members[ca].size(), members[cb].size()};
        ++out.refused;
        continue;
      }
    }
    out.pairs += cross;
    out.expected_false_pairs += cross - sum;
    if (members[ca].size() < members[cb].size()) std::swap(ca, cb);
    for (uint32_t y : members[cb]) cluster_of[y] = ca;
    members[ca].insert(members[ca].end(), members[cb].begin(), members[cb].end());
    members[cb].clear();
    members[cb].shrink_to_fit();
  }
  out.labels.resize(num_nodes);
  for (const std::vector<uint32_t>& m : members) {
    if (m.empty()) continue;
    const uint32_t smallest = *std::min_element(m.begin(), m.end());
    for (uint32_t x : m) out.labels[x] = smallest;
  }
  return out;
}

}  // namespace matchguard
