#include "src/block/lambda_fold.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <variant>
#include <vector>

#include "src/block/psig_schema.h"
#include "src/encode/clk_file.h"
#include "src/io/csv.h"
#include "src/io/table.h"
#include "src/normalize/text.h"

namespace matchguard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kSecret[] = "0123456789abcdef-secret";

std::string Config(const std::string& extra = "", const std::string& features = R"(["first", "last", "dob"])") {
  return R"({"type": "lambda-fold", "version": 1, "config": {"blocking-features": )" + features +
         R"(, "Lambda": 20, "bf-len": 1024, "num-hash-funcs": 10, "K": 12, "random_state": 7, "input-clks": false)" +
         extra + "}}";
}

LambdaFoldSchema MustParse(const std::string& text) {
  auto schema = ParseBlockingSchema(text, "s.json");
  EXPECT_TRUE(schema.has_value()) << schema.status().message();
  if (!schema.has_value() || !std::holds_alternative<LambdaFoldSchema>(*schema)) return {};
  return std::get<LambdaFoldSchema>(*schema);
}

std::string ParseError(const std::string& text) {
  auto schema = ParseBlockingSchema(text, "s.json");
  EXPECT_FALSE(schema.has_value());
  return schema.has_value() ? "" : schema.status().message();
}

// ---------------------------------------------------------------- CPython's generator

TEST(PythonRandomTest, MatchesTheMt19937ReferenceOutput) {
  // mt19937ar.out, the reference implementation's published test: init_by_array({0x123, 0x234, 0x345, 0x456}).
  PythonRandom random(std::vector<uint32_t>{0x123, 0x234, 0x345, 0x456});
  std::vector<uint32_t> first;
  for (int i = 0; i < 5; ++i) first.push_back(random.Next32());
  EXPECT_THAT(first, ElementsAre(1067595299u, 955945823u, 477289528u, 4107218783u, 4228976476u));
}

TEST(PythonRandomTest, RandBelowRejectsDrawsAboveTheBound) {
  // By hand: n = 2000 has 11 bits, so each try is the top 11 bits of a draw, kept when below 2000.
  PythonRandom reference(123);
  PythonRandom random(123);
  for (int i = 0; i < 200; ++i) {
    uint32_t expected = reference.Next32() >> 21;
    while (expected >= 2000) expected = reference.Next32() >> 21;
    ASSERT_EQ(random.RandBelow(2000), expected);
  }
}

// Values printed by CPython 3.11 (random.seed(s); random.sample(range(n), k)), as blocklib draws positions.
TEST(PythonRandomTest, SampleMatchesCpython) {
  PythonRandom zero(0);
  EXPECT_EQ(PythonRandom(0).Next32(), 3626764237u);  // random.seed(0); random.getrandbits(32)
  EXPECT_THAT(zero.SampleRange(2000, 5), ElementsAre(1729, 788, 1552, 1823, 861));       // the set algorithm
  EXPECT_THAT(zero.SampleRange(2000, 5), ElementsAre(82, 530, 1977, 1047, 995));         // the next group
  EXPECT_THAT(PythonRandom(42).SampleRange(20, 7), ElementsAre(3, 0, 8, 7, 16, 2, 11));  // the pool algorithm
  EXPECT_THAT(PythonRandom((uint64_t{1} << 40) + 5).SampleRange(1000, 3), ElementsAre(516, 529, 275));
  EXPECT_THAT(PythonRandom(7).SampleRange(100, 4), ElementsAre(41, 19, 50, 83));
}

// ---------------------------------------------------------------- Bloom filters and keys

std::set<uint32_t> Bits(const std::vector<uint8_t>& filter) {
  std::set<uint32_t> bits;
  for (uint32_t i = 0; i < filter.size() * 8; ++i) {
    if (filter[i / 8] & (0x80u >> (i % 8))) bits.insert(i);
  }
  return bits;
}

TEST(LambdaFoldFilterTest, MatchesBlocklibFlipBloomFilter) {
  // blocklib's test_record_to_bf: "Xu" + "Li" with bf-len 2000 and 2 hashes sets 6 bits; these are the
  // positions blocklib's flip_bloom_filter gives for "Xu", "uL", "Li" (CPython hashlib).
  EXPECT_EQ(Bits(LambdaFoldFilter("XuLi", 2000, 2)), (std::set<uint32_t>{1106, 1624, 578, 1789, 422, 768}));
  // Bigrams are of code points: "zoë" is "zo" and "oë".
  EXPECT_EQ(Bits(LambdaFoldFilter("zoë", 1024, 3)), (std::set<uint32_t>{368, 454, 923, 193, 403, 810}));
  EXPECT_TRUE(LambdaFoldFilter("x", 1024, 3).empty());
  EXPECT_TRUE(LambdaFoldFilter("", 1024, 3).empty());
}

