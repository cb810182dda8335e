#include "src/encode/clk_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/encode/clk_file.h"

namespace matchguard {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kSecret = "unit-test-secret-0123";

// A one-feature schema around `format` and `hashing` JSON.
std::string OneFeature(const std::string& format, const std::string& hashing, const std::string& config) {
  return R"({"version": 3, "clkConfig": )" + config + R"(, "features": [{"identifier": "f", "format": )" + format +
         R"(, "hashing": )" + hashing + "}]}";
}

std::unique_ptr<ClkEncoder> MakeEncoder(const std::string& schema_json) {
  auto schema = ParseClkSchema(schema_json, "s.json");
  EXPECT_TRUE(schema.has_value()) << schema.error().message();
  if (!schema) return nullptr;
  auto encoder = ClkEncoder::Create(*schema, kSecret);
  EXPECT_TRUE(encoder.has_value());
  return encoder ? std::move(encoder).value() : nullptr;
}

std::string EncodeOne(const ClkEncoder& encoder, std::string_view value) {
  auto worker = encoder.NewWorker();
  std::vector<uint8_t> out(encoder.clk_bytes());
  FieldError error;
  if (!encoder.Encode(*worker, {value}, out.data(), &error)) return "error: " + error.message;
  return Base64Encode(out.data(), out.size());
}

std::vector<std::string> TokensOf(const std::string& format, const std::string& comparison, std::string_view value) {
  auto encoder = MakeEncoder(OneFeature(format, R"({"comparison": )" + comparison + R"(, "strategy": {"bitsPerToken": 2}})",
                                        R"({"l": 64, "kdf": {"type": "HKDF"}})"));
  auto tokens = encoder->Tokens(0, value);
  EXPECT_TRUE(tokens.has_value()) << tokens.error().message();
  return tokens ? *tokens : std::vector<std::string>();
}

std::string Refusal(const std::string& format, std::string_view value) {
  auto encoder = MakeEncoder(OneFeature(format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 2},
                                                  "missingValue": {"sentinel": "N/A"}})",
                                        R"({"l": 64, "kdf": {"type": "HKDF"}})"));
  FieldError error;
  if (encoder->Validate(0, value, &error)) return "";
  return error.message;
}

// Golden CLKs computed by an independent Python model of clkhash's hashing (hmac, hashlib.blake2b).
TEST(ClkEncoderTest, BlakeWithSha512KdfAndMoreThan32BitsPerToken) {
  auto encoder = MakeEncoder(OneFeature(R"({"type": "string"})",
                                        R"({"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 40}})",
                                        R"({"l": 64, "kdf": {"type": "HKDF", "hash": "SHA512", "keySize": 32}})"));
  EXPECT_EQ(EncodeOne(*encoder, "ab"), "/79//Xfv3f8=");
}

TEST(ClkEncoderTest, DoubleHashUtf16PositionalBitsPerFeature) {
  auto encoder = MakeEncoder(OneFeature(
      R"({"type": "string", "encoding": "utf-16"})",
      R"({"comparison": {"type": "ngram", "n": 1, "positional": true}, "strategy": {"bitsPerFeature": 7},
          "hash": {"type": "doubleHash"}})",
      R"({"l": 104, "kdf": {"type": "HKDF", "salt": "c2FsdA=="}})"));
  EXPECT_EQ(EncodeOne(*encoder, "z\xC3\xA9"), "AAABAQCQQAEAABAAAA==");
}

TEST(ClkEncoderTest, ExactIntegerWithPreventSingularity) {
  auto encoder = MakeEncoder(OneFeature(
      R"({"type": "integer"})",
      R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 5},
          "hash": {"type": "doubleHash", "prevent_singularity": true}})",
      R"({"l": 16, "kdf": {"type": "HKDF"}})"));
  EXPECT_EQ(EncodeOne(*encoder, " +0042"), "QFU=") << "integers are hashed in canonical form";
  EXPECT_EQ(EncodeOne(*encoder, "42"), "QFU=");
}

