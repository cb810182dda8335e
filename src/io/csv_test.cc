#include "src/io/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "matchguard/limits.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

Table MustParse(std::string_view text, CsvOptions options = {}) {
  auto table = ParseCsvTable(text, "t.csv", options);
  EXPECT_TRUE(table.has_value()) << table.error().message();
  return table.has_value() ? std::move(table).value() : Table();
}

std::string ParseError(std::string_view text, CsvOptions options = {}) {
  auto table = ParseCsvTable(text, "t.csv", options);
  EXPECT_FALSE(table.has_value());
  return table.has_value() ? "" : table.error().message();
}

TEST(CsvTest, QuotedFieldsHoldDelimitersQuotesAndNewlines) {
  Table t = MustParse("id,name,note\n1,\"Smith, John\",\"say \"\"hi\"\"\"\n2,\"multi\nline\",x\n");
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.Get(1, 0), "Smith, John");
  EXPECT_EQ(t.Get(2, 0), "say \"hi\"");
  EXPECT_EQ(t.Get(1, 1), "multi\nline");
  EXPECT_EQ(t.source_line(1), 3u);
}

TEST(CsvTest, SeveralEscapedFieldsInOneRecordStayIntact) {
  // Found by fuzzing: the buffers of earlier unescaped fields must survive later ones being added.
  std::string header = "a";
  std::string row = "\"q\"\"0\"";
  for (int i = 1; i < 40; ++i) {
    header += ",c" + std::to_string(i);
    row += ",\"q\"\"" + std::to_string(i) + "\"";
  }
  Table t = MustParse(header + "\n" + row + "\n");
  ASSERT_EQ(t.num_rows(), 1u);
  for (size_t c = 0; c < 40; ++c) EXPECT_EQ(t.Get(c, 0), "q\"" + std::to_string(c));
}

TEST(CsvTest, CrlfBomAndMissingFinalNewline) {
  Table t = MustParse("\xEF\xBB\xBFid,name\r\n1,ann\r\n2,bob");
  EXPECT_EQ(t.column_names()[0], "id");
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.Get(1, 0), "ann");
  EXPECT_EQ(t.Get(1, 1), "bob");
}

TEST(CsvTest, TabAndPipeDelimiters) {
  CsvOptions tab;
  tab.delimiter = '\t';
  EXPECT_EQ(MustParse("a\tb\n1,2\t3\n", tab).Get(0, 0), "1,2");
  CsvOptions pipe;
  pipe.delimiter = '|';
  EXPECT_EQ(MustParse("a|b\n1|\"x|y\"\n", pipe).Get(1, 0), "x|y");
}

TEST(CsvTest, TrimsSpacesAroundUnquotedFieldsOnly) {
  Table t = MustParse("a, b\n x , \" y \"\n");
  EXPECT_EQ(t.column_names()[1], "b");
  EXPECT_EQ(t.Get(0, 0), "x");
  EXPECT_EQ(t.Get(1, 0), " y ");
}

TEST(CsvTest, EmptyFieldsAndBlankLines) {
  Table t = MustParse("a,b,c\n,,\n\n1,,\n");
  ASSERT_EQ(t.num_rows(), 2u);
  EXPECT_TRUE(t.column(0).IsEmpty(0));
  EXPECT_EQ(t.Get(0, 1), "1");
  EXPECT_EQ(t.source_line(1), 4u);
}

TEST(CsvTest, KeepsUtf8) {
  Table t = MustParse("name\nJosé Müller\n");
  EXPECT_EQ(t.Get(0, 0), "José Müller");
}

TEST(CsvTest, EmptyFileIsAnError) {
  EXPECT_THAT(ParseError(""), HasSubstr("t.csv: the file is empty"));
  EXPECT_THAT(ParseError("\xEF\xBB\xBF"), HasSubstr("empty"));
}

TEST(CsvTest, MissingHeaderIsAnError) {
  EXPECT_THAT(ParseError("\n1,2\n"), HasSubstr("line 1: the first line is blank; expected a header row"));
  EXPECT_THAT(ParseError("a,,c\n"), HasSubstr("column 2: the header has an empty column name"));
  EXPECT_THAT(ParseError("a,b,a\n"), HasSubstr("column 3: the header names column 'a' twice"));
}

TEST(CsvTest, RaggedRowNamesLineAndCounts) {
  EXPECT_THAT(ParseError("a,b,c\n1,2,3\n4,5\n"),
              HasSubstr("t.csv: line 3: the row has 2 fields, expected 3 as in the header"));
  EXPECT_THAT(ParseError("a,b\n1,2,3\n"), HasSubstr("line 2: the row has 3 fields, expected 2"));
}

