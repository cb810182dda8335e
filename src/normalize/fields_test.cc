#include "src/normalize/fields.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

Table HeaderOnly(std::string_view header) {
  auto table = ParseCsvTable(std::string(header) + "\n", "people.csv");
  EXPECT_TRUE(table.has_value()) << table.error().message();
  return table.has_value() ? std::move(table).value() : Table();
}

FieldMapping Detect(std::string_view header, const std::map<FieldKind, std::string>& overrides = {}) {
  auto mapping = DetectFields(HeaderOnly(header), overrides);
  EXPECT_TRUE(mapping.has_value()) << mapping.error().message();
  return mapping.has_value() ? *mapping : FieldMapping();
}

TEST(FieldKindTest, NamesRoundTrip) {
  for (size_t i = 0; i < kFieldKindCount; ++i) {
    const auto kind = static_cast<FieldKind>(i);
    EXPECT_EQ(ParseFieldKind(FieldKindName(kind)), kind) << FieldKindName(kind);
  }
  EXPECT_EQ(FieldKindName(FieldKind::kFirstName), "first_name");
  EXPECT_EQ(FieldKindName(FieldKind::kStreetNumber), "street_number");
  EXPECT_FALSE(ParseFieldKind("firstname").has_value());
}

struct SynonymCase {
  std::string_view header;
  FieldKind kind;
};

TEST(DetectFieldsTest, EverySynonymIgnoringCaseSpacesDashesAndUnderscores) {
  const SynonymCase cases[] = {
      {"id", FieldKind::kId},
      {"Record ID", FieldKind::kId},
      {"rec_id", FieldKind::kId},
      {"PERSON-ID", FieldKind::kId},
      {"unique_id", FieldKind::kId},
      {"first_name", FieldKind::kFirstName},
      {"Given Name", FieldKind::kFirstName},
      {"first", FieldKind::kFirstName},
      {"FName", FieldKind::kFirstName},
      {"forename", FieldKind::kFirstName},
      {"middle_name", FieldKind::kMiddleName},
      {"Middle", FieldKind::kMiddleName},
      {"mname", FieldKind::kMiddleName},
      {"last_name", FieldKind::kLastName},
      {"Surname", FieldKind::kLastName},
      {"family-name", FieldKind::kLastName},
      {"last", FieldKind::kLastName},
      {"lname", FieldKind::kLastName},
      {"Name", FieldKind::kFullName},
      {"full_name", FieldKind::kFullName},
      {"DOB", FieldKind::kDob},
      {"date_of_birth", FieldKind::kDob},
      {"Birth Date", FieldKind::kDob},
      {"birthdate", FieldKind::kDob},
      {"sex", FieldKind::kSex},
      {"Gender", FieldKind::kSex},
      {"sex_code", FieldKind::kSex},
      {"SSN", FieldKind::kSsn},
      {"social_security_number", FieldKind::kSsn},
      {"soc_sec_id", FieldKind::kSsn},
      {"street", FieldKind::kStreet},
      {"Address", FieldKind::kStreet},
      {"address_1", FieldKind::kStreet},
      {"Address Line 1", FieldKind::kStreet},
      {"street_address", FieldKind::kStreet},
      {"street_number", FieldKind::kStreetNumber},
      {"city", FieldKind::kCity},
      {"Suburb", FieldKind::kCity},
      {"town", FieldKind::kCity},
      {"state", FieldKind::kState},
      {"zip", FieldKind::kZip},
      {"ZIP Code", FieldKind::kZip},
      {"zipcode", FieldKind::kZip},
      {"postcode", FieldKind::kZip},
      {"postal_code", FieldKind::kZip},
      {"postal", FieldKind::kZip},
      {"phone", FieldKind::kPhone},
      {"Phone Number", FieldKind::kPhone},
      {"email", FieldKind::kEmail},
      {"e_mail", FieldKind::kEmail},
      {"E-Mail", FieldKind::kEmail},
      {"mbi", FieldKind::kMbi},
      {"Medicare Beneficiary Identifier", FieldKind::kMbi},
  };
  for (const SynonymCase& c : cases) {
    FieldMapping mapping = Detect(std::string("other,") + std::string(c.header));
    EXPECT_EQ(mapping.column(c.kind), 1u) << c.header;
  }
}

TEST(DetectFieldsTest, FebrlHeader) {
  FieldMapping m = Detect(
      "rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, "
      "date_of_birth, soc_sec_id");
  EXPECT_EQ(m.column(FieldKind::kId), 0u);
  EXPECT_EQ(m.column(FieldKind::kFirstName), 1u);
  EXPECT_EQ(m.column(FieldKind::kLastName), 2u);
  EXPECT_EQ(m.column(FieldKind::kStreetNumber), 3u);
  EXPECT_EQ(m.column(FieldKind::kStreet), 4u);
  EXPECT_EQ(m.column(FieldKind::kCity), 6u);
  EXPECT_EQ(m.column(FieldKind::kZip), 7u);
  EXPECT_EQ(m.column(FieldKind::kState), 8u);
  EXPECT_EQ(m.column(FieldKind::kDob), 9u);
  EXPECT_EQ(m.column(FieldKind::kSsn), 10u);
  EXPECT_FALSE(m.has(FieldKind::kSex));
  EXPECT_FALSE(m.has(FieldKind::kFullName));
}

TEST(DetectFieldsTest, UnknownHeadersAreLeftUnmappedAndTheFirstMatchWins) {
  FieldMapping m = Detect("notes,zip,postcode,surname_2");
  EXPECT_EQ(m.column(FieldKind::kZip), 1u);
  EXPECT_FALSE(m.has(FieldKind::kLastName));
}

TEST(DetectFieldsTest, OverridesWinAndClaimTheirColumn) {
  // GivenName is not a synonym; "first" would otherwise be detected as the first name.
  FieldMapping m = Detect("first,GivenName,Born", {{FieldKind::kFirstName, "GivenName"}, {FieldKind::kDob, "Born"}});
  EXPECT_EQ(m.column(FieldKind::kFirstName), 1u);
  EXPECT_EQ(m.column(FieldKind::kDob), 2u);
  // A column an override claims is not detected as another field.
  FieldMapping claimed = Detect("surname,x", {{FieldKind::kMiddleName, "surname"}});
  EXPECT_EQ(claimed.column(FieldKind::kMiddleName), 0u);
  EXPECT_FALSE(claimed.has(FieldKind::kLastName));
}

TEST(DetectFieldsTest, OverrideMatchesTheHeaderLooselyWhenUnambiguous) {
  FieldMapping m = Detect("id,Given Name", {{FieldKind::kFirstName, "given_name"}});
  EXPECT_EQ(m.column(FieldKind::kFirstName), 1u);
}

TEST(DetectFieldsTest, OverrideNamingAMissingColumnListsTheColumnsFound) {
  auto mapping = DetectFields(HeaderOnly("id,fname,lname"), {{FieldKind::kDob, "Birthday"}});
  ASSERT_FALSE(mapping.has_value());
  EXPECT_EQ(mapping.error().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(mapping.error().message(),
              HasSubstr("people.csv: the field mapping names column 'Birthday' for dob, but the file has no such "
                        "column; columns found: id, fname, lname"));
}

}  // namespace
}  // namespace matchguard
