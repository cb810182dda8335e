#include "src/encode/clk_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

std::string Schema(const std::string& config, const std::string& feature) {
  return R"({"version": 3, "clkConfig": )" + config + R"(, "features": [{"identifier": "rec_id", "ignored": true}, )" +
         feature + "]}";
}

const char* kConfig = R"({"l": 1024, "kdf": {"type": "HKDF"}})";
const char* kFeature = R"({"identifier": "name", "format": {"type": "string"},
  "hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}}})";

std::string ErrorOf(const std::string& json) {
  auto schema = ParseClkSchema(json, "s.json");
  EXPECT_FALSE(schema.has_value());
  return schema ? "" : schema.error().message();
}

std::string WithFeature(const std::string& format, const std::string& hashing) {
  return Schema(kConfig, R"({"identifier": "name", "format": )" + format + R"(, "hashing": )" + hashing + "}");
}

TEST(ClkSchemaTest, ParsesEveryOption) {
  auto schema = ParseClkSchema(
      Schema(R"({"l": 512, "xorFolds": 1, "kdf": {"type": "HKDF", "hash": "SHA512", "salt": "c2FsdA==",
                 "info": "aW5mbw==", "keySize": 32}})",
             R"({"identifier": "dob", "description": "x", "format": {"type": "date", "format": "%Y%m%d"},
                 "hashing": {"comparison": {"type": "ngram", "n": 1, "positional": true},
                             "strategy": {"bitsPerFeature": 100},
                             "hash": {"type": "doubleHash", "prevent_singularity": true},
                             "missingValue": {"sentinel": "", "replaceWith": "x"}}})"),
      "s.json");
  ASSERT_TRUE(schema.has_value()) << schema.error().message();
  EXPECT_EQ(schema->l, 512u);
  EXPECT_EQ(schema->hash_bits(), 1024u);
  EXPECT_TRUE(schema->kdf_sha512);
  EXPECT_EQ(*schema->kdf_salt, "salt");
  EXPECT_EQ(*schema->kdf_info, "info");
  EXPECT_EQ(schema->key_size, 32u);
  ASSERT_EQ(schema->features.size(), 2u);
  EXPECT_FALSE(schema->features[0].hashed());
  const FeatureSpec& f = schema->features[1];
  EXPECT_EQ(f.type, FeatureType::kDate);
  EXPECT_TRUE(f.positional);
  EXPECT_EQ(f.ngram_n, 1);
  EXPECT_TRUE(f.bits_per_feature);
  EXPECT_EQ(f.strategy_bits, 100);
  EXPECT_EQ(f.hash, ClkHashType::kDouble);
  EXPECT_TRUE(f.prevent_singularity);
  EXPECT_EQ(*f.missing_sentinel, "");
  EXPECT_EQ(f.missing_replacement, "x");
  EXPECT_EQ(schema->Identifiers(), (std::vector<std::string>{"rec_id", "dob"}));
}

TEST(ClkSchemaTest, DefaultsFollowClkhash) {
  auto schema = ParseClkSchema(Schema(kConfig, kFeature), "s.json");
  ASSERT_TRUE(schema.has_value());
  const FeatureSpec& f = schema->features[1];
  EXPECT_EQ(f.hash, ClkHashType::kBlake);
  EXPECT_EQ(f.encoding, TextEncoding::kUtf8);
  EXPECT_EQ(f.letter_case, LetterCase::kMixed);
  EXPECT_FALSE(f.positional);
  EXPECT_EQ(schema->key_size, 64u);
  EXPECT_FALSE(schema->kdf_salt.has_value());
  EXPECT_EQ(schema->xor_folds, 0u);
}

TEST(ClkSchemaTest, LegacyXorFoldsKeyIsReadAndMustAgree) {
  auto legacy = ParseClkSchema(Schema(R"({"l": 512, "xor_folds": 1, "kdf": {"type": "HKDF"}})", kFeature), "s.json");
  ASSERT_TRUE(legacy.has_value());
  EXPECT_EQ(legacy->xor_folds, 1u);
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 512, "xorFolds": 2, "xor_folds": 1, "kdf": {"type": "HKDF"}})", kFeature)),
              HasSubstr("disagrees with 'xor_folds'"));
}

TEST(ClkSchemaTest, RejectsMalformedDocuments) {
  EXPECT_EQ(ErrorOf("{"), "s.json: the schema is not valid JSON");
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("expected a JSON object"));
  EXPECT_THAT(ErrorOf(R"({"clkConfig": {}})"), HasSubstr("missing required key 'version'"));
  EXPECT_THAT(ErrorOf(R"({"version": 2, "clkConfig": {}, "features": []})"), HasSubstr("unsupported schema version 2"));
  EXPECT_THAT(ErrorOf(R"({"version": 3, "features": []})"), HasSubstr("missing required key 'clkConfig'"));
  EXPECT_THAT(ErrorOf(R"({"version": 3, "clkConfig": )" + std::string(kConfig) + R"(, "features": []})"),
              HasSubstr("no features"));
  EXPECT_THAT(ErrorOf(R"({"version": 3, "clkConfig": )" + std::string(kConfig) + R"(, "features": {}})"),
              HasSubstr("expected an array of features"));
}

