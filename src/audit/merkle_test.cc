#include "src/audit/merkle.h"

#include <gtest/gtest.h>

namespace matchguard {
namespace {

std::string Bytes(std::string_view hex) { return *FromHex(hex, "test"); }

// The RFC 6962 reference leaves (certificate-transparency test data) and the root of each prefix.
const char* const kLeaves[] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const char* const kRoots[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                              "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                              "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                              "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                              "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                              "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                              "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                              "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                              "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

MerkleTree ReferenceTree() {
  MerkleTree tree;
  for (const char* leaf : kLeaves) tree.Append(LeafHash(Bytes(leaf)));
  return tree;
}

std::vector<std::string> Hexes(const std::vector<Hash>& hashes) {
  std::vector<std::string> out;
  for (const Hash& h : hashes) out.push_back(ToHex(h));
  return out;
}

TEST(MerkleTest, RootsMatchRfc6962ReferenceValues) {
  MerkleTree tree = ReferenceTree();
  for (uint64_t n = 0; n <= 8; ++n) EXPECT_EQ(ToHex(tree.RootAt(n)), kRoots[n]) << "size " << n;
  EXPECT_EQ(ToHex(EmptyTreeRoot()), kRoots[0]);
}

TEST(MerkleTest, SmallTreesComputedByHand) {
  const Hash a = Sha256(std::string("\x00", 1) + "a");
  const Hash b = Sha256(std::string("\x00", 1) + "b");
  const Hash c = Sha256(std::string("\x00", 1) + "c");
  auto node = [](const Hash& l, const Hash& r) {
    return Sha256(std::string("\x01", 1) + std::string(HashBytes(l)) + std::string(HashBytes(r)));
  };
  MerkleTree tree;
  for (const char* e : {"a", "b", "c"}) tree.Append(LeafHash(e));
  EXPECT_EQ(tree.RootAt(1), a);
  EXPECT_EQ(tree.RootAt(2), node(a, b));
  // Three leaves split at 2: the lone third leaf is promoted, not paired with itself.
  EXPECT_EQ(tree.RootAt(3), node(node(a, b), c));
}

TEST(MerkleTest, InclusionProofsMatchReferenceAuditPaths) {
  MerkleTree tree = ReferenceTree();
  EXPECT_EQ(Hexes(tree.InclusionProof(0, 8)),
            (std::vector<std::string>{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                                      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
  EXPECT_EQ(Hexes(tree.InclusionProof(5, 8)),
            (std::vector<std::string>{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                                      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                                      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
  EXPECT_TRUE(tree.InclusionProof(0, 1).empty());
}

TEST(MerkleTest, ConsistencyProofsMatchReferenceValues) {
  MerkleTree tree = ReferenceTree();
  EXPECT_EQ(Hexes(tree.ConsistencyProof(2, 5)),
            (std::vector<std::string>{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
  EXPECT_EQ(Hexes(tree.ConsistencyProof(2, 8)),
            (std::vector<std::string>{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
}

TEST(MerkleTest, EveryProofVerifiesAndWrongOnesDoNot) {
  MerkleTree tree;
  for (int i = 0; i < 37; ++i) tree.Append(LeafHash("entry " + std::to_string(i)));
  for (uint64_t n = 1; n <= tree.size(); ++n) {
    const Hash root = tree.RootAt(n);
    for (uint64_t i = 0; i < n; ++i) {
      const auto proof = tree.InclusionProof(i, n);
      ASSERT_TRUE(VerifyInclusion(tree.leaf(i), i, n, proof, root)) << i << " in " << n;
      EXPECT_FALSE(VerifyInclusion(tree.leaf(i), i + 1, n, proof, root));
      EXPECT_FALSE(VerifyInclusion(LeafHash("other"), i, n, proof, root));
      if (!proof.empty()) {
        auto bad = proof;
        bad[0][0] ^= 1;
        EXPECT_FALSE(VerifyInclusion(tree.leaf(i), i, n, bad, root));
      }
    }
    for (uint64_t m = 0; m <= n; ++m) {
      const auto proof = tree.ConsistencyProof(m, n);
      ASSERT_TRUE(VerifyConsistency(m, n, tree.RootAt(m), root, proof)) << m << " to " << n;
      if (m > 0 && m < n) {
        EXPECT_FALSE(VerifyConsistency(m, n, tree.RootAt(m - 1), root, proof));
        EXPECT_FALSE(VerifyConsistency(m, n, tree.RootAt(m), tree.RootAt(n - 1), proof));
      }
    }
  }
}

}  // namespace
}  // namespace matchguard
