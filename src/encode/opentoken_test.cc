#include "matchguard/file_system.h"
#include "src/encode/opentoken.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "src/encode/clk_file.h"
#include "src/io/csv.h"

namespace matchguard {
namespace {

using A = PersonAttribute;

std::string ReadText(const std::string& path) {
  auto data = DefaultFileSystem()->ReadFile(path);
  return data ? *data : std::string();
}

TEST(OpenTokenTest, EveryRowAndMetadataCountEqualOpenToken) {
  std::string dir = std::string(MATCHGUARD_SHARED_DIR) + "/data/vectors/opentoken/febrl-hash-only";
  CsvOptions raw;
  raw.trim_unquoted = false;
  auto input = ParseCsvTable(ReadText(dir + "/input.csv"), "input.csv", raw);
  auto expected = ParseCsvTable(ReadText(dir + "/expected.csv"), "expected.csv", raw);
  ASSERT_TRUE(input.has_value() && expected.has_value());
  ASSERT_EQ(input->num_rows(), 200u);
  ASSERT_EQ(expected->num_rows(), 1000u);
  auto generator = OpenTokenGenerator::Create(ReadText(dir + "/hashing_secret.txt"), std::nullopt);
  ASSERT_TRUE(generator.has_value());

  std::map<A, size_t> columns;
  for (size_t c = 0; c < input->num_columns(); ++c) {
    if (auto a = PersonAttributeForHeader(input->column_names()[c])) columns[*a] = c;
  }
  ASSERT_EQ(columns.size(), kPersonAttributeCount);
  std::map<std::string_view, int> invalid_by_type;
  int blank_by_rule[kOpenTokenRuleCount] = {};
  size_t mismatches = 0;
  for (size_t row = 0; row < input->num_rows(); ++row) {
    PersonValues values;
    for (auto [a, c] : columns) values[static_cast<size_t>(a)] = input->Get(c, row);
    OpenTokenResult result;
    ASSERT_TRUE((*generator)->Generate(values, &result).ok());
    for (size_t r = 0; r < kOpenTokenRuleCount; ++r) {
      size_t e = row * kOpenTokenRuleCount + r;
      ASSERT_EQ(expected->Get(0, e), "T" + std::to_string(r + 1));
      ASSERT_EQ(expected->Get(2, e), input->Get(0, row));
      if (expected->Get(1, e) != result.tokens[r]) {
        ++mismatches;
        ADD_FAILURE() << "row " << row << " rule T" << r + 1 << " differs";
      }
      if (result.blank_rules & (1u << r)) ++blank_by_rule[r];
    }
    for (size_t a = 0; a < kPersonAttributeCount; ++a) {
      if (result.invalid_attributes & (1u << a)) ++invalid_by_type[PersonAttributeName(static_cast<A>(a))];
    }
  }
  EXPECT_EQ(mismatches, 0u);
  // The counts OpenToken wrote in its metadata for this input (see the case's README).
  EXPECT_EQ(invalid_by_type["BirthDate"], 35);
  EXPECT_EQ(invalid_by_type["FirstName"], 10);
  EXPECT_EQ(invalid_by_type["LastName"], 2);
  EXPECT_EQ(invalid_by_type["PostalCode"], 2);
  EXPECT_EQ(invalid_by_type["Sex"], 3);
  EXPECT_EQ(invalid_by_type["SocialSecurityNumber"], 5);
  EXPECT_THAT(blank_by_rule, ::testing::ElementsAre(47, 47, 47, 42, 15));
}

TEST(OpenTokenTest, SignaturesFollowTheRules) {
  auto g = OpenTokenGenerator::Create("a-hashing-secret-of-some-length", std::nullopt);
  ASSERT_TRUE(g.has_value());
  PersonValues v;
  v[static_cast<size_t>(A::kFirstName)] = "Dr. José";
  v[static_cast<size_t>(A::kLastName)] = "O'Neil Jr.";
  v[static_cast<size_t>(A::kBirthDate)] = "02/03/1980";
  v[static_cast<size_t>(A::kSex)] = "f";
  v[static_cast<size_t>(A::kSocialSecurityNumber)] = "1234567";
  v[static_cast<size_t>(A::kPostalCode)] = "98101-1234";
  uint8_t invalid = 0;
  EXPECT_EQ(*(*g)->Signature(0, v, &invalid), "ONEIL|J|FEMALE|1980-02-03");
  EXPECT_EQ(*(*g)->Signature(1, v, &invalid), "ONEIL|JOSE|1980-02-03|981");
  EXPECT_EQ(*(*g)->Signature(2, v, &invalid), "ONEIL|JOSE|FEMALE|1980-02-03");
  EXPECT_EQ(*(*g)->Signature(3, v, &invalid), "001234567|FEMALE|1980-02-03");
  EXPECT_EQ(*(*g)->Signature(4, v, &invalid), "ONEIL|JOS|FEMALE");
  EXPECT_EQ(invalid, 0);
}

TEST(OpenTokenTest, FirstInvalidAttributeStopsTheRule) {
  auto g = OpenTokenGenerator::Create("a-hashing-secret-of-some-length", std::nullopt);
  PersonValues v;
  v[static_cast<size_t>(A::kFirstName)] = "Unknown";
  v[static_cast<size_t>(A::kLastName)] = "x";  // one letter: invalid, and checked before the first name
  v[static_cast<size_t>(A::kSex)] = "U";
  uint8_t invalid = 0;
  EXPECT_FALSE((*g)->Signature(0, v, &invalid).has_value());
  EXPECT_EQ(invalid, 1u << static_cast<unsigned>(A::kLastName));
  OpenTokenResult result;
  ASSERT_TRUE((*g)->Generate(v, &result).ok());
  EXPECT_EQ(result.tokens[3], kOpenTokenBlank) << "T4 lacks an SSN column: blank, not invalid";
  EXPECT_EQ(result.blank_rules, 0x1F);
  EXPECT_EQ(result.invalid_attributes, 1u << static_cast<unsigned>(A::kLastName));
}

TEST(OpenTokenTest, AttributeValidation) {
  EXPECT_TRUE(ValidatePersonAttribute(A::kLastName, "Ng"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kLastName, "Li"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kLastName, "Xx"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kLastName, "N/A"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kFirstName, ""));
  EXPECT_FALSE(ValidatePersonAttribute(A::kFirstName, "patient"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kSex, " Male "));
  EXPECT_FALSE(ValidatePersonAttribute(A::kSex, "MALE"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kSex, "Unknown"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kBirthDate, "1980-02-29"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kBirthDate, "1981-02-29"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kBirthDate, "1909-12-31"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kBirthDate, "2099-01-01"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kBirthDate, "19800101"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kBirthDate, "1980-01-02T03:04:05.123Z"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kSocialSecurityNumber, "0001234"));  // digits only: no area check
  EXPECT_FALSE(ValidatePersonAttribute(A::kSocialSecurityNumber, "000-12-3456"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kSocialSecurityNumber, "666-12-3456"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kSocialSecurityNumber, "123-45-6789"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kSocialSecurityNumber, "12345"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kPostalCode, "4223"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kPostalCode, "12345"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kPostalCode, "0001"));
  EXPECT_TRUE(ValidatePersonAttribute(A::kPostalCode, "k1b 2c3"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kPostalCode, "H0H 0H0"));
  EXPECT_FALSE(ValidatePersonAttribute(A::kPostalCode, "K1A"));
}

TEST(OpenTokenTest, AttributeNormalisation) {
  EXPECT_EQ(NormalizePersonAttribute(A::kFirstName, "  Mrs. Mary Ann B. "), "MaryAnn");
  EXPECT_EQ(NormalizePersonAttribute(A::kFirstName, "Zoë III"), "Zoe");
  EXPECT_EQ(NormalizePersonAttribute(A::kLastName, "Smith-Jones 3rd"), "SmithJones");
  EXPECT_EQ(NormalizePersonAttribute(A::kSocialSecurityNumber, "1234567"), "001-23-4567");
  EXPECT_EQ(NormalizePersonAttribute(A::kSocialSecurityNumber, "123 45 6780.00"), "123-45-6780");
  EXPECT_EQ(NormalizePersonAttribute(A::kPostalCode, "4223"), "42230");
  EXPECT_EQ(NormalizePersonAttribute(A::kPostalCode, "981011234"), "98101");
  EXPECT_EQ(NormalizePersonAttribute(A::kPostalCode, "k1b2c"), "K1B 2C0");
  EXPECT_EQ(NormalizePersonAttribute(A::kBirthDate, "31.12.1999"), "1999-12-31");
  EXPECT_EQ(NormalizePersonAttribute(A::kSex, "f"), "Female");
}

TEST(OpenTokenTest, HashAndEncryption) {
  auto g = OpenTokenGenerator::Create("secret-secret-secret", std::nullopt);
  PersonValues v;
  v[static_cast<size_t>(A::kLastName)] = "Doe";
  v[static_cast<size_t>(A::kFirstName)] = "John";
  v[static_cast<size_t>(A::kSex)] = "M";
  OpenTokenResult result;
  ASSERT_TRUE((*g)->Generate(v, &result).ok());
  // T5 = base64(HMAC-SHA256(secret, sha256hex("DOE|JOH|MALE"))), computed independently with Python's
  // hmac and hashlib.
  EXPECT_EQ(result.tokens[4], "bgToB8H/Hjli8oBYuP5P+N+3ZOSZQNvN4CgfiGa2KNU=");

  EXPECT_FALSE(OpenTokenGenerator::Create("secret-secret-secret", std::string_view("short")).has_value());
  auto enc = OpenTokenGenerator::Create("secret-secret-secret", std::string_view("0123456789abcdef0123456789abcdef"));
  ASSERT_TRUE(enc.has_value());
  OpenTokenResult sealed;
  ASSERT_TRUE((*enc)->Generate(v, &sealed).ok());
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(Base64Decode(sealed.tokens[4], &bytes));
  EXPECT_EQ(bytes.size(), 12u + 44u + 16u) << "iv | ciphertext of the base64 token | tag";
  EXPECT_EQ(sealed.tokens[3], kOpenTokenBlank) << "blank tokens are not encrypted";
}

}  // namespace
}  // namespace matchguard
