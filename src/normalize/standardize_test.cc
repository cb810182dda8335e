#include "src/normalize/standardize.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Table Parse(std::string_view text, const char* name) {
  auto table = ParseCsvTable(std::string(text), name);
  EXPECT_TRUE(table.has_value()) << table.error().message();
  return table.has_value() ? std::move(table).value() : Table();
}

const std::vector<StandardizedName> kSchema = {
    {"record_id", false}, {"first_name", true}, {"last_name", true}, {"dob", true}, {"sex", true}, {"phone", false}};

// Two agencies' layouts of the same two people give identical standardised tables.
TEST(StandardizeTest, DifferentLayoutsGiveTheSameValues) {
  const Table left = Parse(
      "record_id,first_name,last_name,dob,sex\n"
      "E1,Ethel,O'Brien,1933-05-26,F\n"
      "E2,José,Park-Lee,1960-01-02,M\n",
      "left.csv");
  const Table right = Parse(
      "gender,birth_date,surname,given_name,person_id\n"
      "Female,05/26/1933,OBRIEN,ETHEL,E1\n"
      "male,01/02/1960,PARK LEE,JOSE,E2\n",
      "right.csv");
  auto a = StandardizeColumns(left, kSchema);
  auto b = StandardizeColumns(right, kSchema);
  ASSERT_TRUE(a.has_value()) << a.error().message();
  ASSERT_TRUE(b.has_value()) << b.error().message();
  EXPECT_EQ(a->column_names(), b->column_names());
  EXPECT_EQ(a->column_names()[1], "first_name");
  for (size_t c = 0; c < a->num_columns(); ++c) {
    for (size_t r = 0; r < 2; ++r) EXPECT_EQ(a->Get(c, r), b->Get(c, r)) << a->column_names()[c] << " row " << r;
  }
  EXPECT_EQ(a->Get(3, 0), "1933-05-26");
  EXPECT_EQ(a->Get(4, 1), "m");
  EXPECT_EQ(a->Get(2, 0), "obrien");
  EXPECT_EQ(a->Get(5, 0), "");  // no phone column: an empty optional column
  EXPECT_EQ(b->source_line(1), 3u);
}

TEST(StandardizeTest, MissingRequiredFieldNamesFileAndFieldButNoValue) {
  const Table table = Parse("record_id,first_name,dob,sex\nE1,Ethel,1933-05-26,F\n", "people.csv");
  auto out = StandardizeColumns(table, kSchema);
  ASSERT_FALSE(out.has_value());
  EXPECT_THAT(out.error().message(), HasSubstr("people.csv"));
  EXPECT_THAT(out.error().message(), HasSubstr("last_name"));
  EXPECT_THAT(out.error().message(), Not(HasSubstr("Ethel")));
  auto unknown = StandardizeColumns(table, {{"favourite_colour", true}});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_THAT(unknown.error().message(), HasSubstr("names no known person field"));
}

}  // namespace
}  // namespace matchguard
