#include "src/normalize/values.h"

#include <gtest/gtest.h>

#include <span>

namespace matchguard {
namespace {

// "" in `want` means invalid.
struct Golden {
  std::string_view raw;
  std::string_view want;
};

void ExpectGolden(FieldKind kind, std::span<const Golden> cases, NormalizeOptions options = {}) {
  for (const Golden& c : cases) {
    std::optional<std::string> got = NormalizedValue(kind, c.raw, options);
    EXPECT_EQ(got.value_or(""), c.want) << FieldKindName(kind) << " '" << c.raw << "'";
  }
}

TEST(NormalizeDateTest, GoldenFormats) {
  const Golden cases[] = {
      {"1990-01-31", "1990-01-31"},
      {"1990/1/5", "1990-01-05"},
      {"19900131", "1990-01-31"},
      {"01/31/1990", "1990-01-31"},
      {"1/2/1990", "1990-01-02"},
      {"31-01-1990", "1990-01-31"},
      {"02-01-1990", "1990-01-02"},
      {"31.01.1990", "1990-01-31"},
      {"1990-01-31T00:00:00", "1990-01-31"},
      {" 1990-01-31 ", "1990-01-31"},
      // Automatic order: slashes are month/day and dashes day-month unless that gives a month above 12.
      {"31/01/1990", "1990-01-31"},
      {"01-31-1990", "1990-01-31"},
      // Leap years.
      {"2000-02-29", "2000-02-29"},
      {"2024-02-29", "2024-02-29"},
  };
  ExpectGolden(FieldKind::kDob, cases);
}

TEST(NormalizeDateTest, ImpossibleAndMalformedDatesAreInvalid) {
  const Golden cases[] = {
      {"2023-02-30", ""}, {"1900-02-29", ""}, {"2023-13-01", ""},  {"2023-00-10", ""}, {"2023-04-31", ""},
      {"13/13/1990", ""}, {"1849-12-31", ""}, {"2101-01-01", ""},  {"19901301", ""},   {"1990", ""},
      {"90-01-31", ""},   {"1/2/90", ""},     {"1990-01-31x", ""}, {"abc", ""},        {"1990-01/31", ""},
      {"", ""},           {"1990--31", ""},
  };
  ExpectGolden(FieldKind::kDob, cases);
}

TEST(NormalizeDateTest, DateOrderSettlesAmbiguousDates) {
  NormalizeOptions dmy;
  dmy.date_order = DateOrder::kDayMonth;
  const Golden day_month[] = {{"02/01/1990", "1990-01-02"}, {"02-01-1990", "1990-01-02"}, {"01/31/1990", ""}};
  ExpectGolden(FieldKind::kDob, day_month, dmy);
  NormalizeOptions mdy;
  mdy.date_order = DateOrder::kMonthDay;
  const Golden month_day[] = {{"02/01/1990", "1990-02-01"}, {"02-01-1990", "1990-02-01"}, {"31/01/1990", ""}};
  ExpectGolden(FieldKind::kDob, month_day, mdy);
}

TEST(NormalizeSsnTest, Golden) {
  const Golden cases[] = {
      {"123-45-6789", "123456789"},
      {"123456789", "123456789"},
      {"123 45 6789", "123456789"},
      {"5304218", "005304218"},  // FEBRL's seven-digit numbers pad to valid SSNs
      {"4066625", "004066625"},
      {"1", ""},  // pads to 000000001: area 000
      {"000-12-3456", ""},
      {"666-12-3456", ""},
      {"900-12-3456", ""},
      {"999-12-3456", ""},
      {"123-00-4567", ""},
      {"123-45-0000", ""},
      {"1234567890", ""},
      {"12345678a", ""},
      {"", ""},
      {"899-99-9999", "899999999"},
  };
  ExpectGolden(FieldKind::kSsn, cases);
}

TEST(NormalizeSexTest, Golden) {
  const Golden cases[] = {{"M", "m"}, {"male", "m"},  {" Male ", "m"}, {"1", "m"},      {"F", "f"}, {"FEMALE", "f"},
                          {"2", "f"}, {"Woman", "f"}, {"U", ""},       {"unknown", ""}, {"x", ""},  {"", ""}};
  ExpectGolden(FieldKind::kSex, cases);
}

TEST(NormalizeZipTest, Golden) {
  const Golden cases[] = {{"12345", "12345"}, {"12345-6789", "12345"}, {"123456789", "12345"},
                          {"4223", "04223"},  {"501", "00501"},        {"00000", ""},
                          {"123456", ""},     {"K1A 0B1", ""},         {"12345-67a9", ""}};
  ExpectGolden(FieldKind::kZip, cases);
}

TEST(NormalizeStreetTest, Golden) {
  const Golden cases[] = {
      {"Stanley Street", "stanley st"},
      {"123 North Main Street", "123 n main st"},
      {"Pinkerton Circuit", "pinkerton cir"},
      {"Salkauskas Crescent", "salkauskas cres"},
      {"Macquoid Place", "macquoid pl"},
      {"5th Avenue SW", "5th ave sw"},
      {"Sunset Boulevard", "sunset blvd"},
      {"Old Mill Road", "old mill rd"},
      {"Elm Av.", "elm ave"},
      {"Rue Saint-Honoré", "rue saint honore"},
      {"Southwest Terrace", "sw ter"},
      {"Ocean Drive", "ocean dr"},
      {"Court Lane", "court ln"},
      {"", ""},
      {"Main Street North", "main st n"},
      {"North Street", "n st"},
      {"North", "north"},
      {"Stanley Str", "stanley st"},
  };
  ExpectGolden(FieldKind::kStreet, cases);
}

TEST(NormalizeMbiTest, ValidAndInvalid) {
  const Golden cases[] = {
      {"1EG4-TE5-MK73", "1EG4TE5MK73"},  // the CMS example
      {"1eg4te5mk73", "1EG4TE5MK73"},
      {"9AA0AA0AA00", "9AA0AA0AA00"},
      {"1A00A00AA00", "1A00A00AA00"},
      {"0EG4TE5MK73", ""},   // position 1 must be 1-9
      {"1SG4TE5MK73", ""},   // S excluded
      {"1EG4TE5ML73", ""},   // L excluded at position 9
      {"1EGATE5MK73", ""},   // position 4 numeric
      {"1EG4TE5MK7", ""},    // ten characters
      {"1EG4TE5MK733", ""},  // twelve
      {"1EG4ZE5MK73", ""},   // Z excluded at position 5
      {"1EG4TEAMK73", ""},   // position 7 numeric
      {"1EG4TE5MK7B", ""},   // position 11 numeric
  };
  ExpectGolden(FieldKind::kMbi, cases);
}

TEST(NormalizePhoneTest, Golden) {
  const Golden cases[] = {{"(555) 123-4567", "5551234567"},
                          {"+1 555 123 4567", "5551234567"},
                          {"555.123.4567 x89", "5551234567"},
                          {"123-4567", "1234567"},
                          {"12345", ""},
                          {"555#1234567", ""}};
  ExpectGolden(FieldKind::kPhone, cases);
}

TEST(NormalizeEmailTest, Golden) {
  const Golden cases[] = {{" Ann.Lee@Example.COM ", "ann.lee@example.com"},
                          {"a@b.co", "a@b.co"},
                          {"no-at-sign.com", ""},
                          {"@example.com", ""},
                          {"a@@example.com", ""},
                          {"a@localhost", ""},
                          {"a b@example.com", ""},
                          {"a@example.", ""}};
  ExpectGolden(FieldKind::kEmail, cases);
}

TEST(NormalizeStateTest, NamesBecomeCodes) {
  const Golden cases[] = {{"New York", "ny"},         {"NY", "ny"},
                          {"new south wales", "nsw"}, {"NSW", "nsw"},
                          {"Virginia", "va"},         {"West  Virginia", "wv"},
                          {"Ontario", "ontario"},     {"", ""}};
  ExpectGolden(FieldKind::kState, cases);
}

TEST(NormalizeValueTest, NamesIdsAndCities) {
  EXPECT_EQ(NormalizedValue(FieldKind::kFirstName, "José").value_or(""), "jose");
  EXPECT_EQ(NormalizedValue(FieldKind::kLastName, "Ñúñez-García").value_or(""), "nunez garcia");
  EXPECT_EQ(NormalizedValue(FieldKind::kCity, "WINSTON HILLS").value_or(""), "winston hills");
  EXPECT_EQ(NormalizedValue(FieldKind::kId, " rec-1-org ").value_or(""), "rec-1-org");
  EXPECT_EQ(NormalizedValue(FieldKind::kStreetNumber, "12B").value_or(""), "12b");
  EXPECT_FALSE(NormalizedValue(FieldKind::kFirstName, "--").has_value());
  EXPECT_FALSE(NormalizedValue(FieldKind::kFirstName, "").has_value());
}

TEST(ValuesTest, DeclaredFormatRefusesAnSsnAsAnMbiWithoutQuotingIt) {
  EXPECT_TRUE(CheckDeclaredFormat(FieldKind::kMbi, "1EG4-TE5-MK73").ok());
  EXPECT_TRUE(CheckDeclaredFormat(FieldKind::kMbi, "").ok());  // blank is released blank
  Status ssn_as_mbi = CheckDeclaredFormat(FieldKind::kMbi, "123-45-6789");
  EXPECT_EQ(ssn_as_mbi.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ssn_as_mbi.message().find("123"), std::string::npos);
  EXPECT_NE(ssn_as_mbi.message().find("is not an MBI"), std::string::npos);
  EXPECT_FALSE(CheckDeclaredFormat(FieldKind::kSsn, "000-12-3456").ok());
  EXPECT_FALSE(CheckDeclaredFormat(FieldKind::kDob, "1980-02-30").ok());
  EXPECT_TRUE(CheckDeclaredFormat(FieldKind::kLastName, "=HYPERLINK(1)").ok());  // free text: neutralised, not judged
}

}  // namespace
}  // namespace matchguard
