#include "src/block/blocking.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "matchguard/file_system.h"
#include "src/io/csv.h"

namespace matchguard {
namespace {

using ::testing::HasSubstr;

// A table of plain columns for the tests: {field -> values}, all the same length.
class TestTable {
 public:
  TestTable(std::string name, const std::map<FieldKind, std::vector<std::string>>& fields) {
    view_.source_name = std::move(name);
    for (const auto& [kind, values] : fields) {
      Column& column = columns_[static_cast<size_t>(kind)];
      for (const auto& v : values) column.Append(v);
      view_.columns[static_cast<size_t>(kind)] = &column;
      view_.rows = values.size();
    }
  }
  TestTable(const TestTable&) = delete;
  const FieldColumns& view() const { return view_; }
  const FieldColumns* ptr() const { return &view_; }

 private:
  std::array<Column, kFieldKindCount> columns_;
  FieldColumns view_;
};

BlockingRule Rule(std::string_view text) {
  auto rule = ParseBlockingRule(text);
  EXPECT_TRUE(rule.has_value()) << rule.error().message();
  return rule.has_value() ? *rule : BlockingRule{};
}

std::vector<BlockingRule> Rules(std::initializer_list<std::string_view> texts) {
  std::vector<BlockingRule> rules;
  for (auto t : texts) rules.push_back(Rule(t));
  return rules;
}

using PairList = std::vector<std::pair<uint32_t, uint32_t>>;

PairList ToList(const CandidatePairs& pairs) {
  PairList out;
  EXPECT_EQ(pairs.left.size(), pairs.right.size());
  for (size_t i = 0; i < pairs.left.size(); ++i) out.emplace_back(pairs.left[i], pairs.right[i]);
  return out;
}

PairList MustGenerate(const FieldColumns& left, const FieldColumns* right, const std::vector<BlockingRule>& rules,
                      BlockingPlan* counts = nullptr) {
  auto pairs = GenerateCandidates(left, right, rules, 1'000'000, counts);
  EXPECT_TRUE(pairs.has_value()) << pairs.error().message();
  return pairs.has_value() ? ToList(*pairs) : PairList{};
}

// The definition: a pair is a candidate when some rule gives both rows the same non-empty key.
PairList BruteForce(const FieldColumns& left, const FieldColumns* right, const std::vector<BlockingRule>& rules) {
  const FieldColumns& other = right ? *right : left;
  PairList out;
  for (uint32_t l = 0; l < left.rows; ++l) {
    for (uint32_t r = right ? 0 : l + 1; r < other.rows; ++r) {
      for (const auto& rule : rules) {
        const std::string kl = BlockingKey(left, rule, l);
        if (!kl.empty() && kl == BlockingKey(other, rule, r)) {
          out.emplace_back(l, r);
          break;
        }
      }
    }
  }
  return out;
}

TEST(BlockingRuleTest, ParsesAndPrintsTheDocumentedForms) {
  for (std::string_view text : {"ssn", "dob", "soundex(last_name)+year(dob)", "first(first_name)+first(last_name)+zip",
                                "last4(ssn)+year(dob)", "nysiis(last_name)", "first3(last_name)+sex"}) {
    BlockingRule rule = Rule(text);
    EXPECT_EQ(BlockingRuleToString(rule), text);
    EXPECT_EQ(rule.name, text);
  }
  BlockingRule rule = Rule(" Soundex( LAST_NAME ) + Year(dob) ");
  EXPECT_EQ(rule.name, "soundex(last_name)+year(dob)");
  ASSERT_EQ(rule.parts.size(), 2u);
  EXPECT_EQ(rule.parts[0].field, FieldKind::kLastName);
  EXPECT_EQ(rule.parts[0].transform, KeyTransform::kSoundex);
  EXPECT_EQ(rule.parts[1].transform, KeyTransform::kYear);
  EXPECT_EQ(Rule("last4(ssn)").parts[0].n, 4);
  EXPECT_EQ(Rule("last4(ssn)").parts[0].transform, KeyTransform::kLastN);
  EXPECT_EQ(BlockingRuleToString(Rule("first1(zip)")), "first(zip)");
  EXPECT_EQ(BlockingRuleToString(Rule("exact(zip)")), "zip");
}

TEST(BlockingRuleTest, ErrorsNameTheRuleAndPart) {
  auto error = [](std::string_view text) {
    auto rule = ParseBlockingRule(text);
    EXPECT_FALSE(rule.has_value()) << text;
    return rule.has_value() ? std::string() : rule.error().message();
  };
  EXPECT_THAT(error(""), HasSubstr("blocking rule is empty"));
  EXPECT_THAT(error("ssn+"), HasSubstr("blocking rule 'ssn+', part 2 (''): the part is empty"));
  EXPECT_THAT(error("surname"), HasSubstr("part 1 ('surname'): unknown field 'surname'"));
  EXPECT_THAT(error("metaphone(last_name)"), HasSubstr("unknown transform 'metaphone'; expected first, firstN"));
  EXPECT_THAT(error("first0(zip)"), HasSubstr("unknown transform 'first0'"));
  EXPECT_THAT(error("last65(zip)"), HasSubstr("unknown transform 'last65'"));
  EXPECT_THAT(error("soundex(last_name"), HasSubstr("expected ')'"));
  EXPECT_THAT(error("dob+year)"), HasSubstr("part 2 ('year)'): ')' without '('"));
  EXPECT_EQ(ParseBlockingRule("ssn").error().ok(), true);  // an OK result carries an OK status
}

TEST(BlockingKeyTest, TransformsAndMissingValues) {
  TestTable t("t.csv", {{FieldKind::kLastName, {"smith", "", "o brien", "123", "ñuñez"}},
                        {FieldKind::kDob, {"1980-02-03", "1970-01-01", "19", "", "1999-12-31"}},
                        {FieldKind::kSsn, {"123456789", "", "987654321", "1", "000000001"}}});
  const auto& v = t.view();
  EXPECT_EQ(BlockingKey(v, Rule("soundex(last_name)+year(dob)"), 0), "S530\x1f" "1980");
  EXPECT_EQ(BlockingKey(v, Rule("soundex(last_name)+year(dob)"), 1), "");  // missing last name
  EXPECT_EQ(BlockingKey(v, Rule("year(dob)"), 2), "");                     // too short for a year
  EXPECT_EQ(BlockingKey(v, Rule("soundex(last_name)"), 3), "");            // no letters, no code
  EXPECT_EQ(BlockingKey(v, Rule("last4(ssn)"), 0), "6789");
  EXPECT_EQ(BlockingKey(v, Rule("last4(ssn)"), 3), "1");  // shorter than n: the whole value
  EXPECT_EQ(BlockingKey(v, Rule("first(last_name)"), 4), "ñ");  // characters, not bytes
  EXPECT_EQ(BlockingKey(v, Rule("first2(last_name)"), 4), "ñu");
  EXPECT_EQ(BlockingKey(v, Rule("last2(last_name)"), 4), "ez");
  EXPECT_EQ(BlockingKey(v, Rule("nysiis(last_name)"), 0), "SNAT");
  EXPECT_EQ(BlockingKey(v, Rule("ssn+dob"), 4), "000000001\x1f" "1999-12-31");
}

TEST(GenerateCandidatesTest, ExactPairsOnAHandMadeLinkage) {
  TestTable left("left.csv", {{FieldKind::kLastName, {"smith", "smyth", "jones", "", "brown"}},
                              {FieldKind::kDob, {"1980-01-01", "1980-05-05", "1990-01-01", "1980-01-01", "1970-01-01"}},
                              {FieldKind::kSsn, {"111111111", "", "222222222", "333333333", ""}}});
  TestTable right("right.csv", {{FieldKind::kLastName, {"smith", "jones", "smithe", "brown"}},
                                {FieldKind::kDob, {"1980-12-31", "1990-01-01", "1960-01-01", "1971-01-01"}},
                                {FieldKind::kSsn, {"333333333", "222222222", "", "111111111"}}});
  // ssn: (0,3) (2,1) (3,0). soundex+year: smith/smyth 1980 -> left 0,1 with right 0 (S530 1980); jones 1990
  // -> (2,1) again, dropped as a repeat.
  const auto rules = Rules({"ssn", "soundex(last_name)+year(dob)"});
  BlockingPlan counts;
  const PairList pairs = MustGenerate(left.view(), right.ptr(), rules, &counts);
  EXPECT_EQ(pairs, (PairList{{0, 0}, {0, 3}, {1, 0}, {2, 1}, {3, 0}}));
  EXPECT_EQ(pairs, BruteForce(left.view(), right.ptr(), rules));
  ASSERT_EQ(counts.rules.size(), 2u);
  EXPECT_EQ(counts.rules[0].pairs, 3u);
  EXPECT_EQ(counts.rules[0].new_pairs, 3u);
  EXPECT_EQ(counts.rules[1].pairs, 3u);
  EXPECT_EQ(counts.rules[1].new_pairs, 2u);
  EXPECT_EQ(counts.rules[1].largest_block, 2u);
}

TEST(GenerateCandidatesTest, DedupeGivesEachPairOnceWithLeftBelowRight) {
  TestTable t("people.csv", {{FieldKind::kLastName, {"smith", "smith", "smith", "jones", "smyth", "jones"}},
                             {FieldKind::kZip, {"10001", "10001", "20002", "30003", "10001", ""}}});
  const auto rules = Rules({"last_name", "zip", "soundex(last_name)"});
  const PairList pairs = MustGenerate(t.view(), nullptr, rules);
  // last_name: smith {0,1,2}: 3 pairs; jones {3,5}: 1. zip 10001 {0,1,4}: adds (0,4) (1,4). soundex S530
  // {0,1,2,4}: adds (2,4).
  EXPECT_EQ(pairs, (PairList{{0, 1}, {0, 2}, {0, 4}, {1, 2}, {1, 4}, {2, 4}, {3, 5}}));
  EXPECT_EQ(pairs, BruteForce(t.view(), nullptr, rules));
  for (const auto& [l, r] : pairs) EXPECT_LT(l, r);
  const BlockingPlan plan = PlanBlocking(t.view(), nullptr, rules, 4);
  ASSERT_EQ(plan.rules.size(), 3u);
  EXPECT_EQ(plan.rules[0].pairs, 4u);
  EXPECT_EQ(plan.rules[0].largest_block, 3u);
  EXPECT_FALSE(plan.rules[0].too_loose);
  EXPECT_EQ(plan.rules[1].pairs, 3u);
  EXPECT_EQ(plan.rules[2].pairs, 7u);  // {0,1,2,4}: 6 and {3,5}: 1
  EXPECT_TRUE(plan.rules[2].too_loose);
  EXPECT_EQ(plan.total_pairs_upper_bound, 14u);
}

// Random tables with few distinct values, so blocks overlap across rules; generated pairs must equal the
// brute-force definition, and plan counts must equal what each rule generates on its own.
void CheckAgainstBruteForce(uint32_t seed) {
  std::mt19937 rng(seed);
  auto random_table = [&rng](std::string name, size_t rows) {
    const char* names[] = {"smith", "smyth", "smithe", "jones", "johns", "", "lee", "li"};
    const char* zips[] = {"10001", "10002", "", "20001"};
    std::map<FieldKind, std::vector<std::string>> fields;
    for (size_t i = 0; i < rows; ++i) {
      fields[FieldKind::kLastName].push_back(names[rng() % 8]);
      fields[FieldKind::kFirstName].push_back(names[rng() % 8]);
      fields[FieldKind::kZip].push_back(zips[rng() % 4]);
      fields[FieldKind::kDob].push_back(rng() % 5 == 0 ? "" : "19" + std::to_string(70 + rng() % 3) + "-01-01");
    }
    return std::make_unique<TestTable>(std::move(name), fields);
  };
  auto left = random_table("left.csv", 40 + rng() % 30);
  auto right = random_table("right.csv", 30 + rng() % 30);
  const auto rules = Rules({"zip+year(dob)", "soundex(last_name)+first(first_name)", "last_name+zip", "nysiis(first_name)"});
  for (const FieldColumns* r : {right->ptr(), static_cast<const FieldColumns*>(nullptr)}) {
    BlockingPlan counts;
    const PairList pairs = MustGenerate(left->view(), r, rules, &counts);
    EXPECT_EQ(pairs, BruteForce(left->view(), r, rules)) << "seed " << seed;
    const BlockingPlan plan = PlanBlocking(left->view(), r, rules, UINT64_MAX);
    uint64_t new_total = 0;
    for (size_t k = 0; k < rules.size(); ++k) {
      EXPECT_EQ(plan.rules[k].pairs, MustGenerate(left->view(), r, {rules[k]}).size());
      EXPECT_EQ(plan.rules[k].pairs, counts.rules[k].pairs);
      EXPECT_EQ(plan.rules[k].largest_block, counts.rules[k].largest_block);
      new_total += counts.rules[k].new_pairs;
    }
    EXPECT_EQ(new_total, pairs.size());
  }
}

TEST(GenerateCandidatesTest, MatchesBruteForceOnRandomTables) {
  for (uint32_t seed = 1; seed <= 30; ++seed) CheckAgainstBruteForce(seed);
}

TEST(GenerateCandidatesTest, AllHashesEqualStillGivesExactBlocks) {
  // MATCHGUARD_BLOCK_HASH_ZERO=1 makes every key collide; results must not change.
  ASSERT_EQ(setenv("MATCHGUARD_BLOCK_HASH_ZERO", "1", 1), 0);
  for (uint32_t seed = 100; seed < 110; ++seed) CheckAgainstBruteForce(seed);
  ASSERT_EQ(unsetenv("MATCHGUARD_BLOCK_HASH_ZERO"), 0);
}

TEST(GenerateCandidatesTest, OutputIsSortedAndIndependentOfThreading) {
  std::mt19937 rng(5);
  std::vector<std::string> zips;
  for (int i = 0; i < 30000; ++i) zips.push_back(std::to_string(10000 + rng() % 3000));
  TestTable left("left.csv", {{FieldKind::kZip, zips}});
  const PairList pairs = MustGenerate(left.view(), nullptr, Rules({"zip"}));
  EXPECT_TRUE(std::is_sorted(pairs.begin(), pairs.end()));
  EXPECT_EQ(std::adjacent_find(pairs.begin(), pairs.end()), pairs.end());
  EXPECT_EQ(pairs.size(), PlanBlocking(left.view(), nullptr, Rules({"zip"}), UINT64_MAX).rules[0].pairs);
  EXPECT_GT(pairs.size(), 100000u);
}

TEST(GenerateCandidatesTest, CapErrorsNameTheRule) {
  TestTable t("people.csv", {{FieldKind::kZip, {"1", "1", "1", "1", "2", "2"}},
                             {FieldKind::kSex, {"m", "m", "f", "f", "m", "f"}}});
  // zip: 6 + 1 = 7 pairs; sex: m {0,1,4}: 3 and f {2,3,5}: 3, of which (0,1) and (2,3) repeat zip's.
  auto too_many = GenerateCandidates(t.view(), nullptr, Rules({"zip"}), 6);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_THAT(too_many.error().message(),
              HasSubstr("rule 'zip' alone gives 7 pairs, more than the limit of 6"));
  EXPECT_TRUE(too_many.error().IsUserError());
  auto union_too_big = GenerateCandidates(t.view(), nullptr, Rules({"zip", "sex"}), 10);
  ASSERT_FALSE(union_too_big.has_value());
  EXPECT_THAT(union_too_big.error().message(), HasSubstr("the rules up to and including 'sex' give 11 pairs"));
  auto fits = GenerateCandidates(t.view(), nullptr, Rules({"zip", "sex"}), 11);
  ASSERT_TRUE(fits.has_value());
  EXPECT_EQ(fits->size(), 11u);
}

TEST(GenerateCandidatesTest, RuleReadingAnAbsentFieldIsAnError) {
  TestTable left("left.csv", {{FieldKind::kZip, {"1"}}});
  TestTable right("right.csv", {{FieldKind::kZip, {"1"}}, {FieldKind::kSsn, {"123456789"}}});
  auto pairs = GenerateCandidates(left.view(), right.ptr(), Rules({"zip", "ssn"}), 100);
  ASSERT_FALSE(pairs.has_value());
  EXPECT_THAT(pairs.error().message(), HasSubstr("blocking rule 'ssn' reads field 'ssn', which left.csv does not have"));
  EXPECT_EQ(PlanBlocking(left.view(), right.ptr(), Rules({"ssn"}), 10).rules[0].pairs, 0u);
}

TEST(GenerateCandidatesTest, EmptyTablesAndNoRules) {
  TestTable empty("e.csv", {{FieldKind::kZip, {}}});
  TestTable one("o.csv", {{FieldKind::kZip, {"1"}}});
  EXPECT_TRUE(MustGenerate(empty.view(), one.ptr(), Rules({"zip"})).empty());
  EXPECT_TRUE(MustGenerate(one.view(), nullptr, Rules({"zip"})).empty());
  EXPECT_TRUE(MustGenerate(one.view(), one.ptr(), {}).empty());
  EXPECT_EQ(MustGenerate(one.view(), one.ptr(), Rules({"zip"})), (PairList{{0, 0}}));
}

TEST(ChooseBlockingRulesTest, UsesSharedFieldsAndDropsLooseRules) {
  // Everyone shares one dob, so "dob" gives 4 * 4 = 16 pairs; ssn gives 2.
  TestTable left("l.csv", {{FieldKind::kSsn, {"1", "2", "3", "4"}},
                           {FieldKind::kDob, {"1980-01-01", "1980-01-01", "1980-01-01", "1980-01-01"}},
                           {FieldKind::kLastName, {"smith", "jones", "lee", "brown"}}});
  TestTable right("r.csv", {{FieldKind::kSsn, {"1", "2", "7", "8"}},
                            {FieldKind::kDob, {"1980-01-01", "1980-01-01", "1980-01-01", "1980-01-01"}},
                            {FieldKind::kLastName, {"smyth", "jones", "li", "white"}}});
  RuleChoice choice;
  choice.max_pairs = 10;
  choice.max_pairs_per_rule = 10;
  ChosenRules chosen = ChooseBlockingRules(left.view(), right.ptr(), choice);
  std::vector<std::string> names;
  for (const auto& r : chosen.rules) names.push_back(r.name);
  // "dob" is too loose, so its narrower fallback dob+first(last_name) takes its place (s/s, j/j, l/l = 3
  // pairs); soundex(last_name)+year(dob): smith/smyth, jones/jones, lee/li (L000) = 3 pairs.
  EXPECT_EQ(names, (std::vector<std::string>{"ssn", "dob+first(last_name)", "soundex(last_name)+year(dob)"}));
  ASSERT_FALSE(chosen.notes.empty());
  EXPECT_THAT(chosen.notes[0], HasSubstr("rule dob dropped as too loose: 16 pairs, more than 10 per rule"));
  // A governed run's rules use only the fields it may match on.
  choice.fields = {FieldKind::kDob, FieldKind::kLastName};
  names.clear();
  for (const auto& r : ChooseBlockingRules(left.view(), right.ptr(), choice).rules) names.push_back(r.name);
  EXPECT_EQ(names, (std::vector<std::string>{"dob+first(last_name)", "soundex(last_name)+year(dob)"}));
  // Without shared fields nothing is chosen, and the notes say so.
  TestTable other("x.csv", {{FieldKind::kEmail, {"a@b"}}});
  ChosenRules none = ChooseBlockingRules(left.view(), other.ptr(), RuleChoice{10, 10, {}});
  EXPECT_TRUE(none.rules.empty());
  ASSERT_FALSE(none.notes.empty());
  EXPECT_THAT(none.notes.back(), HasSubstr("no blocking rule fits"));
}

TEST(SampleRandomPairsTest, DistinctDeterministicAndInRange) {
  const CandidatePairs a = SampleRandomPairs(1000, 500, 2000, 42);
  const CandidatePairs b = SampleRandomPairs(1000, 500, 2000, 42);
  const CandidatePairs c = SampleRandomPairs(1000, 500, 2000, 43);
  EXPECT_EQ(ToList(a), ToList(b));
  EXPECT_NE(ToList(a), ToList(c));
  const PairList list = ToList(a);
  ASSERT_EQ(list.size(), 2000u);
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_EQ(std::adjacent_find(list.begin(), list.end()), list.end());
  for (const auto& [l, r] : list) {
    EXPECT_LT(l, 1000u);
    EXPECT_LT(r, 500u);
  }
}

TEST(SampleRandomPairsTest, DedupeAndExhaustion) {
  const PairList dedupe = ToList(SampleRandomPairs(50, 0, 300, 1));
  ASSERT_EQ(dedupe.size(), 300u);
  for (const auto& [l, r] : dedupe) EXPECT_LT(l, r);
  // Only 10 distinct dedupe pairs exist among 5 rows: asking for more returns all of them.
  EXPECT_EQ(ToList(SampleRandomPairs(5, 0, 100, 1)).size(), 10u);
  EXPECT_EQ(ToList(SampleRandomPairs(3, 4, 100, 1)).size(), 12u);
  EXPECT_TRUE(ToList(SampleRandomPairs(1, 0, 10, 1)).empty());
  EXPECT_TRUE(ToList(SampleRandomPairs(0, 5, 10, 1)).empty());
}

TEST(SampleRandomPairsTest, RoughlyUniform) {
  // Left rows of 20,000 draws over 10 x 10,000 pairs: each row should get about 2,000.
  const CandidatePairs s = SampleRandomPairs(10, 10000, 20000, 9);
  std::vector<int> per_row(10, 0);
  for (uint32_t l : s.left) ++per_row[l];
  for (int n : per_row) EXPECT_NEAR(n, 2000, 200);
}

}  // namespace
}  // namespace matchguard

