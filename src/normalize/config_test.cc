#include "src/normalize/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace matchguard {
namespace {

using ::testing::HasSubstr;

std::string ConfigError(std::string_view text) {
  auto config = ParseInputConfig(text, "c.toml");
  EXPECT_FALSE(config.has_value());
  if (config.has_value()) return "";
  EXPECT_EQ(config.error().code(), StatusCode::kInvalidArgument);
  return config.error().message();
}

TEST(InputConfigTest, ReadsInputAndFieldsAndSkipsOtherTables) {
  auto config = ParseInputConfig(
      "[input]\n"
      "delimiter = \"pipe\"\n"
      "date_format = \"dmy\"\n"
      "trim_spaces = false\n"
      "[fields]\n"
      "first_name = \"GivenName\"\n"
      "dob = \"Born On\"\n"
      "[blocking]\n"
      "rules = [\"dob\"]\n"
      "[model]\n"
      "whatever = 1\n",
      "c.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->csv.delimiter, '|');
  EXPECT_FALSE(config->csv.trim_unquoted);
  EXPECT_EQ(config->normalize.date_order, DateOrder::kDayMonth);
  ASSERT_EQ(config->fields.size(), 2u);
  EXPECT_EQ(config->fields.at(FieldKind::kFirstName), "GivenName");
  EXPECT_EQ(config->fields.at(FieldKind::kDob), "Born On");
}

TEST(InputConfigTest, EmptyFileGivesDefaults) {
  auto config = ParseInputConfig("", "c.toml");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->csv.delimiter, ',');
  EXPECT_TRUE(config->csv.trim_unquoted);
  EXPECT_EQ(config->normalize.date_order, DateOrder::kAuto);
  EXPECT_TRUE(config->fields.empty());
}

TEST(InputConfigTest, ErrorsNameFileLineAndKey) {
  EXPECT_THAT(ConfigError("[input]\ndelimiter = \"colon\"\n"),
              HasSubstr("c.toml:2: input.delimiter must be \"comma\", \"tab\", \"pipe\" or \"semicolon\""));
  EXPECT_THAT(ConfigError("[input]\n\ndate_format = 3\n"),
              HasSubstr("c.toml:3: input.date_format must be a string: \"auto\", \"mdy\" or \"dmy\""));
  EXPECT_THAT(ConfigError("[input]\ndate_format = \"ymd\"\n"), HasSubstr("c.toml:2: input.date_format must be"));
  EXPECT_THAT(ConfigError("[input]\ntrim_spaces = \"yes\"\n"),
              HasSubstr("c.toml:2: input.trim_spaces must be true or false"));
  EXPECT_THAT(ConfigError("[input]\nseparator = \",\"\n"),
              HasSubstr("c.toml:2: unknown key input.separator (expected delimiter, date_format or trim_spaces)"));
  EXPECT_THAT(ConfigError("[fields]\nfirst_name = \"a\"\nbirthday = \"b\"\n"),
              HasSubstr("c.toml:3: unknown field fields.birthday (expected one of id, first_name,"));
  EXPECT_THAT(ConfigError("[fields]\nfirst_name = 7\n"), HasSubstr("c.toml:2: fields.first_name must be a string"));
  EXPECT_THAT(ConfigError("[fields]\nfirst_name = \"\"\n"),
              HasSubstr("c.toml:2: fields.first_name must name a column"));
  EXPECT_THAT(ConfigError("[link]\nthreshold = 1\n\n[outputs]\nx = 1\n"),
              HasSubstr("c.toml:4: unknown table or key outputs (expected input, fields, blocking"));
  EXPECT_THAT(ConfigError("verbose = true\n"), HasSubstr("c.toml:1: unknown table or key verbose"));
  EXPECT_THAT(ConfigError("input = 3\n"), HasSubstr("c.toml:1: input must be a table"));
}

TEST(InputConfigTest, MalformedTomlNamesTheLine) {
  EXPECT_THAT(ConfigError("[input]\ndelimiter = \"comma\"\ndate_format = \n"), HasSubstr("c.toml:3: malformed TOML"));
}

TEST(InputConfigTest, LoadsThroughTheFileSystem) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("in.toml", "[input]\ndelimiter = \"tab\"\n").ok());
  auto config = LoadInputConfig(*fs, "in.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  EXPECT_EQ(config->csv.delimiter, '\t');
  auto missing = LoadInputConfig(*fs, "none.toml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.error().message(), HasSubstr("none.toml"));
}

}  // namespace
}  // namespace matchguard
