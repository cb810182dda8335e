#include "matchguard/evaluate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

class EvaluateTest : public ::testing::Test {
 protected:
  void Write(const std::string& path, std::string_view text) { ASSERT_TRUE(fs_->WriteFileAtomically(path, text).ok()); }

  Evaluation MustEvaluate(EvaluateOptions options) {
    auto result = EvaluateFiles(*fs_, options);
    EXPECT_TRUE(result.has_value()) << result.error().message();
    return result.has_value() ? *result : Evaluation{};
  }

  std::string ErrorOf(EvaluateOptions options) {
    auto result = EvaluateFiles(*fs_, options);
    EXPECT_FALSE(result.has_value());
    if (result.has_value()) return "";
    EXPECT_TRUE(result.error().IsUserError());
    return result.error().message();
  }

  std::unique_ptr<FileSystem> fs_ = NewMemoryFileSystem();
};

TEST_F(EvaluateTest, PairsWithDuplicatesAndExtraColumns) {
  Write("pairs.csv", "left_id,right_id,match_probability\nL1,R1,0.9\nL1,R1,0.9\nL2,R3,0.8\n");
  Write("truth.csv", "left_id,right_id\nL1,R1\nL2,R2\n");
  Evaluation e = MustEvaluate({.pairs_path = "pairs.csv", .truth_path = "truth.csv"});
  EXPECT_EQ(e.shape, "pairs");
  EXPECT_EQ(e.rows_read, 3u);
  EXPECT_EQ(e.predicted_pairs, 2u);
  EXPECT_EQ(e.true_pairs, 2u);
  EXPECT_EQ(e.tp, 1u);
  EXPECT_EQ(e.fp, 1u);
  EXPECT_EQ(e.fn, 1u);
  EXPECT_DOUBLE_EQ(e.precision, 0.5);
  EXPECT_DOUBLE_EQ(e.recall, 0.5);
  EXPECT_DOUBLE_EQ(e.f1, 0.5);
}

TEST_F(EvaluateTest, HeaderNamesAreCaseInsensitiveAndColumnsMayMove) {
  Write("pairs.csv", "score,Right_ID,LEFT_ID\n1,R1,L1\n");
  Write("truth.csv", "left_id,right_id\nL1,R1\n");
  Evaluation e = MustEvaluate({.pairs_path = "pairs.csv", .truth_path = "truth.csv"});
  EXPECT_EQ(e.tp, 1u);
  EXPECT_DOUBLE_EQ(e.f1, 1.0);
}

TEST_F(EvaluateTest, ClustersArePairwise) {
  // Truth {a,b,c} {d,e} {f}; predicted {a,b} {c,d,e} {f}: tp 2 (ab, de), fp 2 (cd, ce), fn 2 (ac, bc).
  Write("pred.csv", "record_id,cluster_id\na,1\nb,1\nc,2\nd,2\ne,2\nf,3\n");
  Write("truth.csv", "record_id,cluster_id\na,x\nb,x\nc,x\nd,y\ne,y\nf,z\n");
  Evaluation e = MustEvaluate({.pairs_path = "pred.csv", .truth_path = "truth.csv"});
  EXPECT_EQ(e.shape, "clusters");
  EXPECT_EQ(e.rows_read, 6u);
  EXPECT_EQ(e.tp, 2u);
  EXPECT_EQ(e.fp, 2u);
  EXPECT_EQ(e.fn, 2u);
  EXPECT_EQ(e.predicted_pairs, 4u);
  EXPECT_EQ(e.true_pairs, 4u);
}

TEST_F(EvaluateTest, MissingColumnsNameTheFileAndTheColumnsFound) {
  Write("pairs.csv", "a,b\n1,2\n");
  Write("truth.csv", "left_id,right_id\nL1,R1\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv", .truth_path = "truth.csv"}),
              HasSubstr("pairs.csv: expected the columns left_id,right_id (pairs) or record_id,cluster_id "
                        "(clusters); found: a,b"));
  Write("pairs.csv", "left_id,right_id\nL1,R1\n");
  Write("truth.csv", "left_id,person\nL1,R1\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv", .truth_path = "truth.csv"}),
              HasSubstr("truth.csv: expected the columns"));
}

TEST_F(EvaluateTest, ShapesMustAgree) {
  Write("pairs.csv", "left_id,right_id\nL1,R1\n");
  Write("truth.csv", "record_id,cluster_id\nL1,1\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv", .truth_path = "truth.csv"}),
              HasSubstr("truth.csv: holds clusters but pairs.csv holds pairs"));
}

TEST_F(EvaluateTest, EmptyIdNamesTheLine) {
  Write("pairs.csv", "left_id,right_id\nL1,R1\nL2,\n");
  Write("truth.csv", "left_id,right_id\nL1,R1\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv", .truth_path = "truth.csv"}),
              HasSubstr("pairs.csv: column 2 (right_id): bad record ids: line 3 has an empty id"));
}

TEST_F(EvaluateTest, RecordInTwoClustersIsAnError) {
  Write("pred.csv", "record_id,cluster_id\na,1\nb,1\na,1\na,2\n");
  Write("truth.csv", "record_id,cluster_id\na,1\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pred.csv", .truth_path = "truth.csv"}),
              HasSubstr("pred.csv: line 5: the record is listed again with another cluster_id (first on line 2)"));
}