namespace matchguard {
namespace {

// Real data: FEBRL dataset 4 (5,000 + 5,000 records, each 4a "rec-N-org" has one 4b "rec-N-dup-0").
struct Febrl {
  Table table;
  PersonTable people;
};

Febrl LoadFebrl(const std::string& file) {
  const std::string path = std::string(MATCHGUARD_SHARED_DIR) + "/data/febrl/" + file;
  auto table = ReadCsvTable(*DefaultFileSystem(), path);
  EXPECT_TRUE(table.has_value()) << table.error().message();
  if (!table.has_value()) return {};
  auto mapping = DetectFields(*table);
  EXPECT_TRUE(mapping.has_value()) << mapping.error().message();
  auto people = NormalizePeople(*table, *mapping);
  EXPECT_TRUE(people.has_value()) << people.error().message();
  if (!people.has_value()) return {};
  return {std::move(table).value(), std::move(people).value()};
}

// The person number of "rec-123-org" / "rec-123-dup-0".
std::string PersonOf(std::string_view id) {
  const size_t first = id.find('-');
  const size_t second = id.find('-', first + 1);
  return std::string(id.substr(first + 1, second - first - 1));
}

TEST(FebrlBlockingTest, ChosenRulesKeepNearlyAllTrueMatchesOnDataset4) {
  const Febrl a = LoadFebrl("dataset4a.csv");
  const Febrl b = LoadFebrl("dataset4b.csv");
  ASSERT_EQ(a.people.size(), 5000u);
  ASSERT_EQ(b.people.size(), 5000u);
  const ChosenRules chosen = ChooseBlockingRules(a.people, &b.people, RuleChoice{2'000'000, 0, {}});
  ASSERT_FALSE(chosen.rules.empty());
  const BlockingPlan plan = PlanBlocking(a.people, &b.people, chosen.rules, 2'000'000);
  BlockingPlan counts;
  auto pairs = GenerateCandidates(a.people, &b.people, chosen.rules, 2'000'000, &counts);
  ASSERT_TRUE(pairs.has_value()) << pairs.error().message();
  for (size_t k = 0; k < chosen.rules.size(); ++k) EXPECT_EQ(plan.rules[k].pairs, counts.rules[k].pairs);
  size_t true_pairs = 0;
  for (size_t i = 0; i < pairs->size(); ++i) {
    true_pairs += PersonOf(a.people.id(pairs->left[i])) == PersonOf(b.people.id(pairs->right[i]));
  }
  // Pairs completeness: 4,987 of the 5,000 true matches survive blocking (99.7%) in 7,520 candidate pairs
  // of the 25 million possible (reduction ratio 99.97%), when this test was written.
  EXPECT_GE(true_pairs, 4980u);
  EXPECT_LT(pairs->size(), 10000u);
}

}  // namespace
}  // namespace matchguard
