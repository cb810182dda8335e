#include "src/encode/clk_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

ClkSet MakeSet(uint32_t bits, size_t count) {
  ClkSet set;
  set.Resize(bits, count);
  for (size_t i = 0; i < count; ++i) {
    for (size_t b = 0; b < set.row_bytes(); ++b) set.mutable_row(i)[b] = static_cast<uint8_t>(i * 31 + b * 7);
    set.ids.push_back("rec-" + std::to_string(i));
  }
  return set;
}

void ExpectSameBits(const ClkSet& a, const ClkSet& b) {
  ASSERT_EQ(a.bits, b.bits);
  ASSERT_EQ(a.count, b.count);
  for (size_t i = 0; i < a.count; ++i) {
    EXPECT_EQ(0, std::memcmp(a.row(i), b.row(i), a.row_bytes())) << "row " << i;
  }
}

std::string ParseError(std::string_view data) {
  auto set = ParseClkData(data, "in.clk");
  EXPECT_FALSE(set.has_value());
  return set.has_value() ? "" : set.error().message();
}

TEST(ClkFileTest, RowsArePaddedTo64BytesAndAligned) {
  ClkSet set = MakeSet(1024, 3);
  EXPECT_EQ(set.stride_bytes, 128u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(set.data.data()) % 64, 0u);
  ClkSet odd = MakeSet(8, 2);
  EXPECT_EQ(odd.stride_bytes, 64u);
  EXPECT_EQ(odd.row(1)[1], 0) << "padding is zero";
  EXPECT_EQ(ClkStrideBytes(520), 128u);
}

TEST(ClkFileTest, BitOrderIsBigEndianWithinBytes) {
  ClkSet set;
  set.Resize(16, 1);
  set.mutable_row(0)[0] = 0x80;
  set.mutable_row(0)[1] = 0x01;
  EXPECT_TRUE(set.GetBit(0, 0));
  EXPECT_FALSE(set.GetBit(0, 1));
  EXPECT_TRUE(set.GetBit(0, 15));
}

TEST(ClkFileTest, Base64GoldenValuesAndPadding) {
  const uint8_t bytes[] = {'f', 'o', 'o', 'b', 'a', 'r'};
  EXPECT_EQ(Base64Encode(bytes, 0), "");
  EXPECT_EQ(Base64Encode(bytes, 1), "Zg==");
  EXPECT_EQ(Base64Encode(bytes, 2), "Zm8=");
  EXPECT_EQ(Base64Encode(bytes, 6), "Zm9vYmFy");
  std::vector<uint8_t> out;
  ASSERT_TRUE(Base64Decode("Zg==", &out));
  EXPECT_EQ(out, std::vector<uint8_t>({'f'}));
  ASSERT_TRUE(Base64Decode("Zm8=", &out));
  EXPECT_EQ(out, std::vector<uint8_t>({'f', 'o'}));
  ASSERT_TRUE(Base64Decode("Zm9vYmFy", &out));
  EXPECT_EQ(out.size(), 6u);
  EXPECT_FALSE(Base64Decode("Zm9", &out));
  EXPECT_FALSE(Base64Decode("Zm=v", &out));
  EXPECT_FALSE(Base64Decode("Z===", &out));
  EXPECT_FALSE(Base64Decode("Zm9v YmFy", &out));
  EXPECT_FALSE(Base64Decode("Zm-_", &out));
}

TEST(ClkFileTest, EveryFormatRoundTrips) {
  ClkSet set = MakeSet(1024, 5);
  for (ClkFormat format : {ClkFormat::kClkhashJson, ClkFormat::kCsv, ClkFormat::kBinary}) {
    auto fs = NewMemoryFileSystem();
    ASSERT_TRUE(WriteClkFile(*fs, "out", set, format).ok());
    auto back = ReadClkFile(*fs, "out");
    ASSERT_TRUE(back.has_value()) << ClkFormatName(format) << ": " << back.error().message();
    ExpectSameBits(set, *back);
    if (format == ClkFormat::kCsv) {
      EXPECT_EQ(back->ids, set.ids);
    } else {
      EXPECT_TRUE(back->ids.empty());
    }
  }
}

TEST(ClkFileTest, BinaryLayoutIsExact) {
  ClkSet set;
  set.Resize(16, 2);
  set.mutable_row(0)[0] = 0xAB;
  set.mutable_row(1)[1] = 0xCD;
  std::string bytes = SerializeClkSet(set, ClkFormat::kBinary);
  std::string expected("MGCLK001\x10\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0\xAB\0\0\xCD", 28);
  EXPECT_EQ(bytes, expected);
}

TEST(ClkFileTest, ClkhashJsonLayout) {
  ClkSet set;
  set.Resize(16, 2);
  set.mutable_row(0)[0] = 'f';
  set.mutable_row(0)[1] = 'o';
  EXPECT_EQ(SerializeClkSet(set, ClkFormat::kClkhashJson), "{\"clks\": [\"Zm8=\", \"AAA=\"]}\n");
  set.ids = {"a,b", "c"};
  EXPECT_EQ(SerializeClkSet(set, ClkFormat::kCsv), "id,clk\n\"a,b\",Zm8=\nc,AAA=\n");
}

