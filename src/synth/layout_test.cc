#include "src/synth/layout.h"

#include <gtest/gtest.h>

#include "src/synth/population.h"

namespace matchguard::synth {
namespace {

Observed Sample() {
  Observed o;
  o.first = "José";
  o.middle = "J";
  o.last = "Núñez";
  o.dob = Date{1980, 3, 4};
  o.sex = 'F';
  o.ssn = "012345678";
  o.house_number = "1234";
  o.street_name = "Oak";
  o.street_suffix_word = "Street";
  o.street_suffix_abbreviation = "St";
  o.city = 20;  // Boston, MA, ZIP3 021
  o.city_name = "Boston";
  o.zip = "02134";
  o.phone = "6175550134";
  o.mbi = "1EG4TE5MK73";
  return o;
}

std::string Render(std::initializer_list<ColumnSpec> columns, const Observed& o, uint64_t seed = 1) {
  std::vector<ColumnSpec> specs(columns);
  FileLayout layout{"id", 'X', specs};
  Rng rng(seed, Stream::kLeft, 0);
  std::string out;
  std::string scratch;
  AppendColumns(layout, o, rng, &out, &scratch);
  return out;
}

TEST(LayoutTest, HeaderListsTheIdThenEveryColumn) {
  std::vector<ColumnSpec> specs = {{"fname", ColumnFormat::kFirstName}, {"zip5", ColumnFormat::kZipNumber}};
  EXPECT_EQ(LayoutHeader(FileLayout{"uid", 'U', specs}), "uid,fname,zip5");
}

TEST(LayoutTest, FormatsWriteTheValueTheirNameSays) {
  Observed o = Sample();
  using F = ColumnFormat;
  EXPECT_EQ(Render({{"a", F::kDobIso}, {"b", F::kDobUs}, {"c", F::kDobCompact}, {"d", F::kDobTimestamp}}, o),
            ",1980-03-04,03/04/1980,19800304,1980-03-04 00:00:00");
  EXPECT_EQ(Render({{"a", F::kSexLetter}, {"b", F::kSexWord}, {"c", F::kSexDigit}}, o), ",F,Female,2");
  EXPECT_EQ(Render({{"a", F::kSsn}, {"b", F::kSsn, 1.0}, {"c", F::kSsnSpaced, 1.0}, {"d", F::kSsnNumber}}, o),
            ",012345678,012-34-5678,012 34 5678,12345678");
  EXPECT_EQ(Render({{"a", F::kStreet, 1.0}, {"b", F::kStreet}, {"c", F::kHouseNumber}, {"d", F::kStreetName}}, o),
            ",1234 Oak Street,1234 Oak St,1234,Oak St");
  EXPECT_EQ(Render({{"a", F::kCity}, {"b", F::kState}, {"c", F::kZip}, {"d", F::kZipNumber}}, o),
            ",Boston,MA,02134,2134");
  EXPECT_EQ(Render({{"a", F::kPhone}, {"b", F::kPhone, 1.0}, {"c", F::kPhoneDigits}, {"d", F::kPhoneDotted}}, o),
            ",617-555-0134,(617) 555-0134,6175550134,617.555.0134");
  EXPECT_EQ(Render({{"a", F::kMbi}, {"b", F::kMbi, 1.0}}, o), ",1EG4TE5MK73,1EG4-TE5-MK73");
  std::string plus4 = Render({{"a", F::kZipPlus4, 1.0}, {"b", F::kZipPlus4Digits, 1.0}}, o);
  EXPECT_EQ(plus4.substr(0, 7), ",02134-");
  EXPECT_EQ(plus4.size(), std::string(",02134-1234,021341234").size()) << plus4;
  o.suffix_dropped = true;
  EXPECT_EQ(Render({{"a", F::kStreet, 1.0}}, o), ",1234 Oak");
}

TEST(LayoutTest, FullNamesPutTheSurnameFirstWithAComma) {
  Observed o = Sample();
  using F = ColumnFormat;
  EXPECT_EQ(Render({{"name", F::kFullName, 1.0, TextCase::kUpper}}, o), ",\"NÚÑEZ, JOSÉ J\"");
  EXPECT_EQ(Render({{"name", F::kFullName, 0.0, TextCase::kUpperAscii}}, o), ",JOSE J NUNEZ");
  o.generation = 'J';
  EXPECT_EQ(Render({{"name", F::kFullName, 1.0}}, o), ",\"Núñez Jr, José J\"");
  EXPECT_EQ(Render({{"name", F::kFullName}}, o), ",José J Núñez Jr");
  o.generation = 0;
  o.first.clear();
  o.middle.clear();
  EXPECT_EQ(Render({{"name", F::kFullName, 1.0}}, o), ",\"Núñez,\"");
  EXPECT_EQ(Render({{"name", F::kFullName}}, o), ",Núñez");
  o.first = "Ana";
  o.last.clear();
  EXPECT_EQ(Render({{"name", F::kFullName, 1.0}}, o), ",\", Ana\"");
  o.first.clear();
  EXPECT_EQ(Render({{"name", F::kFullName, 1.0, TextCase::kAsWritten, "UNKNOWN"}}, o), ",UNKNOWN");
}

TEST(LayoutTest, MissingValuesAreWrittenAsTheSystemWritesThem) {
  Observed o = Sample();
  o.sex = 0;
  o.ssn.clear();
  o.dob_missing = true;
  o.address_missing = true;
  using F = ColumnFormat;
  EXPECT_EQ(Render({{"sex", F::kSexLetter, 0, TextCase::kAsWritten, "U"},
                    {"gender", F::kSexDigit, 0, TextCase::kAsWritten, "0"},
                    {"ssn", F::kSsn, 0.4},
                    {"dob", F::kDobCompact},
                    {"house", F::kHouseNumber},
                    {"street", F::kStreetName, 0.5}},
                   o),
            ",U,0,,,,");
}

// A column without variation draws nothing, so adding one never shifts another column's draws.
TEST(LayoutTest, OnlyVaryingColumnsDraw) {
  Observed o = Sample();
  using F = ColumnFormat;
  std::vector<ColumnSpec> fixed = {{"a", F::kSsn}, {"b", F::kZipPlus4}, {"c", F::kPhone}, {"d", F::kFullName}};
  Rng used(1, Stream::kLeft, 0);
  Rng untouched(1, Stream::kLeft, 0);
  std::string out;
  std::string scratch;
  AppendColumns(FileLayout{"id", 'X', fixed}, o, used, &out, &scratch);
  EXPECT_EQ(used.Next(), untouched.Next());
}

}  // namespace
}  // namespace matchguard::synth
