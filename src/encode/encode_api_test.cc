// The facade (include/matchguard/encode.h) on an in-memory file system: outputs, refusals, no leftovers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "matchguard/encode.h"
#include "src/encode/clk_file.h"
#include "src/encode/hardening.h"
#include "src/encode/python_date.h"
#include "src/encode/secret.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

constexpr const char* kSchema = R"({"version": 3, "clkConfig": {"l": 256, "kdf": {"type": "HKDF"}},
  "features": [{"identifier": "id", "ignored": true},
               {"identifier": "name", "format": {"type": "string", "case": "lower"},
                "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 10}}},
               {"identifier": "yob", "format": {"type": "integer"},
                "hashing": {"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 10}}}]})";

class EncodeApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs_->WriteFileAtomically("schema.json", kSchema).ok());
    ASSERT_TRUE(fs_->WriteFileAtomically("key", "sixteen-byte-key-and-more\n").ok());
    ASSERT_TRUE(fs_->WriteFileAtomically("in.csv", "id,name,yob\na1,smith,1980\na2,jones,1975\na3,Brown,1990\n").ok());
    options_.schema_path = "schema.json";
    options_.input_path = "in.csv";
    options_.output_path = "out.csv";
    options_.format = "csv";
    options_.secret.file = "key";
  }
  std::unique_ptr<FileSystem> fs_ = NewMemoryFileSystem();
  EncodeOptions options_;
};

TEST_F(EncodeApiTest, FailStopsAtTheFirstBadValueWithoutOutput) {
  auto result = EncodeRecords(*fs_, options_);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message(),
            "in.csv: line 4 (row 3), field 'name': expected lower-case text (use --on-error skip to leave such "
            "records out)");
  EXPECT_TRUE(result.error().IsUserError());
  EXPECT_FALSE(fs_->Exists("out.csv"));
}

TEST_F(EncodeApiTest, SkipWritesTheRestAndAReport) {
  options_.on_error = OnValueError::kSkip;
  auto result = EncodeRecords(*fs_, options_);
  ASSERT_TRUE(result.has_value()) << result.error().message();
  EXPECT_EQ(result->encoded, 2u);
  EXPECT_EQ(result->skipped, 1u);
  auto set = ReadClkFile(*fs_, "out.csv");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->ids, (std::vector<std::string>{"a1", "a2"}));
  EXPECT_EQ(*fs_->ReadFile("out.csv.skipped.csv"), "row,line,field,problem\n3,4,name,expected lower-case text\n");
}

TEST_F(EncodeApiTest, TrailingNewlineOfTheKeyFileIsIgnored) {
  options_.on_error = OnValueError::kSkip;
  ASSERT_TRUE(EncodeRecords(*fs_, options_).has_value());
  std::string with_newline = *fs_->ReadFile("out.csv");
  ASSERT_TRUE(fs_->WriteFileAtomically("key", "sixteen-byte-key-and-more").ok());
  ASSERT_TRUE(EncodeRecords(*fs_, options_).has_value());
  EXPECT_EQ(*fs_->ReadFile("out.csv"), with_newline);
}

TEST_F(EncodeApiTest, FailedWriteLeavesNothing) {
  auto failing = NewMemoryFileSystem(/*fail_writes_after_bytes=*/8000);
  ASSERT_TRUE(failing->WriteFileAtomically("schema.json", kSchema).ok());
  ASSERT_TRUE(failing->WriteFileAtomically("key", "sixteen-byte-key-and-more").ok());
  std::string rows = "id,name,yob\n";
  for (int i = 0; i < 200; ++i) rows += "r" + std::to_string(i) + ",smith,1980\n";
  ASSERT_TRUE(failing->WriteFileAtomically("in.csv", rows).ok());
  auto result = EncodeRecords(*failing, options_);
  EXPECT_FALSE(result.has_value());
  EXPECT_FALSE(failing->Exists("out.csv"));
}

TEST_F(EncodeApiTest, HeaderMustMatchTheSchema) {
  ASSERT_TRUE(fs_->WriteFileAtomically("in.csv", "id,name\na,b\n").ok());
  auto result = EncodeRecords(*fs_, options_);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message(), "in.csv: line 1: the header has 2 columns but the schema has 3 features");
}

TEST_F(EncodeApiTest, ThreadsDoNotChangeTheOutput) {
  std::string rows = "id,name,yob\n";
  for (int i = 0; i < 3000; ++i) rows += "r" + std::to_string(i) + ",name" + std::string(1, 'a' + i % 26) + "," + std::to_string(1900 + i % 100) + "\n";
  ASSERT_TRUE(fs_->WriteFileAtomically("in.csv", rows).ok());
  options_.threads = 1;
  ASSERT_TRUE(EncodeRecords(*fs_, options_).has_value());
  std::string one = *fs_->ReadFile("out.csv");
  options_.threads = 2;
  ASSERT_TRUE(EncodeRecords(*fs_, options_).has_value());
  EXPECT_EQ(*fs_->ReadFile("out.csv"), one);
}

