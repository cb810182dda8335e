#include "src/synth/population.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "src/synth/tables.h"

namespace matchguard::synth {
namespace {

Population MakePopulation(uint64_t n, uint64_t seed = 42) {
  PopulationConfig config;
  config.seed = seed;
  config.num_left = n;
  config.num_extra = n / 2;
  return Population(config);
}

std::string Name(const Population& pop, NameRef ref, bool female, bool first) {
  std::string out;
  pop.AppendName(ref, female, first, &out);
  return out;
}

bool SameAddress(const Person& a, const Person& b) {
  return a.house_number == b.house_number && a.street == b.street && a.city == b.city && a.zip_tail == b.zip_tail;
}

bool SameDate(const Date& a, const Date& b) { return a.year == b.year && a.month == b.month && a.day == b.day; }

TEST(PopulationTest, PeopleArePureFunctionsOfSeedAndId) {
  Population a = MakePopulation(1000);
  Population b = MakePopulation(1000);
  Population other_seed = MakePopulation(1000, 43);
  int differ = 0;
  for (uint64_t id = 0; id < 200; ++id) {
    Person x = a.MakePerson(id);
    Person y = b.MakePerson(id);
    EXPECT_EQ(x.ssn, y.ssn);
    EXPECT_EQ(Name(a, x.first, x.female, true), Name(b, y.first, y.female, true));
    EXPECT_TRUE(SameDate(x.dob, y.dob));
    differ += other_seed.MakePerson(id).ssn != x.ssn ? 1 : 0;
  }
  EXPECT_EQ(differ, 200);
}

TEST(PopulationTest, SsnsAreValidAndUnique) {
  Population pop = MakePopulation(200000);
  std::unordered_set<uint32_t> seen;
  for (uint64_t id = 0; id < 300000; ++id) {
    uint32_t ssn = pop.MakePerson(id).ssn;
    uint32_t area = ssn / 1000000;
    uint32_t group = ssn / 10000 % 100;
    uint32_t serial = ssn % 10000;
    ASSERT_TRUE(area >= 1 && area <= 899 && area != 666) << ssn;
    ASSERT_TRUE(group >= 1 && serial >= 1) << ssn;
    ASSERT_TRUE(seen.insert(ssn).second) << "repeated SSN for person " << id;
  }
}

TEST(PopulationTest, MbisFollowTheCmsLayout) {
  Population pop = MakePopulation(100);
  const std::string alpha = "ACDEFGHJKMNPQRTUVWXY";
  for (uint64_t id = 0; id < 100; ++id) {
    std::string mbi(pop.MakePerson(id).mbi.data(), 11);
    EXPECT_TRUE(mbi[0] >= '1' && mbi[0] <= '9') << mbi;
    for (int i : {1, 4, 7, 8}) EXPECT_NE(alpha.find(mbi[i]), std::string::npos) << mbi;
    for (int i : {3, 6, 9, 10}) EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(mbi[i]))) << mbi;
    for (int i : {2, 5}) EXPECT_TRUE(alpha.find(mbi[i]) != std::string::npos || std::isdigit(mbi[i])) << mbi;
  }
}

// Every kind of hard negative has the properties that make it hard, and a different SSN from its anchor.
TEST(PopulationTest, HardNegativesLookAlikeButAreOtherPeople) {
  constexpr uint64_t kPeople = 100000;
  Population pop = MakePopulation(kPeople);
  int kinds[5] = {};
  for (uint64_t id = 0; id < kPeople + kPeople / 2; ++id) {
    Person p = pop.MakePerson(id);
    if (p.relation == Relation::kNone) continue;
    ++kinds[static_cast<int>(p.relation)];
    if (id < kPeople) {
      EXPECT_EQ(p.anchor, id - 1);
    } else {
      EXPECT_LT(p.anchor, kPeople);
    }
    Person a = pop.MakePerson(p.anchor);
    ASSERT_EQ(a.relation, Relation::kNone);
    EXPECT_NE(p.ssn, a.ssn);
    std::string first = Name(pop, p.first, p.female, true);
    std::string anchor_first = Name(pop, a.first, a.female, true);
    std::string last = Name(pop, p.last, p.female, false);
    EXPECT_EQ(last, Name(pop, a.last, a.female, false));
    switch (p.relation) {
      case Relation::kTwin:
        EXPECT_TRUE(SameDate(p.dob, a.dob));
        EXPECT_TRUE(SameAddress(p, a));
        EXPECT_NE(first, anchor_first);
        break;
      case Relation::kParentChild: {
        EXPECT_EQ(first, anchor_first);
        EXPECT_TRUE(SameAddress(p, a));
        int gap = std::abs(p.dob.year - a.dob.year);
        EXPECT_GE(gap, 20);
        EXPECT_LE(gap, 40);
        break;
      }
      case Relation::kSharedSsn:
        EXPECT_EQ(p.anchor_ssn, a.ssn);
        EXPECT_NE(first, anchor_first);
        EXPECT_TRUE(SameAddress(p, a));
        break;
      case Relation::kSameNameAndDob:
        EXPECT_EQ(first, anchor_first);
        EXPECT_TRUE(SameDate(p.dob, a.dob));
        break;
      case Relation::kNone:
        break;
    }
  }
  // About 0.5%, 0.5%, 0.4% and 0.3% of people, less the ones whose anchor is itself a relative.
  EXPECT_NEAR(kinds[1] / 150000.0, 0.005, 0.001);
  EXPECT_NEAR(kinds[2] / 150000.0, 0.005, 0.001);
  EXPECT_NEAR(kinds[3] / 150000.0, 0.004, 0.001);
  EXPECT_NEAR(kinds[4] / 150000.0, 0.003, 0.001);
}

