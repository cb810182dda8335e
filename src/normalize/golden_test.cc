// Golden test on real data: the normalised form of the first 30 records of FEBRL dataset4a, pinned in
// tests/golden/normalize/dataset4a_head.csv (reviewed by hand). Regenerate after an intended change with
// MATCHGUARD_UPDATE_GOLDEN=1 and review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "src/io/csv.h"
#include "src/normalize/fields.h"
#include "src/normalize/person.h"

namespace matchguard {
namespace {

constexpr size_t kGoldenRows = 30;

std::string GoldenPath() {
  return (std::filesystem::path(__FILE__).parent_path() / "../../tests/golden/normalize/dataset4a_head.csv")
      .lexically_normal()
      .string();
}

std::string NormalisedHead(const PersonTable& people) {
  std::vector<FieldKind> kinds;
  std::string out;
  for (size_t i = 0; i < kFieldKindCount; ++i) {
    const auto kind = static_cast<FieldKind>(i);
    if (!people.has(kind)) continue;
    if (!kinds.empty()) out += ',';
    out += FieldKindName(kind);
    kinds.push_back(kind);
  }
  out += '\n';
  for (size_t row = 0; row < kGoldenRows && row < people.size(); ++row) {
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (k > 0) out += ',';
      AppendCsvField(&out, people.value(kinds[k], row));
    }
    out += '\n';
  }
  return out;
}

TEST(GoldenTest, FebrlDataset4aHead) {
  FileSystem& fs = *DefaultFileSystem();
  auto table = ReadCsvTable(fs, std::string(MATCHGUARD_SHARED_DIR) + "/data/febrl/dataset4a.csv");
  ASSERT_TRUE(table.has_value()) << table.error().message();
  auto mapping = DetectFields(*table);
  ASSERT_TRUE(mapping.has_value());
  auto people = NormalizePeople(*table, *mapping);
  ASSERT_TRUE(people.has_value());
  const std::string got = NormalisedHead(*people);
  if (std::getenv("MATCHGUARD_UPDATE_GOLDEN") != nullptr) {
    ASSERT_TRUE(fs.WriteFileAtomically(GoldenPath(), got).ok());
  }
  auto want = fs.ReadFile(GoldenPath());
  ASSERT_TRUE(want.has_value()) << want.error().message();
  EXPECT_EQ(got, *want);
}

}  // namespace
}  // namespace matchguard
