#include "src/normalize/person.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

struct Loaded {
  Table table;
  PersonTable people;
};

Loaded Load(std::string_view csv, const NormalizeOptions& options = {}) {
  auto table = ParseCsvTable(csv, "people.csv");
  EXPECT_TRUE(table.has_value()) << table.error().message();
  if (!table.has_value()) return {};
  auto mapping = DetectFields(*table);
  EXPECT_TRUE(mapping.has_value()) << mapping.error().message();
  auto people = NormalizePeople(*table, *mapping, options);
  EXPECT_TRUE(people.has_value()) << people.error().message();
  if (!people.has_value()) return {};
  return {std::move(table).value(), std::move(people).value()};
}

TEST(NormalizePeopleTest, NormalisesEveryMappedFieldAndCountsInvalidValues) {
  Loaded l = Load(
      "Person ID,Given Name,Surname,DOB,Sex,SSN,ZIP,Address,notes\n"
      "p1,José,Ñúñez-García,1990-02-30,F,123-45-6789,12345-6789,1 North Main Street,x\n"
      "p2,ÅSA,O'Brien,01/31/1990,male,666-12-3456,,, \n"
      "p3,,Smith,19900131,u,5304218,4223,12 Pinkerton Circuit,\n");
  const PersonTable& p = l.people;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p.source_name(), "people.csv");
  EXPECT_EQ(p.id(1), "p2");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 0), "jose");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 1), "asa");
  EXPECT_EQ(p.value(FieldKind::kLastName, 0), "nunez garcia");
  EXPECT_EQ(p.value(FieldKind::kLastName, 1), "obrien");
  EXPECT_EQ(p.value(FieldKind::kDob, 0), "");
  EXPECT_EQ(p.value(FieldKind::kDob, 1), "1990-01-31");
  EXPECT_EQ(p.value(FieldKind::kDob, 2), "1990-01-31");
  EXPECT_EQ(p.value(FieldKind::kSex, 0), "f");
  EXPECT_EQ(p.value(FieldKind::kSex, 1), "m");
  EXPECT_EQ(p.value(FieldKind::kSsn, 0), "123456789");
  EXPECT_EQ(p.value(FieldKind::kSsn, 1), "");
  EXPECT_EQ(p.value(FieldKind::kSsn, 2), "005304218");
  EXPECT_EQ(p.value(FieldKind::kZip, 0), "12345");
  EXPECT_EQ(p.value(FieldKind::kZip, 2), "04223");
  EXPECT_EQ(p.value(FieldKind::kStreet, 0), "1 n main st");
  EXPECT_EQ(p.value(FieldKind::kStreet, 2), "12 pinkerton cir");
  EXPECT_FALSE(p.has(FieldKind::kEmail));
  EXPECT_FALSE(p.has(FieldKind::kFullName));

  EXPECT_EQ(p.stats(FieldKind::kFirstName).filled, 2u);
  EXPECT_EQ(p.stats(FieldKind::kDob).filled, 3u);
  EXPECT_EQ(p.stats(FieldKind::kDob).invalid, 1u);
  EXPECT_EQ(p.stats(FieldKind::kSex).invalid, 1u);
  EXPECT_EQ(p.stats(FieldKind::kSsn).invalid, 1u);
  EXPECT_EQ(p.stats(FieldKind::kZip).filled, 2u);
  EXPECT_EQ(p.mapping().column(FieldKind::kStreet), 7u);
}

TEST(NormalizePeopleTest, DateOrderOptionReachesTheDates) {
  NormalizeOptions dmy;
  dmy.date_order = DateOrder::kDayMonth;
  Loaded l = Load("dob\n02/01/1990\n", dmy);
  EXPECT_EQ(l.people.value(FieldKind::kDob, 0), "1990-01-02");
}

TEST(NormalizePeopleTest, RowNumbersStandInForAMissingId) {
  Loaded l = Load("surname\na\nb\n");
  EXPECT_FALSE(l.people.has(FieldKind::kId));
  EXPECT_EQ(l.people.id(0), "1");
  EXPECT_EQ(l.people.id(1), "2");
}

TEST(NormalizePeopleTest, FullNameAloneAlsoGivesFirstAndLastNames) {
  Loaded l = Load("name\nJohn A. Smith\n\"García, María José\"\nMadonna\n\n");
  const PersonTable& p = l.people;
  ASSERT_TRUE(p.has(FieldKind::kFirstName));
  ASSERT_TRUE(p.has(FieldKind::kLastName));
  EXPECT_EQ(p.value(FieldKind::kFullName, 0), "john a smith");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 0), "john");
  EXPECT_EQ(p.value(FieldKind::kLastName, 0), "smith");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 1), "maria");
  EXPECT_EQ(p.value(FieldKind::kLastName, 1), "garcia");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 2), "madonna");
  EXPECT_EQ(p.value(FieldKind::kLastName, 2), "");
  EXPECT_EQ(p.stats(FieldKind::kLastName).filled, 2u);
}