TEST(PopulationTest, RelativeUsingSsnCarriesItOnlyAtTheOtherAgency) {
  Population pop = MakePopulation(50000);
  int checked = 0;
  for (uint64_t id = 1; id < 50000 && checked < 20; ++id) {
    Person p = pop.MakePerson(id);
    if (p.relation != Relation::kSharedSsn) continue;
    ErrorModel clean{};  // no errors at all
    Observed own;
    Observed other;
    Counts counts;
    Rng r1(1, Stream::kLeft, id);
    Rng r2(1, Stream::kRight, id);
    pop.Observe(p, clean, false, r1, &counts, &own);
    pop.Observe(p, clean, true, r2, &counts, &other);
    EXPECT_EQ(own.ssn, std::to_string(p.ssn).insert(0, 9 - std::to_string(p.ssn).size(), '0'));
    EXPECT_EQ(other.ssn, std::to_string(p.anchor_ssn).insert(0, 9 - std::to_string(p.anchor_ssn).size(), '0'));
    ++checked;
  }
  EXPECT_EQ(checked, 20);
}

// Observed error rates match the model (200,000 records, so 3 standard errors are well inside the bounds).
TEST(PopulationTest, ErrorRatesFollowTheModel) {
  constexpr uint64_t kPeople = 200000;
  Population pop = MakePopulation(kPeople);
  Counts counts;
  Observed o;
  for (uint64_t id = 0; id < kPeople; ++id) {
    Rng rng(42, Stream::kRight, id);
    pop.Observe(pop.MakePerson(id), kOtherAgencyErrors, true, rng, &counts, &o);
  }
  auto rate = [&](Event e) { return static_cast<double>(counts[e]) / kPeople; };
  EXPECT_NEAR(rate(Event::kSsnMissing), kOtherAgencyErrors.ssn_missing, 0.003);
  EXPECT_NEAR(rate(Event::kDobMissing), kOtherAgencyErrors.dob_missing, 0.001);
  EXPECT_NEAR(rate(Event::kFirstMissing), kOtherAgencyErrors.first_missing, 0.001);
  EXPECT_NEAR(rate(Event::kSexMissing), kOtherAgencyErrors.sex_missing, 0.001);
  // Moves: 8% plus most marriages.
  EXPECT_GT(rate(Event::kMove), kOtherAgencyErrors.move);
  EXPECT_LT(rate(Event::kMove), kOtherAgencyErrors.move + 0.03);
  // Typos land a little under their rate (a draw can be a no-op, e.g. swapping equal letters).
  EXPECT_GT(rate(Event::kFirstTypo), 0.8 * kOtherAgencyErrors.first_typo);
  EXPECT_LE(rate(Event::kFirstTypo), kOtherAgencyErrors.first_typo + 0.002);
  EXPECT_GT(rate(Event::kFirstNickname), 0.02);
  EXPECT_GT(rate(Event::kSurnameChangedByMarriage), 0.01);
  EXPECT_GT(counts[Event::kAccentsDropped], 0u);
  EXPECT_GT(counts[Event::kHyphenPartDropped], 0u);
  EXPECT_GT(counts[Event::kPunctuationDropped], 0u);
  // The right file has no middle name, phone or MBI: not counted as missing.
  EXPECT_EQ(counts[Event::kMiddleMissing], 0u);
  EXPECT_EQ(counts[Event::kPhoneMissing], 0u);
  EXPECT_EQ(counts[Event::kMbiMissing], 0u);
  EXPECT_EQ(counts[Event::kTypoSubstitution] + counts[Event::kTypoInsertion] + counts[Event::kTypoDeletion] +
                counts[Event::kTypoTransposition],
            counts[Event::kFirstTypo] + counts[Event::kLastTypo] + counts[Event::kStreetTypo] +
                counts[Event::kCityTypo]);
}

TEST(PopulationTest, NamesFollowAZipfLikeLaw) {
  constexpr uint64_t kPeople = 100000;
  Population pop = MakePopulation(kPeople);
  std::map<std::string, int> surnames;
  for (uint64_t id = 0; id < kPeople; ++id) {
    Person p = pop.MakePerson(id);
    ++surnames[Name(pop, p.last, p.female, false)];
  }
  // Smith is the commonest surname, near 1% of people; rare (syllable) names make a long tail.
  auto top = std::max_element(surnames.begin(), surnames.end(),
                              [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_EQ(top->first, "Smith");
  EXPECT_NEAR(top->second / static_cast<double>(kPeople), 0.01, 0.005);
  EXPECT_GT(surnames.size(), 5000u);
  EXPECT_GT(surnames["Smith"], 10 * surnames["Yoder"]);
}

TEST(PopulationTest, DatesAreValid) {
  EXPECT_TRUE(IsValidDate(2000, 2, 29));
  EXPECT_FALSE(IsValidDate(1900, 2, 29));
  EXPECT_FALSE(IsValidDate(2001, 4, 31));
  Population pop = MakePopulation(20000);
  Observed o;
  Counts counts;
  for (uint64_t id = 0; id < 20000; ++id) {
    Rng rng(42, Stream::kRight, id);
    pop.Observe(pop.MakePerson(id), kOtherAgencyErrors, true, rng, &counts, &o);
    if (!o.dob_missing) {
      ASSERT_TRUE(IsValidDate(o.dob.year, o.dob.month, o.dob.day));
    }
  }
  EXPECT_GT(counts[Event::kDobDayMonthSwapped], 0u);
  EXPECT_GT(counts[Event::kDobDigitTypo], 0u);
}

}  // namespace
}  // namespace matchguard::synth
