#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "matchguard/link.h"
#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

const char* const kFirst[] = {"james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda",
                              "william", "elizabeth", "david", "barbara", "richard", "susan", "joseph", "jessica",
                              "thomas", "sarah", "charles", "karen", "zbigniew", "ottoline", "pascal", "ines"};
const char* const kLast[] = {"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
                             "rodriguez", "martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson",
                             "thomas", "taylor", "moore", "jackson", "martin", "kowalczyk", "oyelaran"};

// A typo: one character replaced.
std::string Typo(std::string s, std::mt19937_64& rng) {
  if (s.size() > 1) s[rng() % s.size()] = static_cast<char>('a' + rng() % 26);
  return s;
}

// `people` persons; the left file holds all, the right file a noisy copy of the first `overlap` plus
// strangers. Ids: L<i> and R<i>, person i in both when i < overlap.
void MakeFiles(FileSystem& fs, int people, int overlap) {
  std::mt19937_64 rng(7);
  std::string left = "id,first_name,last_name,dob,zip,sex\n", right = left;
  for (int i = 0; i < people + (people - overlap); ++i) {
    std::string first = kFirst[rng() % std::size(kFirst)], last = kLast[rng() % std::size(kLast)];
    std::string dob = std::to_string(1930 + rng() % 70) + "-" + std::to_string(10 + rng() % 3) + "-" +
                      std::to_string(10 + rng() % 18);
    std::string zip = std::to_string(10000 + rng() % 90000), sex = rng() % 2 ? "m" : "f";
    if (i < people) left += "L" + std::to_string(i) + "," + first + "," + last + "," + dob + "," + zip + "," + sex + "\n";
    if (i < overlap || i >= people) {
      if (rng() % 3 == 0) first = Typo(first, rng);
      if (rng() % 4 == 0) last = Typo(last, rng);
      if (rng() % 10 == 0) zip.clear();
      right += "R" + std::to_string(i) + "," + first + "," + last + "," + dob + "," + zip + "," + sex + "\n";
    }
  }
  ASSERT_TRUE(fs.WriteFileAtomically("left.csv", left).ok());
  ASSERT_TRUE(fs.WriteFileAtomically("right.csv", right).ok());
}

LinkOptions Options(FileSystem* fs) {
  LinkOptions options;
  options.fs = fs;
  options.left_path = "left.csv";
  options.right_path = "right.csv";
  options.output_path = "pairs.csv";
  options.random_pairs_for_tests = 20000;
  return options;
}

Table ReadOutput(FileSystem& fs, const std::string& path) {
  auto table = ReadCsvTable(fs, path);
  EXPECT_TRUE(table.has_value()) << table.error().message();
  return table.has_value() ? std::move(table).value() : Table();
}

TEST(LinkFilesTest, LinksNoisyCopiesWithoutConfiguration) {
  auto fs = NewMemoryFileSystem();
  MakeFiles(*fs, 600, 400);
  LinkOptions options = Options(fs.get());
  options.one_to_one = true;
  auto summary = LinkFiles(options);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_THAT(summary->fields, ::testing::ElementsAre("first_name", "last_name", "dob", "sex", "zip"));
  EXPECT_GT(summary->candidate_pairs, 400u);
  EXPECT_TRUE(summary->em_converged) << summary->em_note;
  Table pairs = ReadOutput(*fs, "pairs.csv");
  EXPECT_THAT(pairs.column_names(),
              ::testing::ElementsAre("left_id", "right_id", "match_probability", "match_weight"));
  size_t true_positives = 0;
  for (size_t row = 0; row < pairs.num_rows(); ++row) {
    true_positives += pairs.Get(0, row).substr(1) == pairs.Get(1, row).substr(1);
    EXPECT_GE(std::stod(std::string(pairs.Get(2, row))), 0.5);
  }
  double precision = static_cast<double>(true_positives) / pairs.num_rows();
  double recall = true_positives / 400.0;
  EXPECT_GT(precision, 0.97);
  EXPECT_GT(recall, 0.97);
  EXPECT_EQ(summary->links, pairs.num_rows());
  std::vector<std::string> stages;
  for (const StageTime& t : summary->stages) stages.push_back(t.stage);
  EXPECT_THAT(stages, ::testing::ElementsAre("read", "normalise", "block", "compare", "train", "score", "write"));
}

