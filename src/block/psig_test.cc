#include "src/block/psig.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "src/block/psig_schema.h"
#include "src/io/csv.h"
#include "src/io/table.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "0123456789abcdef-secret";

// blocklib's documented example (docs/blocking-schema.rst), with names instead of indices.
const std::string kExampleSpecs = R"([[{"type": "characters-at", "config": {"pos": [0]}, "feature": "first"},
       {"type": "characters-at", "config": {"pos": [0]}, "feature": "last"}],
      [{"type": "metaphone", "feature": "first"}, {"type": "metaphone", "feature": "last"}]])";

std::string Schema(const std::string& specs = kExampleSpecs,
                   const std::string& filter = R"({"type": "ratio", "max": 0.5, "min": 0.0})") {
  return R"({"type": "p-sig", "version": 1, "config": {"blocking-features": ["first", "last"], "filter": )" + filter +
         R"(, "blocking-filter": {"type": "bloom filter", "number-hash-functions": 4, "bf-len": 2048},
    "signatureSpecs": )" +
         specs + "}}";
}

PsigSchema MustParse(const std::string& text) {
  auto schema = ParsePsigSchema(text, "s.json");
  EXPECT_TRUE(schema.has_value()) << schema.status().message();
  return schema.has_value() ? *schema : PsigSchema{};
}

std::string ParseError(const std::string& text) {
  auto schema = ParsePsigSchema(text, "s.json");
  EXPECT_FALSE(schema.has_value());
  return schema.has_value() ? "" : schema.status().message();
}

TEST(PsigSchemaTest, ParsesBlocklibExample) {
  PsigSchema s = MustParse(Schema());
  ASSERT_EQ(s.strategies.size(), 2u);
  EXPECT_EQ(s.strategies[0][1].strategy, PsigStrategy::kCharactersAt);
  EXPECT_EQ(s.strategies[0][1].feature.name, "last");
  EXPECT_EQ(s.strategies[1][0].strategy, PsigStrategy::kMetaphone);
  EXPECT_DOUBLE_EQ(s.filter.max, 0.5);
  EXPECT_EQ(s.sha256.size(), 64u);
  // The hash ignores layout but not content.
  EXPECT_EQ(MustParse(" " + Schema() + "\n").sha256, s.sha256);
  EXPECT_NE(MustParse(Schema(R"([[{"type": "feature-value", "feature": "last"}]])")).sha256, s.sha256);
}

TEST(PsigSchemaTest, ErrorsNameFileAndPath) {
  EXPECT_EQ(ParseError(Schema(R"([[{"type": "soundex", "feature": "first"}]])")),
            "s.json: config.signatureSpecs[0][0].type: unknown signature strategy 'soundex' (supported: "
            "feature-value, characters-at, metaphone)");
  EXPECT_EQ(ParseError(Schema(R"([[{"type": "feature-value", "feature": "dob"}]])")),
            "s.json: config.signatureSpecs[0][0].feature: 'dob' is not one of config.blocking-features");
  EXPECT_EQ(ParseError(Schema(R"([[{"type": "characters-at", "config": {"pos": ["2:1"]}, "feature": "first"}]])")),
            "s.json: config.signatureSpecs[0][0].config.pos[0]: slice \"2:1\": the start must be less than the end");
  EXPECT_EQ(ParseError(Schema(R"([[{"type": "characters-at", "feature": "first"}]])")),
            "s.json: config.signatureSpecs[0][0]: missing required key 'config'");
  EXPECT_EQ(ParseError("{\"type\": \"p-sig\",\n \"version\": 1,,}"),
            "s.json:2:15: the blocking schema is not valid JSON (expected a p-sig or lambda-fold schema object)");
  // A number out of a double's range is a clean error, not an exception (found by fuzzing).
  EXPECT_THAT(ParseError(R"({"type": "p-sig", "version": 1e99999})"),
              HasSubstr("s.json: the blocking schema is not valid JSON"));
  EXPECT_THAT(
      ParsePsigBlocks(R"({"format": "matchguard-psig-blocks", "records": 1e99999})", "b.json").status().message(),
      HasSubstr("b.json:1: not valid JSON"));
  EXPECT_THAT(ParseError(R"({"type": "canopy", "version": 1, "config": {}})"),
              HasSubstr("s.json: type: unsupported blocking type 'canopy' (matchguard block supports p-sig and "
                        "lambda-fold)"));
  EXPECT_THAT(ParseError(Schema("[]")), HasSubstr("config.signatureSpecs: expected 1 to"));
  EXPECT_THAT(ParseError(Schema("[[]]", R"({"type": "ratio", "max": 1.5})")),
              HasSubstr("config.filter.max: expected a number from 0 to 1, found 1.5"));
}