TEST(NormalizePeopleTest, FullNameAloneGivesTheMiddleNameBetweenFirstAndLast) {
  Loaded l =
      Load("name\nJohn A. Smith\n\"Davis, Timothy W\"\n\"Ruiz, Maria Jose Luisa\"\nAnn Smith\nDr Mary Ann Lee Jr\n");
  const PersonTable& p = l.people;
  ASSERT_TRUE(p.has(FieldKind::kMiddleName));
  EXPECT_EQ(p.value(FieldKind::kMiddleName, 0), "a");
  EXPECT_EQ(p.value(FieldKind::kMiddleName, 1), "w");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 2), "maria");
  EXPECT_EQ(p.value(FieldKind::kMiddleName, 2), "jose luisa");
  EXPECT_EQ(p.value(FieldKind::kMiddleName, 3), "");  // unknown, not "none"
  EXPECT_EQ(p.value(FieldKind::kMiddleName, 4), "ann");
  EXPECT_EQ(p.stats(FieldKind::kMiddleName).filled, 4u);
}

TEST(NormalizePeopleTest, FullNamesWithoutMiddleNamesGiveNoMiddleNameField) {
  Loaded l = Load("name\nJohn Smith\n\"Lee, Ann\"\n");
  EXPECT_FALSE(l.people.has(FieldKind::kMiddleName));
}

TEST(NormalizePeopleTest, AMiddleNameColumnWinsOverTheFullName) {
  Loaded l = Load("name,mname\nJohn A Smith,Bert\n");
  EXPECT_EQ(l.people.value(FieldKind::kMiddleName, 0), "bert");
  EXPECT_EQ(l.people.value(FieldKind::kFirstName, 0), "john");
}

TEST(NormalizePeopleTest, FullNameSplitSkipsTitlesAndSuffixes) {
  Loaded l = Load("name\nDr. John A. Smith Jr.\n\"Van der Berg III, Mrs Ann\"\nJohn Jr\n");
  const PersonTable& p = l.people;
  EXPECT_EQ(p.value(FieldKind::kFirstName, 0), "john");
  EXPECT_EQ(p.value(FieldKind::kLastName, 0), "smith");
  EXPECT_EQ(p.value(FieldKind::kFirstName, 1), "ann");
  EXPECT_EQ(p.value(FieldKind::kLastName, 1), "van der berg");
  // One word left is a first name, as for any one-word name.
  EXPECT_EQ(p.value(FieldKind::kFirstName, 2), "john");
  EXPECT_EQ(p.value(FieldKind::kLastName, 2), "");
}

TEST(NormalizePeopleTest, FullNameBesideFirstAndLastIsOnlyFolded) {
  Loaded l = Load("name,first_name,last_name\nJohn Smith,Jon,Smyth\n");
  EXPECT_EQ(l.people.value(FieldKind::kFirstName, 0), "jon");
  EXPECT_EQ(l.people.value(FieldKind::kLastName, 0), "smyth");
}

TEST(NormalizePeopleTest, MappingBeyondTheTableIsAnError) {
  auto table = ParseCsvTable("a\n1\n", "people.csv");
  ASSERT_TRUE(table.has_value());
  FieldMapping mapping;
  mapping.columns[static_cast<size_t>(FieldKind::kDob)] = 3;
  auto people = NormalizePeople(*table, mapping);
  ASSERT_FALSE(people.has_value());
  EXPECT_THAT(people.error().message(), HasSubstr("people.csv: the field mapping puts dob in column 4"));
}

TEST(NormalizePeopleTest, FebrlDataset4a) {
  auto table = ReadCsvTable(*DefaultFileSystem(), std::string(MATCHGUARD_SHARED_DIR) + "/data/febrl/dataset4a.csv");
  ASSERT_TRUE(table.has_value()) << table.error().message();
  auto mapping = DetectFields(*table);
  ASSERT_TRUE(mapping.has_value());
  auto people = NormalizePeople(*table, *mapping);
  ASSERT_TRUE(people.has_value());
  ASSERT_EQ(people->size(), 5000u);
  // The first record: rec-1070-org, michaela, neumann, 8, stanley street, ..., 19151111, 5304218.
  EXPECT_EQ(people->id(0), "rec-1070-org");
  EXPECT_EQ(people->value(FieldKind::kFirstName, 0), "michaela");
  EXPECT_EQ(people->value(FieldKind::kStreet, 0), "stanley st");
  EXPECT_EQ(people->value(FieldKind::kCity, 0), "winston hills");
  EXPECT_EQ(people->value(FieldKind::kZip, 0), "04223");
  EXPECT_EQ(people->value(FieldKind::kDob, 0), "1915-11-11");
  EXPECT_EQ(people->value(FieldKind::kSsn, 0), "005304218");
  // Most FEBRL values are well formed; a few dates of birth are impossible on purpose.
  const FieldStats& ssn = people->stats(FieldKind::kSsn);
  EXPECT_GT(ssn.filled, 4800u);
  EXPECT_LT(ssn.invalid, 50u);
  const FieldStats& dob = people->stats(FieldKind::kDob);
  EXPECT_GT(dob.filled, 4800u);
  EXPECT_LT(dob.invalid, 100u);
}

}  // namespace
}  // namespace matchguard