TEST(LinkFilesTest, ExplainAddsLevelsAndWeightsThatSumToTheMatchWeight) {
  auto fs = NewMemoryFileSystem();
  MakeFiles(*fs, 300, 200);
  LinkOptions options = Options(fs.get());
  options.explain = true;
  ASSERT_TRUE(LinkFiles(options).has_value());
  Table pairs = ReadOutput(*fs, "pairs.csv");
  ASSERT_EQ(pairs.num_columns(), 4u + 2 * 5);
  EXPECT_EQ(pairs.column_names()[4], "first_name_level");
  EXPECT_EQ(pairs.column_names()[5], "first_name_weight");
  ASSERT_GT(pairs.num_rows(), 0u);
  for (size_t row = 0; row < pairs.num_rows(); ++row) {
    double sum = 0;
    for (size_t c = 5; c < pairs.num_columns(); c += 2) sum += std::stod(std::string(pairs.Get(c, row)));
    EXPECT_NEAR(sum, std::stod(std::string(pairs.Get(3, row))), 1e-3 * 5);
  }
}

TEST(LinkFilesTest, SavedModelScoresTheSameAndOtherFieldsAreRefused) {
  auto fs = NewMemoryFileSystem();
  MakeFiles(*fs, 300, 200);
  LinkOptions options = Options(fs.get());
  options.save_model_path = "model.json";
  ASSERT_TRUE(LinkFiles(options).has_value());
  auto first = fs->ReadFile("pairs.csv");
  options.save_model_path.clear();
  options.model_path = "model.json";
  options.output_path = "pairs2.csv";
  auto loaded = LinkFiles(options);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message();
  EXPECT_TRUE(loaded->model_loaded);
  EXPECT_EQ(*fs->ReadFile("pairs2.csv"), *first);

  options.match_fields = {"first_name", "last_name", "dob"};
  options.output_path = "pairs3.csv";
  auto refused = LinkFiles(options);
  ASSERT_FALSE(refused.has_value());
  EXPECT_THAT(refused.error().message(), HasSubstr("model.json: refusing a model trained on other fields"));
  EXPECT_TRUE(refused.error().IsUserError());
  EXPECT_FALSE(fs->Exists("pairs3.csv"));
}

TEST(LinkFilesTest, NoUsableFieldsNamesTheColumnsAndSuggestsAConfig) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("left.csv", "colour,shoe\nred,9\n").ok());
  ASSERT_TRUE(fs->WriteFileAtomically("right.csv", "colour,shoe\nred,9\n").ok());
  auto result = LinkFiles(Options(fs.get()));
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message(), HasSubstr("left.csv: no column is recognised as a person field"));
  EXPECT_THAT(result.error().message(), HasSubstr("colour, shoe"));
  EXPECT_THAT(result.error().message(), HasSubstr("--config"));
  EXPECT_FALSE(fs->Exists("pairs.csv"));
}

TEST(LinkFilesTest, EmptyRightFileGivesAHeaderOnlyOutput) {
  auto fs = NewMemoryFileSystem();
  MakeFiles(*fs, 100, 50);
  ASSERT_TRUE(fs->WriteFileAtomically("right.csv", "id,first_name,last_name,dob,zip,sex\n").ok());
  auto summary = LinkFiles(Options(fs.get()));
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  EXPECT_EQ(*fs->ReadFile("pairs.csv"), "left_id,right_id,match_probability,match_weight\n");
}

TEST(LinkFilesTest, OutputColumnsAreCopiedOnlyWhenAsked) {
  auto fs = NewMemoryFileSystem();
  MakeFiles(*fs, 100, 80);
  LinkOptions options = Options(fs.get());
  options.output_columns = {"zip"};
  ASSERT_TRUE(LinkFiles(options).has_value());
  Table pairs = ReadOutput(*fs, "pairs.csv");
  EXPECT_THAT(pairs.column_names(), ::testing::ElementsAre("left_id", "right_id", "match_probability",
                                                           "match_weight", "left_zip", "right_zip"));
  options.output_columns = {"ssn"};
  auto missing = LinkFiles(options);
  ASSERT_FALSE(missing.has_value());
  EXPECT_THAT(missing.error().message(), HasSubstr("output column ssn is not in left.csv"));
}