TEST_F(EvaluateTest, MissingFileAndBadOptions) {
  Write("pairs.csv", "left_id,right_id\nL1,R1\n");
  auto missing = EvaluateFiles(*fs_, {.pairs_path = "pairs.csv", .truth_path = "nope.csv"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_THAT(missing.error().message(), HasSubstr("nope.csv"));
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv"}), HasSubstr("expected either a TRUTH file or --febrl"));
}

TEST_F(EvaluateTest, FebrlLinkageTruthFromIds) {
  Write("a.csv", "rec_id, given_name\nrec-1-org, ann\nrec-2-org, bob\n");
  Write("b.csv", "rec_id, given_name\nrec-1-dup-0, anne\nrec-3-dup-0, cy\nrec-2-dup-1, rob\n");
  Write("pairs.csv", "left_id,right_id\nrec-1-org,rec-1-dup-0\nrec-2-org,rec-3-dup-0\nrec-9-org,rec-1-dup-0\n");
  Evaluation e = MustEvaluate({.pairs_path = "pairs.csv", .febrl_left = "a.csv", .febrl_right = "b.csv"});
  EXPECT_EQ(e.true_pairs, 2u);
  EXPECT_EQ(e.tp, 1u);
  EXPECT_EQ(e.fp, 2u);
  EXPECT_EQ(e.fn, 1u);
  EXPECT_EQ(e.unknown_ids, 1u);
}

TEST_F(EvaluateTest, FebrlDedupeAcceptsPairsOrClusters) {
  Write("d.csv", "rec_id,x\nrec-1-org,a\nrec-1-dup-0,a\nrec-1-dup-1,a\nrec-2-org,b\nrec-3-org,c\n");
  Write("pairs.csv", "left_id,right_id\nrec-1-dup-0,rec-1-org\nrec-1-org,rec-1-dup-0\nrec-2-org,rec-3-org\n");
  Evaluation p = MustEvaluate({.pairs_path = "pairs.csv", .febrl_left = "d.csv"});
  EXPECT_EQ(p.true_pairs, 3u);
  EXPECT_EQ(p.predicted_pairs, 2u);
  EXPECT_EQ(p.tp, 1u);
  EXPECT_EQ(p.fp, 1u);
  EXPECT_EQ(p.fn, 2u);
  Write("clusters.csv",
        "record_id,cluster_id\nrec-1-org,c1\nrec-1-dup-0,c1\nrec-1-dup-1,c1\nrec-2-org,c2\nrec-3-org,c2\n");
  Evaluation c = MustEvaluate({.pairs_path = "clusters.csv", .febrl_left = "d.csv"});
  EXPECT_EQ(c.shape, "clusters");
  EXPECT_EQ(c.tp, 3u);
  EXPECT_EQ(c.fp, 1u);
  EXPECT_EQ(c.fn, 0u);
}

TEST_F(EvaluateTest, BadFebrlIdNamesTheLine) {
  Write("a.csv", "rec_id,x\nrec-1-org,a\nrecord-2,b\n");
  Write("pairs.csv", "left_id,right_id\nrec-1-org,rec-1-org\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv", .febrl_left = "a.csv"}),
              HasSubstr("a.csv: line 3: rec_id is not a FEBRL id; expected rec-N-org or rec-N-dup-K"));
  Write("a.csv", "id,x\nrec-1-org,a\n");
  EXPECT_THAT(ErrorOf({.pairs_path = "pairs.csv", .febrl_left = "a.csv"}),
              HasSubstr("a.csv: expected a rec_id column of FEBRL ids; found: id,x"));
}

TEST_F(EvaluateTest, JsonHoldsTheScores) {
  Evaluation e{.shape = "pairs", .rows_read = 4, .predicted_pairs = 3, .true_pairs = 4, .tp = 2, .fp = 1, .fn = 2};
  e.precision = 2.0 / 3;
  std::string json = EvaluationToJson(e, false);
  EXPECT_THAT(json, HasSubstr("\"pairs_read\":4"));
  EXPECT_THAT(json, HasSubstr("\"tp\":2,\"fp\":1,\"fn\":2"));
  EXPECT_THAT(json, HasSubstr("\"precision\":0.6666666666666666"));
}

// The real FEBRL 4 files: the perfect answer (rec-N-org with rec-N-dup-0) scores 1, and one pair dropped and
// one wrong pair added move the counts by one each.
TEST(EvaluateFebrlData, Dataset4PerfectAnswer) {
  const std::string dir = std::string(MATCHGUARD_SHARED_DIR) + "/data/febrl/";
  FileSystem& fs = *DefaultFileSystem();
  auto left = ReadCsvTable(fs, dir + "dataset4a.csv");
  ASSERT_TRUE(left.has_value()) << left.error().message();
  std::string pairs = "left_id,right_id\n";
  for (size_t row = 0; row < left->num_rows(); ++row) {
    std::string id(left->Get(0, row));
    std::string person = id.substr(0, id.size() - 3);  // "rec-N-"
    if (row == 0) {
      pairs += id + ",rec-999999-dup-0\n";  // a wrong pair instead of the true one
      continue;
    }
    pairs += id + "," + person + "dup-0\n";
  }
  auto mem = NewMemoryFileSystem();
  ASSERT_TRUE(mem->WriteFileAtomically("pairs.csv", pairs).ok());
  auto a = fs.ReadFile(dir + "dataset4a.csv");
  auto b = fs.ReadFile(dir + "dataset4b.csv");
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_TRUE(mem->WriteFileAtomically("4a.csv", *a).ok());
  ASSERT_TRUE(mem->WriteFileAtomically("4b.csv", *b).ok());
  auto e = EvaluateFiles(*mem, {.pairs_path = "pairs.csv", .febrl_left = "4a.csv", .febrl_right = "4b.csv"});
  ASSERT_TRUE(e.has_value()) << e.error().message();
  EXPECT_EQ(e->true_pairs, 5000u);
  EXPECT_EQ(e->tp, 4999u);
  EXPECT_EQ(e->fp, 1u);
  EXPECT_EQ(e->fn, 1u);
  EXPECT_EQ(e->unknown_ids, 1u);
}

}  // namespace
}  // namespace matchguard