TEST(LambdaFoldFilterTest, BlockKeyIsGroupThenBits) {
  std::vector<uint8_t> filter(2, 0);
  filter[0] = 0x80;  // bit 0
  filter[1] = 0x01;  // bit 15
  EXPECT_EQ(LambdaFoldBlockKey(3, {15, 1, 0}, filter), "3101");
  EXPECT_EQ(LambdaFoldBlockKey(12, {2}, filter), "120");
}

// ---------------------------------------------------------------- schema

TEST(LambdaFoldSchemaTest, ParsesBlocklibConfig) {
  LambdaFoldSchema s = MustParse(Config(R"(, "record-id-col": 0, "null-sentinel": "NA")"));
  EXPECT_EQ(s.lambda, 20);
  EXPECT_EQ(s.bf_len, 1024);
  EXPECT_EQ(s.num_hash_funcs, 10);
  EXPECT_EQ(s.k, 12);
  EXPECT_EQ(s.random_state, 7u);
  EXPECT_FALSE(s.input_clks);
  EXPECT_EQ(s.null_sentinel, "NA");
  EXPECT_EQ(s.record_id_col, 0);
  EXPECT_EQ(s.blocking_features.size(), 3u);
  EXPECT_EQ(s.sha256.size(), 64u);
  // Python seeds with |random_state|.
  std::string negative = Config();
  negative.replace(negative.find("\"random_state\": 7"), 17, "\"random_state\": -7");
  EXPECT_EQ(MustParse(negative).random_state, 7u);
  EXPECT_NE(MustParse(negative).sha256, s.sha256);
}

TEST(LambdaFoldSchemaTest, ErrorsNameFileAndPath) {
  std::string no_hashes = Config();
  no_hashes.replace(no_hashes.find("\"num-hash-funcs\": 10, "), 22, "");
  EXPECT_EQ(ParseError(no_hashes), "s.json: config: missing required key 'num-hash-funcs'");
  std::string big_k = Config();
  big_k.replace(big_k.find("\"K\": 12"), 7, "\"K\": 2000");
  EXPECT_EQ(ParseError(big_k), "s.json: config.K: expected at most bf-len (1024) bit positions, found 2000");
  std::string zero_lambda = Config();
  zero_lambda.replace(zero_lambda.find("\"Lambda\": 20"), 12, "\"Lambda\": 0");
  EXPECT_EQ(ParseError(zero_lambda), "s.json: config.Lambda: expected an integer from 1 to 1000, found 0");
  std::string fraction = Config();
  fraction.replace(fraction.find("\"random_state\": 7"), 17, "\"random_state\": 0.5");
  EXPECT_EQ(ParseError(fraction), "s.json: config.random_state: expected an integer, found a fraction");
  EXPECT_THAT(ParseError(Config(R"(, "filter": {})")), HasSubstr("s.json: config: unknown key 'filter'"));
  std::string clks = Config();
  clks.replace(clks.find("\"input-clks\": false"), 19, "\"input-clks\": true");
  EXPECT_EQ(ParseError(clks),
            "s.json: config.blocking-features: with input-clks true, expected exactly one feature: the column "
            "holding each record's base64 CLK");
  EXPECT_EQ(ParsePsigSchema(Config(), "s.json").status().message(),
            "s.json: type: expected a p-sig schema here, found lambda-fold");
}

// ---------------------------------------------------------------- blocks

constexpr char kPeople[] =
    "id,first,last,dob\n"
    "p1,Zoë,Smith,1985-03-12\n"
    "p2, ZOE ,SMITH,1985-03-12\n"
    "p3,Zoe,Smyth,1985-03-12\n"
    "p4,Mohammed,Okonkwo-Adeyemi,1942-11-30\n"
    "p5,,,\n"
    "p6,NA,NA,NA\n";

PsigBlocks Build(const std::string& schema_text, const char* csv = kPeople, const char* secret = kSecret) {
  auto table = ParseCsvTable(csv, "people.csv");
  EXPECT_TRUE(table.has_value());
  auto keyer = PsigKeyer::Create(secret);
  auto blocks = BuildLambdaFoldBlocks(*table, MustParse(schema_text), *keyer, {0, "people.csv"});
  EXPECT_TRUE(blocks.has_value()) << blocks.status().message();
  return blocks.has_value() ? *blocks : PsigBlocks{};
}

std::vector<uint64_t> KeysOf(const PsigBlocks& b, size_t r) {
  return {b.keys.begin() + static_cast<ptrdiff_t>(b.offsets[r]),
          b.keys.begin() + static_cast<ptrdiff_t>(b.offsets[r + 1])};
}