TEST(DedupeFileTest, ClustersGetTheSmallestRecordIdAndEveryRecordIsWritten) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("people.csv",
                                      "id,first_name,last_name,dob,zip\n"
                                      "z9,anna,kowalczyk,1970-01-02,20001\n"
                                      "b2,anna,kowalczyk,1970-01-02,20001\n"
                                      "c3,ana,kowalczyk,1970-01-02,20001\n"
                                      "d4,bob,oyelaran,1950-05-06,30003\n"
                                      "a1,robert,oyelaran,1950-05-06,30003\n"
                                      "e5,carl,nguyen,1990-09-09,40004\n")
                  .ok());
  LinkOptions options;
  options.fs = fs.get();
  options.left_path = "people.csv";
  options.output_path = "clusters.csv";
  options.config_path = "c.toml";
  // A tiny file cannot teach EM much; fix the key parameters so the test checks the clustering.
  ASSERT_TRUE(fs->WriteFileAtomically("c.toml",
                                      "[blocking]\nrules = [\"dob\"]\n"
                                      "[model]\nm.first_name.exact = 0.8\nu.first_name.exact = 0.01\n"
                                      "m.first_name.jw_high = 0.1\nu.first_name.jw_high = 0.01\n"
                                      "m.first_name.nickname = 0.05\nu.first_name.nickname = 0.001\n"
                                      "m.last_name.exact = 0.9\nu.last_name.exact = 0.01\n"
                                      "m.dob.exact = 0.95\nu.dob.exact = 0.001\n"
                                      "m.zip.exact = 0.9\nu.zip.exact = 0.01\n")
                  .ok());
  auto summary = DedupeFile(options);
  ASSERT_TRUE(summary.has_value()) << summary.error().message();
  Table clusters = ReadOutput(*fs, "clusters.csv");
  ASSERT_EQ(clusters.num_rows(), 6u);
  std::map<std::string, std::string> cluster_of;
  for (size_t row = 0; row < clusters.num_rows(); ++row) {
    cluster_of[std::string(clusters.Get(0, row))] = clusters.Get(1, row);
  }
  EXPECT_EQ(cluster_of["z9"], "b2");
  EXPECT_EQ(cluster_of["b2"], "b2");
  EXPECT_EQ(cluster_of["c3"], "b2");
  EXPECT_EQ(cluster_of["d4"], "a1");
  EXPECT_EQ(cluster_of["a1"], "a1");
  EXPECT_EQ(cluster_of["e5"], "e5");
  EXPECT_EQ(summary->clusters, 3u);
}

TEST(PlanLinkageTest, CountsPairsPerRuleBeforeComparing) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFileAtomically("left.csv", "first_name,last_name,dob\nann,lee,1970-01-01\nbo,lee,1970-01-01\n").ok());
  ASSERT_TRUE(fs->WriteFileAtomically("right.csv", "first_name,last_name,dob\nann,lee,1970-01-01\nx,y,1980-01-01\n").ok());
  ASSERT_TRUE(fs->WriteFileAtomically("c.toml", "[blocking]\nrules = [\"dob\", \"last_name\"]\n").ok());
  LinkOptions options = Options(fs.get());
  options.config_path = "c.toml";
  auto plan = PlanLinkage(options);
  ASSERT_TRUE(plan.has_value()) << plan.error().message();
  ASSERT_EQ(plan->rules.size(), 2u);
  EXPECT_EQ(plan->rules[0].rule, "dob");
  EXPECT_EQ(plan->rules[0].pairs, 2u);
  EXPECT_EQ(plan->rules[1].pairs, 2u);
  EXPECT_EQ(plan->total_pairs_upper_bound, 4u);
  EXPECT_THAT(PlanReportText(*plan), HasSubstr("dob"));
}

TEST(LinkFilesTest, ConfigErrorsNameTheLineAndLeaveNoOutput) {
  auto fs = NewMemoryFileSystem();
  MakeFiles(*fs, 50, 40);
  ASSERT_TRUE(fs->WriteFileAtomically("c.toml", "[model]\nm.first_name.twin = 0.5\n").ok());
  LinkOptions options = Options(fs.get());
  options.config_path = "c.toml";
  auto result = LinkFiles(options);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message(), HasSubstr("c.toml:2: model.m.first_name.twin: unknown level twin"));
  EXPECT_FALSE(fs->Exists("pairs.csv"));
}

}  // namespace
}  // namespace matchguard