TEST(PsigSignatureTest, CharactersAtFollowsBlocklib) {
  auto at = [](std::string_view v, const std::string& pos_json) {
    PsigSchema s = MustParse(
        Schema(R"([[{"type": "characters-at", "config": {"pos": )" + pos_json + R"(}, "feature": "first"}]])"));
    return PsigCharactersAt(v, s.strategies[0][0].positions);
  };
  // blocklib's doctests of generate_by_char_at.
  EXPECT_EQ(at("Little Whinging", "[0, 3]"), "Lt");
  EXPECT_EQ(at("Little Whinging", R"([":4"])"), "Litt");
  EXPECT_EQ(at("19851231", R"(["0:4", "4:6"])"), "198512");
  EXPECT_EQ(at("smith", R"(["2:"])"), "ith");
  EXPECT_EQ(at("smith", R"(["-1"])"), "h");
  EXPECT_EQ(at("smith", R"(["-2:"])"), "th");
  EXPECT_EQ(at("li", "[5]"), "i");                 // past the end: the last character, as blocklib does
  EXPECT_EQ(at("li", R"(["1:9"])"), "i");          // slices are clamped
  EXPECT_EQ(at("li", R"(["-7"])"), "");            // before the start: no character
  EXPECT_EQ(at("zoë", R"(["2", "0:2"])"), "ëzo");  // code points, not bytes
}

TEST(PsigSignatureTest, MetaphoneJoinsBothCodes) {
  PsigSpec spec{PsigStrategy::kMetaphone, {"first", -1}, {}};
  EXPECT_EQ(PsigSpecPart(spec, "smith"), "SM0XMT");  // blocklib's doctest
  EXPECT_EQ(PsigSpecPart(spec, "knight"), "NT");     // no alternate reading
}

TEST(PsigKeyerTest, KeysAreTruncatedHmacSha256) {
  auto keyer = PsigKeyer::Create(kSecret);
  ASSERT_TRUE(keyer.has_value());
  // Python: hmac.new(secret, b"matchguard p-sig signature v1\0" + b"0_smith", sha256).hexdigest()[:16]
  EXPECT_EQ(keyer->Key("0_smith"), 0x7cf68e8a7e2a5960ULL);
  EXPECT_EQ(keyer->KeyCheck(), 0x1553c4083cac354bULL);
  auto clone = keyer->Clone();
  ASSERT_TRUE(clone.has_value());
  EXPECT_EQ(clone->Key("0_smith"), 0x7cf68e8a7e2a5960ULL);
  auto other = PsigKeyer::Create("another-secret-of-16+");
  EXPECT_NE(other->Key("0_smith"), keyer->Key("0_smith"));
}

Table MustTable(const std::string& csv) {
  auto table = ParseCsvTable(csv, "d.csv");
  EXPECT_TRUE(table.has_value()) << table.status().message();
  return table.has_value() ? std::move(*table) : Table{};
}

PsigBlocks MustBuild(const std::string& schema, const std::string& csv) {
  auto keyer = PsigKeyer::Create(kSecret);
  auto blocks = BuildPsigBlocks(MustTable(csv), MustParse(schema), *keyer, {0, "d.csv"});
  EXPECT_TRUE(blocks.has_value()) << blocks.status().message();
  return blocks.has_value() ? std::move(*blocks) : PsigBlocks{};
}

std::vector<uint64_t> KeysOf(const PsigBlocks& b, size_t r) {
  return {b.keys.begin() + static_cast<ptrdiff_t>(b.offsets[r]),
          b.keys.begin() + static_cast<ptrdiff_t>(b.offsets[r + 1])};
}

TEST(PsigBuildTest, SignaturesAreFoldedAndKeyed) {
  const std::string schema = Schema(R"([[{"type": "feature-value", "feature": "last"}],
      [{"type": "characters-at", "config": {"pos": [":2"]}, "feature": "first"}, {"type": "feature-value", "feature": "last"}]])",
                                    R"({"type": "count", "max": 10, "min": 1})");
  PsigBlocks b = MustBuild(schema, "id,first,last\na,Zoë,Smith\nb,ZOE, smith \nc,John,\n");
  auto keyer = PsigKeyer::Create(kSecret);
  EXPECT_EQ(KeysOf(b, 0), (std::vector<uint64_t>{keyer->Key("0_smith"), keyer->Key("1_zo_smith")}));
  EXPECT_EQ(KeysOf(b, 1), KeysOf(b, 0));  // case, accents and spaces folded
  EXPECT_TRUE(KeysOf(b, 2).empty());      // both strategies need the missing surname
  EXPECT_EQ(b.ids, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(b.signatures, 4u);
  EXPECT_EQ(b.records_without_blocks, 1u);
  EXPECT_EQ(b.largest_block, 2u);
}

