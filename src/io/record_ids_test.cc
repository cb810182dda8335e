#include "src/io/record_ids.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Status Check(std::string_view csv) {
  auto table = ParseCsvTable(csv, "people.csv");
  EXPECT_TRUE(table.has_value());
  return table.has_value() ? CheckRecordIds(*table, 0) : Status::Internal("unparsed");
}

TEST(RecordIdsTest, UniquePrintableIdsPass) {
  EXPECT_TRUE(Check("record_id,name\nE1,ann\nE2,bob\nrec-1-org,cy\n").ok());
}

TEST(RecordIdsTest, ARepeatedIdNamesBothLinesAndTheRule) {
  Status s = Check("record_id,name\nE1,Michael\nE2,Ann\nE1,Priya\nE2,x\n");
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("people.csv: column 1 (record_id)"));
  EXPECT_THAT(s.message(), HasSubstr("line 4 repeats the id of line 2 (2 in all); ids are keys and must be unique"));
  EXPECT_THAT(s.message(), Not(HasSubstr("E1")));  // the id itself may identify someone
}

TEST(RecordIdsTest, EmptyControlAndFormulaIdsAreRefusedByLine) {
  Status s = Check("id,name\n,a\n\"E\nX\",b\n\"E\x1b[2J\",c\n=HYPERLINK(1),d\n@SUM(1),e\n");
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("line 2 has an empty id; every record needs an id"));
  EXPECT_THAT(s.message(), HasSubstr("line 3 has an id holding a control character (2 in all)"));
  EXPECT_THAT(s.message(), HasSubstr("line 6 has an id starting with =, +, - or @ (2 in all)"));
  EXPECT_THAT(s.message(), HasSubstr("spreadsheet would run as a formula"));
  EXPECT_THAT(s.message(), Not(HasSubstr("HYPERLINK")));
}

TEST(RecordIdsTest, NulInsideAnIdIsAControlCharacter) {
  // CSV refuses NUL as binary data before ids are judged; ids from other readers still meet the rule.
  EXPECT_EQ(FindIdDefect(std::string_view("A\0B", 3)), IdDefect::kControl);
  RecordIdAudit audit;
  audit.Add(std::string_view("A\0B", 3), 7);
  EXPECT_THAT(audit.ToStatus("x.clk", "column 1 (id)").message(),
              HasSubstr("x.clk: column 1 (id): bad record ids: line 7 has an id holding a control character"));
}

TEST(RecordIdsTest, AuditCountsEveryDefectForInspect) {
  auto table = ParseCsvTable("id\nA\nA\nA\n\n\"\"\n+1\n", "p.csv");
  ASSERT_TRUE(table.has_value());
  RecordIdAudit audit = AuditRecordIds(*table, 0);
  EXPECT_EQ(audit.duplicate.count, 2u);
  EXPECT_EQ(audit.duplicate.first_line, 3u);
  EXPECT_EQ(audit.duplicate.earlier_line, 2u);
  EXPECT_EQ(audit.empty.count, 1u);
  EXPECT_EQ(audit.formula.count, 1u);
  EXPECT_FALSE(audit.clean());
}

TEST(RecordIdsTest, ReferencesMayRepeatButMustBePrintable) {
  auto table = ParseCsvTable("left_id,right_id\nE1,P1\nE1,P2\n\"E\x07\",P3\n", "pairs.csv");
  ASSERT_TRUE(table.has_value());
  Status s = CheckRecordIds(*table, 0, IdRole::kReference);
  EXPECT_THAT(s.message(), HasSubstr("pairs.csv: column 1 (left_id): bad record ids: line 4 has an id holding a "
                                     "control character"));
  EXPECT_THAT(s.message(), Not(HasSubstr("repeats")));
  EXPECT_TRUE(CheckRecordIds(*table, 1, IdRole::kReference).ok());
}

}  // namespace
}  // namespace matchguard
