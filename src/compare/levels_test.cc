#include "src/compare/levels.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/io/csv.h"

namespace matchguard {
namespace {

LevelSpec SpecFor(FieldKind field, bool first_and_last = true) {
  LevelSpec spec{field, std::string(FieldKindName(field)), LevelNames(field, first_and_last), 1};
  if (field == FieldKind::kStreet || field == FieldKind::kCity) spec.jw_high = 0.9;
  return spec;
}

std::string LevelName(FieldKind field, std::string_view a, std::string_view b) {
  LevelSpec spec = SpecFor(field);
  int ab = ValueLevel(spec, a, b);
  int ba = ValueLevel(spec, b, a);
  EXPECT_EQ(ab, ba) << a << " / " << b << " is not symmetric";
  return spec.levels[ab];
}

struct Case {
  FieldKind field;
  const char* a;
  const char* b;
  const char* level;
};

TEST(LevelsTest, ValueLevelsBothWaysRound) {
  const Case cases[] = {
      {FieldKind::kFirstName, "martha", "marhta", "jw_high"},  // JW 0.9611
      {FieldKind::kFirstName, "dwayne", "duane", "else"},      // JW 0.84
      {FieldKind::kLastName, "dixon", "dicksonx", "else"},     // JW 0.8133
      {FieldKind::kFirstName, "jon", "john", "jw_high"},       // JW 0.9333
      {FieldKind::kFirstName, "william", "bill", "nickname"},
      {FieldKind::kFirstName, "margaret", "peggy", "nickname"},
      {FieldKind::kFirstName, "j", "john", "initial"},
      {FieldKind::kMiddleName, "a", "anne", "initial"},
      {FieldKind::kFirstName, "xavier", "john", "else"},
      {FieldKind::kLastName, "smith", "smith jones", "surname_part"},
      {FieldKind::kLastName, "garcia", "nunez garcia", "surname_part"},
      {FieldKind::kLastName, "smith", "nguyen", "else"},
      {FieldKind::kDob, "1980-03-04", "1980-04-03", "day_month_swapped"},
      {FieldKind::kDob, "1980-03-04", "1981-03-04", "year_off_by_one"},
      {FieldKind::kDob, "1980-03-04", "1980-03-05", "one_part_differs"},
      {FieldKind::kDob, "1980-03-04", "1990-03-04", "one_part_differs"},
      {FieldKind::kDob, "1980-03-04", "1980-01-01", "same_year"},
      {FieldKind::kDob, "1980-03-04", "1990-05-04", "else"},
      {FieldKind::kDob, "1980-03-04", "1981-01-01", "else"},
      {FieldKind::kSsn, "123456789", "123456798", "transposition"},
      {FieldKind::kSsn, "123456789", "123456780", "one_digit"},
      {FieldKind::kSsn, "123456789", "123456700", "else"},
      {FieldKind::kZip, "20001", "20009", "first3"},
      {FieldKind::kZip, "20001", "30001", "else"},
      {FieldKind::kStreet, "main st", "mian st", "jw"},
      {FieldKind::kStreet, "main st", "oak ave", "else"},
      {FieldKind::kCity, "springfield", "springfeld", "jw"},
      {FieldKind::kSex, "m", "f", "else"},
      {FieldKind::kPhone, "2025550100", "2025550101", "one_digit"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(LevelName(c.field, c.a, c.b), c.level) << FieldKindName(c.field) << ": " << c.a << " / " << c.b;
  }
}

TEST(LevelsTest, ThresholdsComeFromTheSpec) {
  LevelSpec spec = SpecFor(FieldKind::kFirstName);
  EXPECT_EQ(spec.levels[ValueLevel(spec, "dwayne", "duane")], "else");
  spec.jw_low = 0.80;
  EXPECT_EQ(spec.levels[ValueLevel(spec, "dwayne", "duane")], "jw_low");
}

TEST(LevelsTest, LevelNamesStartWithNullAndEndWithElse) {
  for (FieldKind f : DefaultComparedFields()) {
    for (bool both : {false, true}) {
      std::vector<std::string> names = LevelNames(f, both);
      ASSERT_GE(names.size(), 3u);
      EXPECT_EQ(names.front(), "null");
      EXPECT_EQ(names.back(), "else");
      EXPECT_EQ(names[1], "exact");
      EXPECT_LE(names.size(), 15u);
    }
  }
  EXPECT_THAT(LevelNames(FieldKind::kFirstName, true), ::testing::Contains("swapped"));
  EXPECT_THAT(LevelNames(FieldKind::kFirstName, false), ::testing::Not(::testing::Contains("swapped")));
}

PersonTable People(std::string_view csv, const std::string& name) {
  auto table = ParseCsvTable(csv, name);
  EXPECT_TRUE(table.has_value()) << table.error().message();
  auto mapping = DetectFields(*table);
  EXPECT_TRUE(mapping.has_value()) << mapping.error().message();
  auto people = NormalizePeople(*table, *mapping);
  EXPECT_TRUE(people.has_value()) << people.error().message();
  return std::move(people).value();
}

std::vector<std::string> Levels(const PairComparer& comparer, uint32_t l, uint32_t r) {
  LevelPattern p = comparer.Compare(l, r);
  std::vector<std::string> out;
  for (size_t c = 0; c < comparer.specs().size(); ++c) out.push_back(comparer.specs()[c].levels[PatternLevel(p, c)]);
  return out;
}

TEST(PairComparerTest, PatternsOfRecordPairs) {
  PersonTable left = People(
      "id,first_name,last_name,dob,ssn\n"
      "a1,John,Smith,1980-03-04,123456789\n"
      "a2,Mary,Jones,1975-12-01,\n"
      "a3,Zbigniew,Smith,1990-01-02,987654321\n",
      "left.csv");
  PersonTable right = People(
      "id,first_name,last_name,dob,ssn\n"
      "b1,Jon,Smith,1980-04-03,123456798\n"
      "b2,Jones,Mary,1975-12-01,111223333\n"
      "b3,Zbigniew,Smyth,1990-01-02,\n",
      "right.csv");
  std::vector<LevelSpec> specs = DefaultLevelSpecs(left, &right, {});
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "first_name");
  EXPECT_EQ(specs[3].name, "ssn");
  auto comparer = PairComparer::Create(left, &right, specs);
  ASSERT_TRUE(comparer.has_value()) << comparer.error().message();
  const PairComparer& pc = **comparer;
  EXPECT_THAT(Levels(pc, 0, 0), ::testing::ElementsAre("jw_high", "exact", "day_month_swapped", "transposition"));
  EXPECT_THAT(Levels(pc, 1, 1), ::testing::ElementsAre("swapped", "swapped", "exact", "null"));
  EXPECT_THAT(Levels(pc, 2, 2), ::testing::ElementsAre("exact", "jw_low", "exact", "null"));  // smyth: JW 0.893

  // The batch path (with memoised value pairs) agrees with the one-pair path, including repeats.
  std::vector<uint32_t> l = {0, 1, 2, 0, 2, 1, 0}, r = {0, 1, 2, 0, 0, 2, 1};
  std::vector<LevelPattern> out(l.size());
  pc.ComparePairs(l.data(), r.data(), l.size(), out.data());
  for (size_t i = 0; i < l.size(); ++i) EXPECT_EQ(out[i], pc.Compare(l[i], r[i])) << i;

  // "smith" is 3 of the 6 last names, "zbigniew" 2 of the 6 first names.
  EXPECT_DOUBLE_EQ(pc.LeftValueFrequency(1, 0), 3.0 / 6.0);
  EXPECT_DOUBLE_EQ(pc.LeftValueFrequency(0, 2), 2.0 / 6.0);
  EXPECT_DOUBLE_EQ(pc.LeftValueFrequency(3, 1), 0.0);  // missing SSN
}

TEST(PairComparerTest, DedupeComparesRowsOfOneTable) {
  PersonTable people = People("first_name,last_name,sex\nann,lee,f\nanne,lee,f\nbob,ray,m\n", "p.csv");
  std::vector<LevelSpec> specs = DefaultLevelSpecs(people, nullptr, {});
  ASSERT_EQ(specs.size(), 3u);
  auto comparer = PairComparer::Create(people, nullptr, specs);
  ASSERT_TRUE(comparer.has_value());
  EXPECT_THAT(Levels(**comparer, 0, 1), ::testing::ElementsAre("jw_high", "exact", "exact"));
  EXPECT_THAT(Levels(**comparer, 0, 2), ::testing::ElementsAre("else", "else", "else"));
}

TEST(PairComparerTest, OnlyRequestedFieldsPresentInBothTables) {
  PersonTable left = People("first_name,last_name,zip\nann,lee,20001\n", "l.csv");
  PersonTable right = People("first_name,last_name,city\nann,lee,boston\n", "r.csv");
  ComparisonOptions options;
  options.fields = {FieldKind::kZip, FieldKind::kLastName};
  std::vector<LevelSpec> specs = DefaultLevelSpecs(left, &right, options);
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].name, "last_name");
  EXPECT_THAT(specs[0].levels, ::testing::Not(::testing::Contains("swapped")));  // first_name not compared
}

}  // namespace
}  // namespace matchguard
