#include "matchguard/inspect.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace matchguard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 12 people in one city and state with the same first name, SSN and date of birth (a file with a default
// value filled in), plus one other: only the non-identifying fields may show their common values.
std::string RepeatedFile() {
  std::string csv = "id,first_name,ssn,dob,city,state,email\n";
  for (int i = 0; i < 12; ++i) {
    csv += "r" + std::to_string(i) + ",Ann,123-45-6789,1990-01-02,Dapto,NSW,ann@example.com\n";
  }
  csv += "r12,Bob,000-00-0000,1990-02-30,Kela,VIC,bob@example.com\n";
  return csv;
}

InspectReport MustInspect(FileSystem& fs, const InspectOptions& options) {
  auto report = InspectFile(fs, options);
  EXPECT_TRUE(report.has_value()) << report.error().message();
  return report.has_value() ? *report : InspectReport();
}

const InspectField* Find(const InspectReport& report, std::string_view name) {
  for (const InspectField& f : report.fields) {
    if (f.field == name) return &f;
  }
  return nullptr;
}

TEST(InspectTest, CountsAndTopValuesOfNonIdentifyingFieldsOnly) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("p.csv", RepeatedFile()).ok());
  InspectReport report = MustInspect(*fs, {.path = "p.csv"});
  EXPECT_EQ(report.rows, 13u);
  EXPECT_TRUE(report.unmapped_columns.empty());

  const InspectField* first = Find(report, "first_name");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->column, "first_name");
  EXPECT_EQ(first->filled, 13u);
  EXPECT_EQ(first->distinct, 2u);
  EXPECT_TRUE(first->values_shown);
  ASSERT_EQ(first->top_values.size(), 1u);  // "bob" is seen once: below the cell-size threshold
  EXPECT_EQ(first->top_values[0].value, "ann");
  EXPECT_EQ(first->top_values[0].count, 12u);

  for (std::string_view identifying : {"id", "ssn", "dob", "email"}) {
    const InspectField* f = Find(report, identifying);
    ASSERT_NE(f, nullptr) << identifying;
    EXPECT_FALSE(f->values_shown) << identifying;
    EXPECT_TRUE(f->top_values.empty()) << identifying;
  }
  const InspectField* ssn = Find(report, "ssn");
  EXPECT_EQ(ssn->invalid, 1u);
  EXPECT_EQ(ssn->distinct, 1u);
  EXPECT_EQ(Find(report, "dob")->invalid, 1u);
  EXPECT_DOUBLE_EQ(Find(report, "city")->fill_rate, 1.0);

  const std::string text = FormatInspectText(report);
  const std::string json = FormatInspectJson(report);
  for (const std::string& out : {text, json}) {
    EXPECT_THAT(out, Not(HasSubstr("123456789")));
    EXPECT_THAT(out, Not(HasSubstr("1990-01-02")));
    EXPECT_THAT(out, Not(HasSubstr("example.com")));
    EXPECT_THAT(out, Not(HasSubstr("r12")));
    EXPECT_THAT(out, Not(HasSubstr("bob")));
  }
  EXPECT_THAT(text, HasSubstr("ann (12)"));
  EXPECT_THAT(text, HasSubstr("dapto (12)"));
}

TEST(InspectTest, CountsManyDistinctValuesAndBreaksTiesByValue) {
  std::string csv = "id,zip\n";
  for (int i = 0; i < 3000; ++i) csv += "id" + std::to_string(i) + "," + std::to_string(10000 + i % 100) + "\n";
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("p.csv", csv).ok());
  InspectReport report = MustInspect(*fs, {.path = "p.csv"});
  EXPECT_EQ(Find(report, "id")->distinct, 3000u);
  const InspectField* zip = Find(report, "zip");
  EXPECT_EQ(zip->distinct, 100u);
  ASSERT_EQ(zip->top_values.size(), kInspectTopValues);
  EXPECT_EQ(zip->top_values[0].value, "10000");
  EXPECT_EQ(zip->top_values[0].count, 30u);
  EXPECT_EQ(zip->top_values[4].value, "10004");
}

TEST(InspectTest, JsonHasTheDocumentedKeys) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("p.csv", RepeatedFile()).ok());
  const auto json = nlohmann::json::parse(FormatInspectJson(MustInspect(*fs, {.path = "p.csv"})));
  EXPECT_EQ(json["file"], "p.csv");
  EXPECT_EQ(json["rows"], 13);
  EXPECT_EQ(json["columns"].size(), 7u);
  EXPECT_EQ(json["min_shown_count"], kInspectMinShownCount);
  const auto& state = json["fields"][5];
  EXPECT_EQ(state["field"], "state");
  EXPECT_EQ(state["column"], "state");
  EXPECT_EQ(state["filled"], 13);
  EXPECT_EQ(state["invalid"], 0);
  EXPECT_EQ(state["distinct"], 2);
  EXPECT_EQ(state["values_shown"], true);
  EXPECT_EQ(state["top_values"][0]["value"], "nsw");
  EXPECT_EQ(state["top_values"][0]["count"], 12);
}

TEST(InspectTest, ConfigAndDelimiterApply) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("p.txt", "Key|Given|Extra\n1|Ann|x\n").ok());
  ASSERT_TRUE(
      fs->WriteFileAtomically("c.toml", "[input]\ndelimiter = \"tab\"\n[fields]\nfirst_name = \"Given\"\n").ok());
  // The flag overrides the config's delimiter.
  InspectReport report = MustInspect(*fs, {.path = "p.txt", .config_path = "c.toml", .delimiter = "pipe"});
  ASSERT_NE(Find(report, "first_name"), nullptr);
  EXPECT_EQ(Find(report, "first_name")->column, "Given");
  EXPECT_EQ(report.unmapped_columns, (std::vector<std::string>{"Key", "Extra"}));
}

TEST(InspectTest, FullNameSplitIsReported) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("p.csv", "name\nAnn Lee\n").ok());
  InspectReport report = MustInspect(*fs, {.path = "p.csv"});
  ASSERT_NE(Find(report, "last_name"), nullptr);
  EXPECT_EQ(Find(report, "last_name")->column, "(from full_name)");
  EXPECT_FALSE(Find(report, "full_name")->values_shown);
}

TEST(InspectTest, ErrorsNameTheFile) {
  auto fs = NewMemoryFileSystem();
  auto missing = InspectFile(*fs, {.path = "gone.csv"});
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(missing.error().IsUserError());
  EXPECT_THAT(missing.error().message(), HasSubstr("gone.csv"));
  ASSERT_TRUE(fs->WriteFileAtomically("r.csv", "a,b\n1,2\n3\n").ok());
  auto ragged = InspectFile(*fs, {.path = "r.csv"});
  ASSERT_FALSE(ragged.has_value());
  EXPECT_THAT(ragged.error().message(), HasSubstr("r.csv: line 3"));
  auto bad_delimiter = InspectFile(*fs, {.path = "r.csv", .delimiter = "colon"});
  ASSERT_FALSE(bad_delimiter.has_value());
  EXPECT_THAT(bad_delimiter.error().message(), HasSubstr("--delimiter: unknown delimiter 'colon'"));
}

}  // namespace
}  // namespace matchguard