// Token goldens from clkhash's comparator documentation.
TEST(ClkEncoderTest, TokenisationMatchesClkhashDocs) {
  EXPECT_THAT(TokensOf(R"({"type": "string"})", R"({"type": "ngram", "n": 2})", "clkhash"),
              ElementsAre(" c", "cl", "lk", "kh", "ha", "as", "sh", "h "));
  EXPECT_THAT(TokensOf(R"({"type": "string"})", R"({"type": "ngram", "n": 2, "positional": true})", "clkhash"),
              ElementsAre("1  c", "2 cl", "3 lk", "4 kh", "5 ha", "6 as", "7 sh", "8 h "));
  EXPECT_THAT(TokensOf(R"({"type": "integer"})", R"({"type": "numeric", "thresholdDistance": 8, "resolution": 2})", "25"),
              ElementsAre("88", "96", "104", "112", "120"));
  EXPECT_THAT(TokensOf(R"({"type": "string"})", R"({"type": "exact"})", "a b"), ElementsAre("a b"));
  EXPECT_TRUE(TokensOf(R"({"type": "string"})", R"({"type": "ngram", "n": 2})", "").empty());
  // n-grams are over characters, not bytes.
  EXPECT_THAT(TokensOf(R"({"type": "string"})", R"({"type": "ngram", "n": 1})", "\xC3\xA9t\xC3\xA9"),
              ElementsAre("\xC3\xA9", "t", "\xC3\xA9"));
}

TEST(ClkEncoderTest, NumericComparisonQuantisesFloats) {
  std::string numeric = R"({"type": "numeric", "thresholdDistance": 1.5, "resolution": 1, "fractional_precision": 1})";
  // 2.25 * 10 = 22.5 rounds half to even: 22; * 2 = 44; interval 15: residue 14 >= 7.5, so 45.
  EXPECT_THAT(TokensOf(R"({"type": "string"})", numeric, "2.25"), ElementsAre("30", "45", "60"));
  EXPECT_THAT(TokensOf(R"({"type": "string"})", numeric, "-3"), ElementsAre("-75", "-60", "-45"));
}

TEST(ClkEncoderTest, DatesAreHashedAsYmd) {
  EXPECT_THAT(TokensOf(R"({"type": "date", "format": "%d/%m/%Y"})", R"({"type": "exact"})", "7/3/1980"),
              ElementsAre("19800307"));
  EXPECT_THAT(TokensOf(R"({"type": "date", "format": "%Y %b %d"})", R"({"type": "exact"})", "1999   JAN 02"),
              ElementsAre("19990102"));
}

TEST(ClkEncoderTest, MissingValuesAreReplacedNotValidated) {
  auto encoder = MakeEncoder(OneFeature(
      R"({"type": "integer", "minimum": 10})",
      R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 3},
          "missingValue": {"sentinel": "?", "replaceWith": "unknown"}})",
      R"({"l": 64, "kdf": {"type": "HKDF"}})"));
  EXPECT_THAT(*encoder->Tokens(0, "?"), ElementsAre("unknown"));
  FieldError error;
  EXPECT_TRUE(encoder->Validate(0, "?", &error));
  EXPECT_FALSE(encoder->Validate(0, "", &error)) << "an empty integer is not missing unless it is the sentinel";
}