TEST(PsigBuildTest, RatioFilterDropsCommonSignatures) {
  // 10 records: "smith" held by 6 (> 0.5 x 10) is dropped, "jones" by 4 is kept.
  std::string csv = "id,first,last\n";
  for (int i = 0; i < 10; ++i) csv += std::to_string(i) + ",x," + (i < 6 ? "smith" : "jones") + "\n";
  PsigBlocks b = MustBuild(Schema(R"([[{"type": "feature-value", "feature": "last"}]])"), csv);
  EXPECT_EQ(b.distinct_signatures, 2u);
  EXPECT_EQ(b.signatures_dropped, 1u);
  EXPECT_EQ(b.records_without_blocks, 6u);
  EXPECT_EQ(b.largest_block, 4u);
  EXPECT_TRUE(KeysOf(b, 0).empty());
  EXPECT_EQ(KeysOf(b, 9).size(), 1u);
}

TEST(PsigBuildTest, NullSentinelIsMissing) {
  std::string schema = Schema(R"([[{"type": "feature-value", "feature": "last"}]])");
  schema.insert(schema.find("\"signatureSpecs\""), "\"null-sentinel\": \"N/A\", ");
  PsigBlocks b = MustBuild(schema, "id,first,last\na,x,n/a\nb,x,smith\n");
  EXPECT_TRUE(KeysOf(b, 0).empty());
  EXPECT_EQ(KeysOf(b, 1).size(), 1u);
}

TEST(PsigBuildTest, UnknownColumnNamesTheFile) {
  auto keyer = PsigKeyer::Create(kSecret);
  auto blocks = BuildPsigBlocks(MustTable("id,first,surname\na,b,c\n"), MustParse(Schema()), *keyer, {0, "d.csv"});
  ASSERT_FALSE(blocks.has_value());
  EXPECT_EQ(blocks.status().message(), "d.csv: line 1: blocking feature 'last' is not a column of the header");
}

TEST(PsigFileTest, WritesAndReadsBack) {
  auto fs = NewMemoryFileSystem();
  PsigBlocks b = MustBuild(Schema(), "id,first,last\n\"a,1\",ann,lee\nb,bob,\n");
  ASSERT_TRUE(WritePsigBlocks(*fs, "b.json", b).ok());
  std::string text = *fs->ReadFile("b.json");
  EXPECT_THAT(text, HasSubstr("\"id\": \"a,1\""));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("lee")));  // no values or signatures
  auto parsed = ParsePsigBlocks(text, "b.json");
  ASSERT_TRUE(parsed.has_value()) << parsed.status().message();
  EXPECT_EQ(parsed->records, 2u);
  EXPECT_EQ(parsed->schema_sha256, b.schema_sha256);
  EXPECT_EQ(parsed->key_check, b.key_check);
  ASSERT_EQ(parsed->entries.size(), b.keys.size());
  for (size_t i = 0; i < b.keys.size(); ++i) EXPECT_EQ(parsed->entries[i].key, b.keys[i]);
  EXPECT_EQ(parsed->entries.back().row, 0u);  // bob has no surname, so no keys
}

TEST(PsigFileTest, BadFilesNameTheProblem) {
  const std::string head =
      R"({"format": "matchguard-psig-blocks", "version": 1, "schema_sha256": "ab", "key_check": "0000000000000001", "records": 2, "rows": [)";
  auto error = [](const std::string& text) {
    auto parsed = ParsePsigBlocks(text, "b.json");
    EXPECT_FALSE(parsed.has_value());
    return parsed.has_value() ? "" : parsed.status().message();
  };
  EXPECT_EQ(error(head + R"({"row": 0, "keys": []}, {"row": 1, "keys": ["12"]}]})"),
            "b.json: rows[1].keys[0]: expected a block key (16 hexadecimal digits), found a string");
  EXPECT_EQ(error(head + R"({"row": 1, "keys": []}]})"),
            "b.json: rows[0].row: expected row 0 (rows in order), found 1");
  EXPECT_EQ(error(head + R"({"row": 0, "keys": []}]})"), "b.json: 'records' says 2 but 'rows' lists 1");
  EXPECT_EQ(error(head + "\n{\"row\": 0,, }"),
            "b.json:2: not valid JSON (expected a blocks file written by matchguard block)");
  EXPECT_THAT(error(R"({"format": "clkhash", "rows": []})"),
              HasSubstr("b.json: format: not a matchguard P-Sig blocks file"));
}

// Random blocks: the join must equal the brute-force set of pairs sharing a key.
PsigBlocksFile RandomFile(std::mt19937_64& rng, uint32_t rows, uint64_t distinct_keys) {
  PsigBlocksFile f;
  f.schema_sha256 = "s";
  f.records = rows;
  std::uniform_int_distribution<uint64_t> key(0, distinct_keys - 1);
  std::uniform_int_distribution<int> count(0, 4);
  for (uint32_t r = 0; r < rows; ++r) {
    std::set<uint64_t> keys;
    for (int k = count(rng); k > 0; --k) keys.insert(key(rng) * 0x9e3779b97f4a7c15ULL);
    for (uint64_t k : keys) f.entries.push_back({k, r});
  }
  return f;
}

