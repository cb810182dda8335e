// The Merkle tree of RFC 9162 section 2.1 (the same as RFC 6962): leaf hash SHA-256(0x00 || entry), node
// hash SHA-256(0x01 || left || right), trees of any size split at the largest power of two below the size,
// inclusion proofs (audit paths) and consistency proofs, and the RFC's verification algorithms.
//
// MerkleTree keeps every complete perfect subtree's hash, so roots of any earlier size and proofs cost
// O(log^2 n) hashes after O(n) appends; that is what lets `audit verify` check every checkpoint of a long
// log in one pass.
//
// Thread-safety: const methods may run concurrently; Append needs exclusive access.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "src/audit/crypto.h"

namespace matchguard {

Hash LeafHash(std::string_view entry);
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of the empty string.
Hash EmptyTreeRoot();

class MerkleTree {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  const Hash& leaf(uint64_t index) const { return levels_[0][index]; }

  // Root of the first `tree_size` leaves. REQUIRES: tree_size <= size().
  Hash RootAt(uint64_t tree_size) const;
  Hash Root() const { return RootAt(size()); }
  // Audit path for leaf `index` in the tree of the first `tree_size` leaves (RFC 9162 2.1.3.1).
  // REQUIRES: index < tree_size <= size().
  std::vector<Hash> InclusionProof(uint64_t index, uint64_t tree_size) const;
  // Proof that the tree of size `old_size` is a prefix of the tree of size `new_size` (RFC 9162 2.1.4.1);
  // empty when old_size is 0 or equal to new_size. REQUIRES: old_size <= new_size <= size().
  std::vector<Hash> ConsistencyProof(uint64_t old_size, uint64_t new_size) const;

 private:
  Hash Subtree(uint64_t start, uint64_t length) const;
  void Path(uint64_t index, uint64_t start, uint64_t length, std::vector<Hash>* proof) const;
  void SubProof(uint64_t old_size, uint64_t start, uint64_t length, bool complete, std::vector<Hash>* proof) const;

  // levels_[h][i]: hash of the perfect subtree over leaves [i * 2^h, (i + 1) * 2^h).
  std::vector<std::vector<Hash>> levels_;
};

// RFC 9162 2.1.3.2: does `proof` place `leaf_hash` at `index` of the tree of `tree_size` with `root`?
bool VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size, const std::vector<Hash>& proof,
                     const Hash& root);
// RFC 9162 2.1.4.2: is the tree (old_size, old_root) a prefix of (new_size, new_root)?
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root, const Hash& new_root,
                       const std::vector<Hash>& proof);

}  // namespace matchguard