TEST(ClkFileTest, ReadsTheSharedClkhashVectorsAsCsv) {
  // expected.csv has header row,clk; rewrite it as id,clk and read it back.
  auto text = DefaultFileSystem()->ReadFile(std::string(MATCHGUARD_SHARED_DIR) +
                                            "/data/vectors/clkhash/febrl-doublehash/expected.csv");
  ASSERT_TRUE(text.has_value()) << "shared vectors missing";
  std::string data = *text;
  ASSERT_EQ(data.substr(0, 7), "row,clk");
  data.replace(0, 7, "id,clk");
  auto set = ParseClkData(data, "expected.csv");
  ASSERT_TRUE(set.has_value()) << set.error().message();
  EXPECT_EQ(set->bits, 1024u);
  EXPECT_EQ(set->count, 300u);
  EXPECT_EQ(set->ids[299], "299");
  EXPECT_EQ(SerializeClkSet(*set, ClkFormat::kCsv), data) << "re-encoding gives the same text";
}

TEST(ClkFileTest, CorruptBase64NamesTheRow) {
  EXPECT_THAT(ParseError("{\"clks\": [\"Zm8=\", \"Zm8!\"]}"),
              AllOf(HasSubstr("in.clk"), HasSubstr("clks[1]"), HasSubstr("corrupt base64")));
  EXPECT_THAT(ParseError("id,clk\na,Zm8=\nb,Zm8\n"),
              AllOf(HasSubstr("in.clk"), HasSubstr("line 3"), HasSubstr("encoding 1"), HasSubstr("corrupt base64")));
}

TEST(ClkFileTest, DifferentLengthsNameBothRowsAndLengths) {
  EXPECT_THAT(ParseError("id,clk\na,Zm8=\nb,Zm9vYmFy\n"),
              AllOf(HasSubstr("in.clk"), HasSubstr("different lengths"), HasSubstr("line 3"),
                    HasSubstr("48 bits"), HasSubstr("line 2"), HasSubstr("16 bits")));
}

TEST(ClkFileTest, TruncatedBinarySaysExpectedAndActualBytes) {
  ClkSet set = MakeSet(64, 3);
  std::string bytes = SerializeClkSet(set, ClkFormat::kBinary);
  EXPECT_EQ(bytes.size(), 48u);
  EXPECT_THAT(ParseError(bytes.substr(0, 45)),
              AllOf(HasSubstr("in.clk"), HasSubstr("truncated"), HasSubstr("expected 48 bytes, found 45")));
  EXPECT_THAT(ParseError(bytes.substr(0, 12)), AllOf(HasSubstr("truncated"), HasSubstr("found 12 bytes")));
  EXPECT_THAT(ParseError(bytes + "x"), HasSubstr("trailing bytes"));
  std::string huge = bytes.substr(0, 24);
  for (int i = 16; i < 24; ++i) huge[i] = '\xff';
  EXPECT_THAT(ParseError(huge), HasSubstr("truncated"));
  std::string odd_bits = bytes;
  odd_bits[8] = 7;
  EXPECT_THAT(ParseError(odd_bits), HasSubstr("multiple of 8"));
}

TEST(ClkFileTest, UnknownFormatAndBadJson) {
  EXPECT_THAT(ParseError("hello\n"), AllOf(HasSubstr("in.clk"), HasSubstr("unknown encodings format")));
  EXPECT_THAT(ParseError("{\"clks\": "), AllOf(HasSubstr("in.clk"), HasSubstr("not valid JSON")));
  EXPECT_THAT(ParseError("{\"other\": []}"), HasSubstr("\"clks\" array"));
  EXPECT_THAT(ParseError("{\"clks\": [1]}"), HasSubstr("clks[0] is not a string"));
  auto fs = NewMemoryFileSystem();
  EXPECT_FALSE(ReadClkFile(*fs, "missing.json").has_value());
}

TEST(ClkFileTest, FailedWriteLeavesNoFile) {
  auto fs = NewMemoryFileSystem(/*fail_writes_after_bytes=*/10);
  EXPECT_FALSE(WriteClkFile(*fs, "out.bin", MakeSet(1024, 4), ClkFormat::kBinary).ok());
  EXPECT_FALSE(fs->Exists("out.bin"));
}

TEST(ClkFileTest, ParseFormatNames) {
  EXPECT_EQ(*ParseClkFormat("clkhash-json"), ClkFormat::kClkhashJson);
  EXPECT_EQ(*ParseClkFormat("csv"), ClkFormat::kCsv);
  EXPECT_EQ(*ParseClkFormat("binary"), ClkFormat::kBinary);
  EXPECT_FALSE(ParseClkFormat("xml").has_value());
}

}  // namespace
}  // namespace matchguard