TEST(ClkSchemaTest, RejectsBadClkConfig) {
  EXPECT_THAT(ErrorOf(Schema(R"({"kdf": {"type": "HKDF"}})", kFeature)), HasSubstr("clkConfig: missing required key 'l'"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1020, "kdf": {"type": "HKDF"}})", kFeature)), HasSubstr("multiple of 8"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": "big", "kdf": {"type": "HKDF"}})", kFeature)), HasSubstr("expected an integer"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1024, "kdf": {"type": "PBKDF2"}})", kFeature)),
              HasSubstr("clkConfig.kdf: type: unsupported key derivation 'PBKDF2'"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1024, "kdf": {"type": "HKDF", "hash": "MD5"}})", kFeature)),
              HasSubstr("unsupported HKDF hash 'MD5'"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1024, "kdf": {"type": "HKDF", "salt": "!!"}})", kFeature)),
              HasSubstr("salt: expected standard base64"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1024, "kdf": {"type": "HKDF", "pepper": 1}})", kFeature)),
              HasSubstr("unknown key 'pepper'"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1000, "kdf": {"type": "HKDF"}})", kFeature)),
              HasSubstr("blakeHash needs l * 2^xorFolds to be a power of two, found 1000"));
  EXPECT_THAT(ErrorOf(Schema(R"({"l": 1024, "kdf": {"type": "HKDF", "keySize": 100}})", kFeature)),
              HasSubstr("at most 64 bytes"));
  std::string many_ignored = R"({"version": 3, "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "keySize": 1024}},
      "features": [)";
  for (int i = 0; i < 5; ++i) many_ignored += R"({"identifier": "x", "ignored": true}, )";
  many_ignored += R"({"identifier": "x", "ignored": true}]})";
  EXPECT_THAT(ErrorOf(many_ignored), HasSubstr("HKDF cannot derive 12288 bytes of keys (at most 8160)"));
}

TEST(ClkSchemaTest, RejectsBadFeatures) {
  const char* hashing = R"({"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerToken": 20}})";
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "colour"})", hashing)),
              HasSubstr("s.json: features[1] 'name': format.type: unknown feature type 'colour'"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "string", "case": "title"})", hashing)),
              HasSubstr("format.case: expected upper, lower or mixed"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "string", "encoding": "latin-1"})", hashing)),
              HasSubstr("unsupported encoding 'latin-1'"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "string", "pattern": "[a-"})", hashing)),
              HasSubstr("invalid regular expression"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "string", "pattern": "a", "maxLength": 3})", hashing)),
              HasSubstr("unknown key 'maxLength'"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "string", "maxLength": 0})", hashing)), HasSubstr("maxLength"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "date"})", hashing)), HasSubstr("missing required key 'format'"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "date", "format": "%Q"})", hashing)),
              HasSubstr("unsupported date directive '%Q'"));
  EXPECT_THAT(ErrorOf(WithFeature(R"({"type": "enum", "values": [1]})", hashing)), HasSubstr("array of strings"));
  EXPECT_THAT(ErrorOf(Schema(kConfig, R"({"identifier": "x", "ignored": true, "format": {}})")),
              HasSubstr("unknown key 'format'"));
  EXPECT_THAT(ErrorOf(Schema(kConfig, R"({"identifier": "x", "format": {"type": "string"}})")),
              HasSubstr("missing required key 'hashing'"));
  EXPECT_THAT(ErrorOf(Schema(kConfig, R"({"format": {"type": "string"}})")),
              HasSubstr("features[1]: missing required key 'identifier'"));
}

TEST(ClkSchemaTest, RejectsBadHashing) {
  const char* string_format = R"({"type": "string"})";
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "ngram", "n": 0}, "strategy": {"bitsPerToken": 1}})")),
              HasSubstr("n: expected an integer from 1"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "soundex"}, "strategy": {"bitsPerToken": 1}})")),
              HasSubstr("unknown comparison 'soundex'"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "numeric", "thresholdDistance": 0, "resolution": 1}, "strategy": {"bitsPerToken": 1}})")),
              HasSubstr("thresholdDistance: expected a number greater than 0"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "numeric", "thresholdDistance": 0.01, "resolution": 1}, "strategy": {"bitsPerToken": 1}})")),
              HasSubstr("not enough fractional_precision"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 1, "bitsPerFeature": 2}})")),
              HasSubstr("exactly one of bitsPerToken or bitsPerFeature"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"k": 1}})")),
              HasSubstr("exactly one of bitsPerToken or bitsPerFeature"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 0}})")),
              HasSubstr("bitsPerToken: expected an integer from 1"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 1}, "hash": {"type": "sha3"}})")),
              HasSubstr("unknown hash 'sha3'"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 1}, "hash": {"type": "blakeHash", "prevent_singularity": true}})")),
              HasSubstr("prevent_singularity applies only to doubleHash"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 1}, "missingValue": {}})")),
              HasSubstr("missing required key 'sentinel'"));
  EXPECT_THAT(ErrorOf(WithFeature(string_format, R"({"comparison": {"type": "exact"}, "strategy": {"bitsPerToken": 1}, "weight": 2})")),
              HasSubstr("unknown key 'weight'"));
}

}  // namespace
}  // namespace matchguard