TEST(ClkEncoderTest, ValidationOfEveryFormat) {
  EXPECT_EQ(Refusal(R"({"type": "string", "case": "lower"})", "abc"), "");
  EXPECT_EQ(Refusal(R"({"type": "string", "case": "lower"})", "aBc"), "expected lower-case text");
  EXPECT_EQ(Refusal(R"({"type": "string", "case": "upper"})", "ABC"), "");
  EXPECT_EQ(Refusal(R"({"type": "string", "case": "upper"})", "\xC3\xA9"), "expected upper-case text");
  EXPECT_EQ(Refusal(R"({"type": "string", "minLength": 2, "maxLength": 3})", "\xC3\xA9\xC3\xA9"), "");
  EXPECT_EQ(Refusal(R"({"type": "string", "minLength": 2})", "a"), "expected at least 2 characters, found 1");
  EXPECT_EQ(Refusal(R"({"type": "string", "maxLength": 3})", "abcd"), "expected at most 3 characters, found 4");
  EXPECT_EQ(Refusal(R"({"type": "string", "encoding": "ascii"})", "\xC3\xA9"),
            "expected text that can be encoded as ascii");
  EXPECT_EQ(Refusal(R"({"type": "string", "pattern": "[0-9]{3}"})", "123"), "");
  EXPECT_THAT(Refusal(R"({"type": "string", "pattern": "[0-9]{3}"})", "1234"), HasSubstr("matching the pattern"));
  EXPECT_EQ(Refusal(R"({"type": "string"})", "\xFF"), "not valid UTF-8");
  EXPECT_EQ(Refusal(R"({"type": "integer", "minimum": 0, "maximum": 9})", " 7 "), "");
  EXPECT_EQ(Refusal(R"({"type": "integer"})", "1_000"), "");
  EXPECT_EQ(Refusal(R"({"type": "integer"})", "1__000"), "expected a base-10 integer");
  EXPECT_EQ(Refusal(R"({"type": "integer", "minimum": 0, "maximum": 9})", "10"),
            "expected an integer of at least 0 and of at most 9");
  EXPECT_EQ(Refusal(R"({"type": "date", "format": "%Y-%m-%d"})", "2020-02-29"), "");
  EXPECT_EQ(Refusal(R"({"type": "date", "format": "%Y-%m-%d"})", "2021-02-29"),
            "expected a valid date in the format '%Y-%m-%d'");
  EXPECT_EQ(Refusal(R"({"type": "enum", "values": ["a", "b"]})", "b"), "");
  EXPECT_EQ(Refusal(R"({"type": "enum", "values": ["a", "b"]})", "c"), "expected one of the feature's 2 enum values");
  EXPECT_EQ(Refusal(R"({"type": "integer"})", "N/A"), "") << "the sentinel is never validated";
}

TEST(ClkEncoderTest, XorFoldingHalvesTheHashSpace) {
  std::string hashing = R"({"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}})";
  auto unfolded = MakeEncoder(OneFeature(R"({"type": "string"})", hashing, R"({"l": 128, "kdf": {"type": "HKDF"}})"));
  auto folded = MakeEncoder(OneFeature(R"({"type": "string"})", hashing,
                                       R"({"l": 64, "xorFolds": 1, "kdf": {"type": "HKDF"}})"));
  std::vector<uint8_t> a;
  std::vector<uint8_t> b;
  ASSERT_TRUE(Base64Decode(EncodeOne(*unfolded, "smith"), &a));
  ASSERT_TRUE(Base64Decode(EncodeOne(*folded, "smith"), &b));
  ASSERT_EQ(a.size(), 16u);
  ASSERT_EQ(b.size(), 8u);
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(b[i], a[i] ^ a[i + 8]) << i;
}

TEST(ClkEncoderTest, SaltChangesEveryTokenAndOnlyMatchingSaltsAgree) {
  auto encoder = MakeEncoder(OneFeature(R"({"type": "string"})",
                                        R"({"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}})",
                                        R"({"l": 1024, "kdf": {"type": "HKDF"}})"));
  auto worker = encoder->NewWorker();
  std::vector<uint8_t> plain(128), s1(128), s1b(128), s2(128);
  FieldError error;
  ASSERT_TRUE(encoder->Encode(*worker, {"smith"}, plain.data(), &error));
  ASSERT_TRUE(encoder->Encode(*worker, {"smith"}, s1.data(), &error, "1980"));
  ASSERT_TRUE(encoder->Encode(*worker, {"smith"}, s1b.data(), &error, "1980"));
  ASSERT_TRUE(encoder->Encode(*worker, {"smith"}, s2.data(), &error, "1981"));
  EXPECT_EQ(s1, s1b);
  EXPECT_NE(s1, plain);
  EXPECT_NE(s1, s2);
}

TEST(ClkEncoderTest, FieldLevelFilterUsesItsOwnLength) {
  auto encoder = MakeEncoder(OneFeature(R"({"type": "string"})",
                                        R"({"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 5}})",
                                        R"({"l": 1024, "kdf": {"type": "HKDF"}})"));
  auto worker = encoder->NewWorker();
  std::vector<uint8_t> field(32, 0xFF);
  FieldError error;
  ASSERT_TRUE(encoder->EncodeFeature(*worker, 0, "ab", 256, field.data(), &error));
  int set = 0;
  for (uint8_t b : field) set += __builtin_popcount(b);
  EXPECT_GT(set, 0);
  EXPECT_LE(set, 15);
}

}  // namespace
}  // namespace matchguard