TEST(PsigJoinTest, EqualsBruteForce) {
  std::mt19937_64 rng(11);
  for (uint64_t distinct : {3u, 50u, 2000u}) {
    PsigBlocksFile left = RandomFile(rng, 300, distinct), right = RandomFile(rng, 257, distinct);
    std::map<uint64_t, std::vector<uint32_t>> right_rows;
    for (auto e : right.entries) right_rows[e.key].push_back(e.row);
    std::set<std::pair<uint32_t, uint32_t>> want;
    std::set<uint64_t> shared;
    for (auto e : left.entries) {
      auto it = right_rows.find(e.key);
      if (it == right_rows.end()) continue;
      for (uint32_t r : it->second) want.insert({e.row, r});
      shared.insert(e.key);
    }
    auto pairs = JoinPsigBlocks(left, right, "l.json", "r.json");
    ASSERT_TRUE(pairs.has_value()) << pairs.status().message();
    std::vector<std::pair<uint32_t, uint32_t>> got;
    for (size_t k = 0; k < pairs->left.size(); ++k) got.emplace_back(pairs->left[k], pairs->right[k]);
    const std::vector<std::pair<uint32_t, uint32_t>> expected(want.begin(), want.end());
    EXPECT_EQ(got, expected) << distinct;
    EXPECT_EQ(pairs->shared_blocks, shared.size());
  }
}

TEST(PsigJoinTest, RefusesPathologicalBlocksAndMismatchedFiles) {
  std::mt19937_64 rng(3);
  PsigBlocksFile left = RandomFile(rng, 100, 1), right = RandomFile(rng, 100, 1);
  auto pairs = JoinPsigBlocks(left, right, "l.json", "r.json", {.max_block_pairs = 100, .max_pairs = 1000});
  ASSERT_FALSE(pairs.has_value());
  EXPECT_THAT(pairs.status().message(), HasSubstr("l.json and r.json share a block of "));
  EXPECT_THAT(pairs.status().message(), HasSubstr("lower the schema's filter max"));
  right.key_check = 7;
  EXPECT_THAT(JoinPsigBlocks(left, right, "l.json", "r.json").status().message(), HasSubstr("different secrets"));
  right.schema_sha256 = "t";
  EXPECT_THAT(JoinPsigBlocks(left, right, "l.json", "r.json").status().message(),
              HasSubstr("different blocking schemas"));
}

TEST(PsigCandidatePairsTest, RecordCountMustMatchTheEncodings) {
  auto fs = NewMemoryFileSystem();
  PsigBlocks b = MustBuild(Schema(kExampleSpecs, R"({"type": "ratio", "max": 1})"),
                           "id,first,last\na,ann,lee\nb,ann,lee\nc,bob,ray\n");
  ASSERT_TRUE(WritePsigBlocks(*fs, "l.json", b).ok());
  ASSERT_TRUE(WritePsigBlocks(*fs, "r.json", b).ok());
  auto pairs = PsigCandidatePairs(*fs, "l.json", "r.json", 3, 3);
  ASSERT_TRUE(pairs.has_value()) << pairs.status().message();
  EXPECT_EQ(pairs->left, (std::vector<uint32_t>{0, 0, 1, 1, 2}));
  EXPECT_EQ(pairs->right, (std::vector<uint32_t>{0, 1, 0, 1, 2}));
  auto wrong = PsigCandidatePairs(*fs, "l.json", "r.json", 3, 4);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_TRUE(wrong.status().IsUserError());
  EXPECT_EQ(wrong.status().message(),
            "r.json: the blocks file lists 3 records but its encodings hold 4; block the same CSV file that was "
            "encoded");
  // Encodings with ids: the blocks must list the same ids in the same order.
  const std::vector<std::string> ids{"a", "b", "c"}, shuffled{"a", "c", "b"};
  auto same = PsigCandidatePairs(*fs, "l.json", "r.json", PsigEncodings{3, &ids}, PsigEncodings{3, &ids});
  ASSERT_TRUE(same.has_value()) << same.status().message();
  EXPECT_EQ(same->left, pairs->left);
  auto reordered = PsigCandidatePairs(*fs, "l.json", "r.json", PsigEncodings{3, &ids}, PsigEncodings{3, &shuffled});
  ASSERT_FALSE(reordered.has_value());
  EXPECT_EQ(reordered.status().message(),
            "r.json: row 1: the id differs from the id of row 1 of the encodings; block the same CSV file, in the "
            "same order, that was encoded");
}

}  // namespace
}  // namespace matchguard