size_t Shared(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t n = 0;
  for (size_t g = 0; g < a.size() && g < b.size(); ++g) n += a[g] == b[g];
  return n;
}

TEST(LambdaFoldBlocksTest, KeysAreDeterministicAndFolded) {
  const std::string schema = Config(R"(, "null-sentinel": "na")");
  PsigBlocks a = Build(schema);
  PsigBlocks b = Build(schema);
  EXPECT_EQ(a.keys, b.keys);
  EXPECT_EQ(a.offsets, b.offsets);
  ASSERT_EQ(a.records(), 6u);
  EXPECT_EQ(KeysOf(a, 0).size(), 20u);    // one key per group
  EXPECT_EQ(KeysOf(a, 0), KeysOf(a, 1));  // folding: "Zoë Smith" and " ZOE ,SMITH"
  EXPECT_TRUE(KeysOf(a, 4).empty());      // nothing to hash: no block
  EXPECT_TRUE(KeysOf(a, 5).empty());      // every value is the null sentinel
  EXPECT_EQ(a.records_without_blocks, 2u);
  EXPECT_EQ(a.signatures, 80u);
  EXPECT_EQ(a.ids[3], "p4");
}

TEST(LambdaFoldBlocksTest, OneCharacterApartShareMostGroups) {
  PsigBlocks a = Build(Config());
  const size_t typo = Shared(KeysOf(a, 0), KeysOf(a, 2));       // Smith / Smyth
  const size_t unrelated = Shared(KeysOf(a, 0), KeysOf(a, 3));  // another person entirely
  EXPECT_GE(typo, 10u) << "of 20 groups";
  EXPECT_LE(unrelated, 2u) << "of 20 groups";
}

TEST(LambdaFoldBlocksTest, SecretsAndSeedsChangeTheKeys) {
  PsigBlocks a = Build(Config());
  PsigBlocks other_secret = Build(Config(), kPeople, "another-secret-0123456789");
  ASSERT_EQ(a.keys.size(), other_secret.keys.size());
  for (size_t i = 0; i < a.keys.size(); ++i) EXPECT_NE(a.keys[i], other_secret.keys[i]);
  EXPECT_NE(a.key_check, other_secret.key_check);
  std::string reseeded = Config();
  reseeded.replace(reseeded.find("\"random_state\": 7"), 17, "\"random_state\": 8");
  EXPECT_NE(Build(reseeded).keys, a.keys);
}

TEST(LambdaFoldBlocksTest, InputClksSampleTheGivenFilter) {
  // A CLK column holding exactly the filters built from the folded features gives the same keys.
  std::string csv = "id,clk\n";
  const char* rows[][4] = {{"p1", "Zoë", "Smith", "1985-03-12"}, {"p4", "Mohammed", "Okonkwo-Adeyemi", "1942-11-30"}};
  for (const auto& row : rows) {
    const std::vector<uint8_t> filter =
        LambdaFoldFilter(FoldText(row[1]) + FoldText(row[2]) + FoldText(row[3]), 1024, 10);
    csv += std::string(row[0]) + "," + Base64Encode(filter.data(), filter.size()) + "\n";
  }
  std::string schema = Config("", R"(["clk"])");
  schema.replace(schema.find("\"input-clks\": false"), 19, "\"input-clks\": true");
  PsigBlocks from_clks = Build(schema, csv.c_str());
  PsigBlocks from_values = Build(Config());
  EXPECT_EQ(KeysOf(from_clks, 0), KeysOf(from_values, 0));
  EXPECT_EQ(KeysOf(from_clks, 1), KeysOf(from_values, 3));

  auto table = ParseCsvTable("id,clk\np1,AAAA\np2,not*base64\n", "clks.csv");
  auto keyer = PsigKeyer::Create(kSecret);
  auto bad = BuildLambdaFoldBlocks(*table, MustParse(schema), *keyer, {0, "clks.csv"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.status().message(),
            "clks.csv: line 2: column 'clk': expected a base64 CLK of 1024 bits (config.bf-len with input-clks "
            "true), found 24 bits");
}

TEST(LambdaFoldBlocksTest, MissingFeatureNamesTheCsv) {
  auto table = ParseCsvTable(kPeople, "people.csv");
  auto keyer = PsigKeyer::Create(kSecret);
  auto blocks = BuildLambdaFoldBlocks(*table, MustParse(Config("", R"(["first", "zip"])")), *keyer, {0, "people.csv"});
  ASSERT_FALSE(blocks.has_value());
  EXPECT_EQ(blocks.status().message(), "people.csv: line 1: blocking feature 'zip' is not a column of the header");
}

}  // namespace
}  // namespace matchguard
