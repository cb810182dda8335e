// Bit-for-bit equality with clkhash 0.18.3 on every row of every case in the shared vector pack.
#include <gmock/gmock.h>
#include <gtest/gtest.h>


#include "matchguard/file_system.h"
#include "src/encode/clk_encoder.h"
#include "src/encode/clk_file.h"
#include "src/io/csv.h"

namespace matchguard {
namespace {

std::string ReadText(const std::string& path) {
  auto data = DefaultFileSystem()->ReadFile(path);
  return data ? *data : std::string();
}

std::string VectorDir(const std::string& name) {
  return std::string(MATCHGUARD_SHARED_DIR) + "/data/vectors/clkhash/" + name;
}

class ClkVectorsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ClkVectorsTest, EveryRowEqualsClkhash) {
  std::string dir = VectorDir(GetParam());
  auto schema = ParseClkSchema(ReadText(dir + "/schema.json"), "schema.json");
  ASSERT_TRUE(schema.has_value()) << schema.error().message();
  auto encoder = ClkEncoder::Create(*schema, ReadText(dir + "/secret.txt"));
  ASSERT_TRUE(encoder.has_value()) << encoder.error().message();
  CsvOptions no_trim;
  no_trim.trim_unquoted = false;
  auto input = ParseCsvTable(ReadText(dir + "/input.csv"), "input.csv", no_trim);
  ASSERT_TRUE(input.has_value()) << input.error().message();
  auto expected = ParseCsvTable(ReadText(dir + "/expected.csv"), "expected.csv");
  ASSERT_TRUE(expected.has_value());
  ASSERT_EQ(input->num_rows(), 300u);
  ASSERT_EQ(expected->num_rows(), input->num_rows());
  ASSERT_EQ(input->column_names(), (*encoder)->schema().Identifiers());

  auto worker = (*encoder)->NewWorker();
  std::vector<std::string_view> values(input->num_columns());
  std::vector<uint8_t> clk((*encoder)->clk_bytes());
  size_t mismatches = 0;
  for (size_t row = 0; row < input->num_rows(); ++row) {
    for (size_t c = 0; c < values.size(); ++c) values[c] = input->Get(c, row);
    FieldError error;
    ASSERT_TRUE((*encoder)->Encode(*worker, values, clk.data(), &error))
        << "row " << row << " feature " << error.feature << ": " << error.message;
    ASSERT_EQ(expected->Get(0, row), std::to_string(row));
    std::string got = Base64Encode(clk.data(), clk.size());
    if (got != expected->Get(1, row)) {
      ++mismatches;
      ADD_FAILURE_AT(__FILE__, __LINE__) << GetParam() << " row " << row << " differs";
      if (mismatches > 3) break;
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

INSTANTIATE_TEST_SUITE_P(Cases, ClkVectorsTest,
                         ::testing::Values("febrl-doublehash", "febrl-blake", "xorfold-positional"));

}  // namespace
}  // namespace matchguard