TEST(CsvTest, UnterminatedQuoteNamesWhereItOpened) {
  EXPECT_THAT(ParseError("a,b\n1,2\n3,\"open\nmore\n"),
              HasSubstr("t.csv: line 3, column 2 (b): a quoted field is not closed"));
}

TEST(CsvTest, GarbageAfterClosingQuote) {
  EXPECT_THAT(ParseError("a,b\n\"x\"y,2\n"), HasSubstr("line 2, column 1 (a): unexpected character after a closing quote"));
}

TEST(CsvTest, InvalidUtf8NamesLineColumnAndByte) {
  EXPECT_THAT(ParseError("id,name\n1,ok\n2,bad\xFF\n"),
              HasSubstr("t.csv: line 3, column 2 (name): invalid UTF-8 (byte 0xFF at offset 3"));
  // An overlong encoding of '/' and a lone continuation byte.
  EXPECT_THAT(ParseError("a\n\xC0\xAF\n"), HasSubstr("invalid UTF-8"));
  EXPECT_THAT(ParseError("a\n\"\x80\"\n"), HasSubstr("invalid UTF-8"));
}

TEST(CsvTest, AppendCsvFieldRoundTrips) {
  std::string out = "v\n";
  for (std::string_view v : {"plain", "a,b", "q\"q", "line\nbreak"}) {
    std::string line;
    AppendCsvField(&line, v);
    out += line + "\n";
  }
  Table t = MustParse(out);
  ASSERT_EQ(t.num_rows(), 4u);
  EXPECT_EQ(t.Get(0, 1), "a,b");
  EXPECT_EQ(t.Get(0, 2), "q\"q");
  EXPECT_EQ(t.Get(0, 3), "line\nbreak");
}

TEST(CsvTest, ReadsThroughFileSystemAndReportsMissingFile) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("in.csv", "a\n1\n").ok());
  auto table = ReadCsvTable(*fs, "in.csv");
  ASSERT_TRUE(table.has_value());
  EXPECT_EQ(table->source_name(), "in.csv");
  auto missing = ReadCsvTable(*fs, "nope.csv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("nope.csv"));
}

TEST(CsvTest, ReadsFebrlWithLeadingSpaces) {
  auto table = ReadCsvTable(*DefaultFileSystem(), std::string(MATCHGUARD_SHARED_DIR) + "/data/febrl/dataset4a.csv");
  ASSERT_TRUE(table.has_value()) << table.error().message();
  EXPECT_EQ(table->num_rows(), 5000u);
  EXPECT_EQ(table->column_names()[1], "given_name");
  EXPECT_EQ(table->Get(0, 0), "rec-1070-org");
  EXPECT_EQ(table->Get(1, 0), "michaela");
}

// Sets the process's input limits for one test and restores them.
class ScopedLimits {
 public:
  explicit ScopedLimits(InputLimits limits) : saved_(CurrentInputLimits()) { SetInputLimits(limits); }
  ~ScopedLimits() { SetInputLimits(saved_); }

 private:
  InputLimits saved_;
};

TEST(CsvTest, AFieldLongerThanTheLimitIsRefusedNamingTheLimit) {
  InputLimits limits;
  limits.max_field_bytes = 8;
  ScopedLimits scoped(limits);
  EXPECT_TRUE(ParseCsvTable("id,name\n1,12345678\n", "t.csv").has_value());
  EXPECT_THAT(ParseError("id,name\n1,123456789\n"),
              HasSubstr("t.csv: line 2, column 2 (name): the field is longer than the limit of 8 bytes per field; "
                        "raise it with --max-field-kb"));
  EXPECT_THAT(ParseError("id,name\n1,\"123456789\"\n"), HasSubstr("limit of 8 bytes"));
}

TEST(CsvTest, ARowWiderThanTheLimitIsRefused) {
  InputLimits limits;
  limits.max_columns = 3;
  ScopedLimits scoped(limits);
  EXPECT_THAT(ParseError("a,b,c,d\n1,2,3,4\n"), HasSubstr("t.csv: line 1: more than 3 fields in a row, the limit"));
}

TEST(CsvTest, ANulByteIsBinaryData) {
  EXPECT_THAT(ParseError(std::string_view("id,name\n1,a\0b\n", 14)),
              HasSubstr("t.csv: line 2, column 2 (name): a NUL byte: this is binary data"));
}

}  // namespace
}  // namespace matchguard
