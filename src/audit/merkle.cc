#include "src/audit/merkle.h"

#include <bit>

namespace matchguard {
namespace {

// The split point k of RFC 9162: the largest power of two smaller than n. REQUIRES: n >= 2.
uint64_t Split(uint64_t n) { return std::bit_floor(n - 1); }

// The step both RFC 9162 verifiers share: right-shift fn and sn together until fn is odd or zero.
void ShiftWhileEven(uint64_t* fn, uint64_t* sn) {
  while ((*fn & 1) == 0 && *fn != 0) {
    *fn >>= 1;
    *sn >>= 1;
  }
}

}  // namespace

Hash LeafHash(std::string_view entry) { return Sha256Parts({std::string_view("\x00", 1), entry}); }

Hash NodeHash(const Hash& left, const Hash& right) {
  return Sha256Parts({std::string_view("\x01", 1), HashBytes(left), HashBytes(right)});
}

Hash EmptyTreeRoot() { return Sha256(""); }

void MerkleTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  for (size_t h = 0; levels_[h].size() % 2 == 0; ++h) {
    if (h + 1 == levels_.size()) levels_.emplace_back();
    const auto& level = levels_[h];
    levels_[h + 1].push_back(NodeHash(level[level.size() - 2], level.back()));
  }
}

Hash MerkleTree::Subtree(uint64_t start, uint64_t length) const {
  if (std::has_single_bit(length) && start % length == 0) {
    return levels_[std::countr_zero(length)][start / length];
  }
  const uint64_t k = Split(length);
  return NodeHash(Subtree(start, k), Subtree(start + k, length - k));
}

Hash MerkleTree::RootAt(uint64_t tree_size) const { return tree_size == 0 ? EmptyTreeRoot() : Subtree(0, tree_size); }

void MerkleTree::Path(uint64_t index, uint64_t start, uint64_t length, std::vector<Hash>* proof) const {
  if (length <= 1) return;
  const uint64_t k = Split(length);
  if (index < k) {
    Path(index, start, k, proof);
    proof->push_back(Subtree(start + k, length - k));
  } else {
    Path(index - k, start + k, length - k, proof);
    proof->push_back(Subtree(start, k));
  }
}

std::vector<Hash> MerkleTree::InclusionProof(uint64_t index, uint64_t tree_size) const {
  std::vector<Hash> proof;
  Path(index, 0, tree_size, &proof);
  return proof;
}

void MerkleTree::SubProof(uint64_t old_size, uint64_t start, uint64_t length, bool complete,
                          std::vector<Hash>* proof) const {
  if (old_size == length) {
    if (!complete) proof->push_back(Subtree(start, length));
    return;
  }
  const uint64_t k = Split(length);
  if (old_size <= k) {
    SubProof(old_size, start, k, complete, proof);
    proof->push_back(Subtree(start + k, length - k));
  } else {
    SubProof(old_size - k, start + k, length - k, false, proof);
    proof->push_back(Subtree(start, k));
  }
}

std::vector<Hash> MerkleTree::ConsistencyProof(uint64_t old_size, uint64_t new_size) const {
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) return proof;
  SubProof(old_size, 0, new_size, true, &proof);
  return proof;
}

bool VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size, const std::vector<Hash>& proof,
                     const Hash& root) {
  if (index >= tree_size) return false;
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      ShiftWhileEven(&fn, &sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       const std::vector<Hash>& proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty() && old_root == EmptyTreeRoot();
  std::vector<Hash> path;
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  if (path.empty()) return false;
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftWhileEven(&fn, &sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

}  // namespace matchguard