TEST_F(EncodeApiTest, BlipWithASeedIsReproducibleAndFlipsAboutTheExpectedShare) {
  options_.on_error = OnValueError::kSkip;
  options_.blip_epsilon = 2.0;
  options_.blip_seed = 7;
  ASSERT_TRUE(EncodeRecords(*fs_, options_).has_value());
  std::string first = *fs_->ReadFile("out.csv");
  ASSERT_TRUE(EncodeRecords(*fs_, options_).has_value());
  EXPECT_EQ(*fs_->ReadFile("out.csv"), first);
  ClkSet set;
  set.Resize(8192, 10);
  ApplyBlip(&set, 2.0, 1);
  size_t ones = 0;
  for (size_t r = 0; r < set.count; ++r) {
    for (uint32_t b = 0; b < set.bits; ++b) ones += set.GetBit(r, b);
  }
  double share = static_cast<double>(ones) / (8192.0 * 10);
  EXPECT_NEAR(share, BlipFlipProbability(2.0), 0.01);
  EXPECT_NEAR(BlipFlipProbability(2.0), 0.1192, 1e-4);
}

TEST(HardeningTest, BalancedFiltersAreHalfSetAndKeyed) {
  ClkSet set;
  set.Resize(64, 2);
  set.mutable_row(0)[0] = 0xFF;
  set.ids = {"a", "b"};
  BalancedPermutation p1("secret-one-secret-one", 64);
  BalancedPermutation p2("secret-two-secret-two", 64);
  ClkSet b1 = p1.Apply(set);
  ClkSet b2 = p2.Apply(set);
  EXPECT_EQ(b1.bits, 128u);
  EXPECT_EQ(b1.ids, set.ids);
  for (size_t r = 0; r < 2; ++r) {
    int ones = 0;
    for (uint32_t j = 0; j < 128; ++j) ones += b1.GetBit(r, j);
    EXPECT_EQ(ones, 64);
  }
  EXPECT_NE(0, std::memcmp(b1.row(0), b2.row(0), 16)) << "the permutation depends on the secret";
  ClkSet again = BalancedPermutation("secret-one-secret-one", 64).Apply(set);
  EXPECT_EQ(0, std::memcmp(b1.row(0), again.row(0), 16));
}

TEST(SecretTest, SourcesAndRefusals) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("k", "0123456789abcdef\r\n").ok());
  auto from_file = LoadSecret(*fs, "k", "", "the secret");
  ASSERT_TRUE(from_file.has_value());
  EXPECT_EQ(from_file->view(), "0123456789abcdef");
  ::setenv("MG_SECRET_TEST", "env-secret-0123456789", 1);
  auto from_env = LoadSecret(*fs, "", "MG_SECRET_TEST", "the secret");
  ASSERT_TRUE(from_env.has_value());
  EXPECT_EQ(from_env->view(), "env-secret-0123456789");
  ::setenv("MG_SECRET_TEST", "short", 1);
  auto short_env = LoadSecret(*fs, "", "MG_SECRET_TEST", "the secret");
  ASSERT_FALSE(short_env.has_value());
  EXPECT_EQ(short_env.error().message(),
            "the secret from environment variable MG_SECRET_TEST is too short: 5 bytes, at least 16 are required");
  EXPECT_THAT(LoadSecret(*fs, "", "", "the secret").error().message(), HasSubstr("never taken from the command line"));
  EXPECT_THAT(LoadSecret(*fs, "k", "MG_SECRET_TEST", "the secret").error().message(), HasSubstr("not both"));
  EXPECT_EQ(LoadSecret(*fs, "missing", "", "the secret").error().code(), StatusCode::kNotFound);
  Secret s("0123456789abcdef");
  s.Wipe();
  EXPECT_EQ(s.size(), 0u);
}

TEST(PythonDateTest, MatchesStrptimeBacktrackingAndRanges) {
  auto ymd = *PythonDateFormat::Compile("%Y%m%d");
  EXPECT_EQ(PythonDateFormat::FormatYmd(*ymd.Parse("19151111")), "19151111");
  EXPECT_EQ(PythonDateFormat::FormatYmd(*ymd.Parse("1915111")), "19151101") << "%m takes 11, %d takes 1";
  EXPECT_FALSE(ymd.Parse("19150230").has_value());
  EXPECT_FALSE(ymd.Parse("191511111").has_value()) << "unconverted data remains";
  auto two_digit = *PythonDateFormat::Compile("%d.%m.%y");
  EXPECT_EQ(PythonDateFormat::FormatYmd(*two_digit.Parse("1.2.68")), "20680201");
  EXPECT_EQ(PythonDateFormat::FormatYmd(*two_digit.Parse("1.2.69")), "19690201");
  auto julian = *PythonDateFormat::Compile("%Y-%j");
  EXPECT_EQ(PythonDateFormat::FormatYmd(*julian.Parse("2020-060")), "20200229");
  auto old = *PythonDateFormat::Compile("%Y");
  EXPECT_EQ(PythonDateFormat::FormatYmd(*old.Parse("0999")), "9990101");
  EXPECT_FALSE(old.Parse("0000").has_value());
  EXPECT_FALSE(PythonDateFormat::Compile("%Y%").has_value());
  // Many adjacent numeric directives must not backtrack exponentially.
  std::string format;
  for (int i = 0; i < 40; ++i) format += "%j";
  auto hostile = *PythonDateFormat::Compile(format);
  EXPECT_FALSE(hostile.Parse(std::string(119, '1') + "x").has_value());
}

}  // namespace
}  // namespace matchguard
