#include "src/decide/pprl.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>
#include <unordered_map>

namespace matchguard::pprl {

namespace {

uint64_t Key(RecordRef r) { return (uint64_t{r.party} << 32) | r.row; }

// Groups with the bookkeeping the greedy rule needs: which group each record is in, the number of
// candidate pairs already seen between two groups (the "matchable pairs"), and for each group the
// position at which anonlink's result would list it.
class GroupStore {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  uint32_t GroupOf(RecordRef r) const {
    auto it = group_of_.find(Key(r));
    return it == group_of_.end() ? kNone : it->second;
  }
  size_t Size(uint32_t g) const { return members_[g].size(); }

  uint32_t NewGroup(std::initializer_list<RecordRef> records) {
    const auto g = static_cast<uint32_t>(members_.size());
    members_.emplace_back();
    edges_.emplace_back();
    first_seen_.push_back(UINT64_MAX);
    for (RecordRef r : records) Add(g, r);
    return g;
  }
  void Add(uint32_t g, RecordRef r) {
    members_[g].push_back(r);
    group_of_[Key(r)] = g;
    // anonlink lists groups in the order their records were first entered in its record map.
    first_seen_[g] = std::min(first_seen_[g], next_seen_++);
  }
  uint32_t SeenBetween(uint32_t a, uint32_t b) const {
    auto it = edges_[a].find(b);
    return it == edges_[a].end() ? 0 : it->second;
  }
  void AddSeen(uint32_t a, uint32_t b, uint32_t n) {
    edges_[a][b] += n;
    edges_[b][a] += n;
  }
  // Moves every record of `from` into `into` (appended in order) and sums their seen-pair counts.
  void Merge(uint32_t into, uint32_t from) {
    for (RecordRef r : members_[from]) {
      members_[into].push_back(r);
      group_of_[Key(r)] = into;  // an update of an existing key keeps anonlink's listing position
    }
    first_seen_[into] = std::min(first_seen_[into], first_seen_[from]);
    members_[from].clear();
    edges_[into].erase(from);
    edges_[from].erase(into);
    for (auto [other, n] : edges_[from]) {
      edges_[into][other] += n;
      edges_[other][into] += n;
      edges_[other].erase(from);
    }
    edges_[from].clear();
  }
  std::vector<Group> Result() const {
    std::vector<uint32_t> order;
    for (uint32_t g = 0; g < members_.size(); ++g) {
      if (members_[g].size() > 1) order.push_back(g);
    }
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return first_seen_[a] < first_seen_[b]; });
    std::vector<Group> out;
    out.reserve(order.size());
    for (uint32_t g : order) out.push_back(members_[g]);
    return out;
  }

 private:
  std::unordered_map<uint64_t, uint32_t> group_of_;
  std::vector<Group> members_;
  std::vector<std::unordered_map<uint32_t, uint32_t>> edges_;
  std::vector<uint64_t> first_seen_;
  uint64_t next_seen_ = 0;
};

}  // namespace

void SortAnonlinkOrder(ScoredPairs& pairs) {
  std::vector<size_t> order(pairs.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto key = [&](size_t k) {
    return std::make_tuple(-pairs.similarity[k], pairs.first[k].party, pairs.second[k].party, pairs.first[k].row,
                           pairs.second[k].row);
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return key(a) < key(b); });
  ScoredPairs sorted;
  sorted.similarity.reserve(order.size());
  sorted.first.reserve(order.size());
  sorted.second.reserve(order.size());
  for (size_t k : order) sorted.Add(pairs.similarity[k], pairs.first[k], pairs.second[k]);
  pairs = std::move(sorted);
}

ScoredPairs EnforceTopK(const ScoredPairs& pairs, size_t k) {
  if (k == 0) return pairs;
  // Counter key: (this record, the other party).
  std::map<std::pair<uint64_t, uint32_t>, size_t> seen;
  ScoredPairs out;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const RecordRef a = pairs.first[i], b = pairs.second[i];
    const size_t na = ++seen[{Key(a), b.party}];
    const size_t nb = ++seen[{Key(b), a.party}];
    if (na <= k && nb <= k) out.Add(pairs.similarity[i], a, b);
  }
  return out;
}

std::vector<Group> GreedySolve(const ScoredPairs& pairs) {
  GroupStore store;
  for (size_t i = 0; i < pairs.size(); ++i) {
    RecordRef r0 = pairs.first[i], r1 = pairs.second[i];
    if (r0 == r1) continue;
    uint32_t g0 = store.GroupOf(r0), g1 = store.GroupOf(r1);
    if (g0 != GroupStore::kNone && g1 != GroupStore::kNone) {
      if (g0 == g1) continue;
      // Merge only when every cross pair is a candidate seen by now (this one included): the group's
      // minimum similarity stays as high as possible. A rejected merge is remembered, to be reconsidered
      // once the remaining cross pairs have been seen.
      const uint64_t overlap = uint64_t{store.SeenBetween(g0, g1)} + 1;
      if (overlap >= uint64_t{store.Size(g0)} * store.Size(g1)) {
        if (store.Size(g0) < store.Size(g1)) std::swap(g0, g1);  // extend the bigger group
        store.Merge(g0, g1);
      } else {
        store.AddSeen(g0, g1, 1);
      }
      continue;
    }
    if (g0 == GroupStore::kNone && g1 != GroupStore::kNone) {
      std::swap(r0, r1);
      std::swap(g0, g1);
    }
    if (g0 != GroupStore::kNone) {
      // r0 is in a group, r1 is new: it may join only a group of one.
      if (store.Size(g0) == 1) {
        store.Add(g0, r1);
      } else {
        const uint32_t single = store.NewGroup({r1});
        store.AddSeen(single, g0, 1);
      }
      continue;
    }
    store.NewGroup({r0, r1});
  }
  return store.Result();
}

}  // namespace matchguard::pprl
