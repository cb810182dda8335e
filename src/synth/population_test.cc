#include "src/synth/population.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "src/synth/tables.h"

namespace matchguard::synth {
namespace {

Population MakePopulation(uint64_t n, uint64_t seed = 42, const Profile* profile = nullptr) {
  PopulationConfig config;
  config.seed = seed;
  config.num_left = n;
  config.num_extra = n / 2;
  config.profile = profile;
  return Population(config);
}

Population MakeRegistry(uint64_t n, uint64_t seed = 42) { return MakePopulation(n, seed, &RegistryProfile()); }

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
      default:
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
  EXPECT_EQ(
      counts[Event::kTypoSubstitution] + counts[Event::kTypoInsertion] + counts[Event::kTypoDeletion] +
          counts[Event::kTypoTransposition],
      counts[Event::kFirstTypo] + counts[Event::kLastTypo] + counts[Event::kStreetTypo] + counts[Event::kCityTypo]);
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

// ---- the registry profile ----------------------------------------------------------------------------

bool SamePhone(const Person& a, const Person& b) { return a.phone == b.phone && a.city == b.city; }

TEST(RegistryPopulationTest, PeopleAreTheSameWhateverTheOrderOfMaking) {
  Population a = MakeRegistry(5000);
  Population b = MakeRegistry(5000);
  std::vector<Person> forward;
  for (uint64_t id = 0; id < 7500; ++id) forward.push_back(a.MakePerson(id));
  for (uint64_t id = 7500; id-- > 0;) {
    Person p = b.MakePerson(id);
    const Person& q = forward[id];
    ASSERT_EQ(Name(b, p.first, p.female, true), Name(a, q.first, q.female, true)) << id;
    ASSERT_EQ(Name(b, p.last, p.female, false), Name(a, q.last, q.female, false)) << id;
    ASSERT_TRUE(SameDate(p.dob, q.dob)) << id;
    ASSERT_TRUE(SameAddress(p, q)) << id;
    ASSERT_EQ(p.relation, q.relation) << id;
    ASSERT_EQ(p.household.head, q.household.head) << id;
  }
}

// Members of a household are other people (another SSN) at the head's address, each with the attributes
// that make its kind a hard case.
TEST(RegistryPopulationTest, HouseholdsLiveAtOneAddressAndAreOtherPeople) {
  constexpr uint64_t kPeople = 60000;
  Population pop = MakeRegistry(kPeople);
  std::map<Relation, int> kinds;
  std::map<uint32_t, int> sizes;
  for (uint64_t id = 0; id < kPeople + kPeople / 2; ++id) {
    Person p = pop.MakePerson(id);
    const Household& h = p.household;
    ASSERT_LT(h.index, h.size);
    ASSERT_EQ(h.head + h.index, id);
    ASSERT_EQ(h.head < kPeople, id < kPeople) << "a household straddles the two files";
    if (h.index == 0) ++sizes[h.size];
    if (!p.anchor_in_household) continue;
    ++kinds[p.relation];
    Person head = pop.MakePerson(h.head);
    Person anchor = pop.MakePerson(p.anchor);
    EXPECT_NE(p.ssn, anchor.ssn);
    EXPECT_NE(p.ssn, head.ssn);
    EXPECT_TRUE(SameAddress(p, head)) << id;
    EXPECT_TRUE(SamePhone(p, head)) << id;
    EXPECT_EQ(Name(pop, p.last, p.female, false), Name(pop, head.last, head.female, false)) << id;
    switch (p.relation) {
      case Relation::kSpouse:
        EXPECT_EQ(h.index, 1u);
        EXPECT_NE(p.female, head.female);
        EXPECT_LE(std::abs(p.dob.year - head.dob.year), 6);
        EXPECT_EQ(p.has_maiden, p.female);
        break;
      case Relation::kChild:
      case Relation::kSharedSsn: {
        int gap = p.dob.year - head.dob.year;
        EXPECT_GE(gap, 18) << id;
        EXPECT_LE(gap, 42) << id;
        EXPECT_NE(Name(pop, p.first, p.female, true), Name(pop, head.first, head.female, true));
        if (p.relation == Relation::kSharedSsn) {
          EXPECT_EQ(p.anchor_ssn, head.ssn);
        }
        break;
      }
      case Relation::kParentChild:
        EXPECT_EQ(Name(pop, p.first, p.female, true), Name(pop, head.first, head.female, true));
        EXPECT_EQ(Name(pop, p.middle, p.female, true), Name(pop, head.middle, head.female, true));
        EXPECT_GE(std::abs(p.dob.year - head.dob.year), 20);
        EXPECT_EQ(p.generation, p.dob.year > head.dob.year ? 'J' : 'S');
        break;
      case Relation::kTwin:
        EXPECT_EQ(p.anchor, id - 1);
        EXPECT_TRUE(SameDate(p.dob, anchor.dob));
        EXPECT_NE(Name(pop, p.first, p.female, true), Name(pop, anchor.first, anchor.female, true));
        break;
      default:
        ADD_FAILURE() << "relation " << static_cast<int>(p.relation) << " inside a household";
    }
  }
  EXPECT_GT(kinds[Relation::kSpouse], 10000);
  EXPECT_GT(kinds[Relation::kChild], 10000);
  EXPECT_GT(kinds[Relation::kParentChild], 500);
  EXPECT_GT(kinds[Relation::kSharedSsn], 200);
  EXPECT_GT(kinds[Relation::kTwin], 50);
  // Household sizes: 28% of households alone, 30% of two, ... (blocks cut a few short).
  int households = 0;
  for (const auto& [size, n] : sizes) households += n;
  EXPECT_NEAR(sizes[1] / static_cast<double>(households), 0.28, 0.03);
  EXPECT_NEAR(sizes[2] / static_cast<double>(households), 0.30, 0.02);
}

// People living alone may be a relative of someone elsewhere; a stranger with the same name and date of
// birth lives in the same city, at another address.
TEST(RegistryPopulationTest, RelativesElsewhereAndStrangersInTheSameCity) {
  constexpr uint64_t kPeople = 60000;
  Population pop = MakeRegistry(kPeople);
  std::map<Relation, int> kinds;
  for (uint64_t id = 0; id < kPeople + kPeople / 2; ++id) {
    Person p = pop.MakePerson(id);
    if (p.relation == Relation::kNone || p.anchor_in_household) continue;
    ++kinds[p.relation];
    ASSERT_EQ(p.household.size, 1u);
    ASSERT_LT(p.anchor, kPeople);
    ASSERT_NE(p.anchor, id);
    Person a = pop.MakePerson(p.anchor);
    EXPECT_NE(p.ssn, a.ssn);
    EXPECT_EQ(Name(pop, p.last, p.female, false), Name(pop, a.last, a.female, false));
    EXPECT_FALSE(SameAddress(p, a) && SamePhone(p, a)) << id;
    if (p.relation == Relation::kSameNameAndDob) {
      EXPECT_EQ(Name(pop, p.first, p.female, true), Name(pop, a.first, a.female, true));
      EXPECT_TRUE(SameDate(p.dob, a.dob));
      EXPECT_EQ(p.city, a.city);
    }
  }
  EXPECT_GT(kinds[Relation::kSameNameAndDob], 300);
  EXPECT_GT(kinds[Relation::kParentChild], 50);
  EXPECT_GT(kinds[Relation::kSharedSsn], 20);
}

// The hard case the profile exists for: at 100,000 people one ZIP3 holds about a third of everyone, and
// the commonest full name occurs dozens of times inside it.
TEST(RegistryPopulationTest, CommonNamesAreDenseInOneZip3) {
  constexpr uint64_t kPeople = 100000;
  Population pop = MakeRegistry(kPeople);
  const Tables& t = Tables::Get();
  std::map<std::string, int> zip3;
  std::map<std::string, int> surnames;
  std::map<std::string, int> name_in_zip3;
  for (uint64_t id = 0; id < kPeople; ++id) {
    Person p = pop.MakePerson(id);
    std::string z(t.cities()[p.city].zip3);
    ++zip3[z];
    std::string last = Name(pop, p.last, p.female, false);
    ++surnames[last];
    ++name_in_zip3[Name(pop, p.first, p.female, true) + " " + last + " in " + z];
  }
  std::vector<int> by_size;
  for (const auto& [z, n] : zip3) by_size.push_back(n);
  std::sort(by_size.rbegin(), by_size.rend());
  EXPECT_GT(by_size[0], 0.25 * kPeople);
  EXPECT_GT(by_size[0] + by_size[1] + by_size[2] + by_size[3] + by_size[4] + by_size[5], 0.8 * kPeople);
  auto top_name = std::max_element(name_in_zip3.begin(), name_in_zip3.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_GE(top_name->second, 20) << top_name->first;
  auto top_surname = std::max_element(surnames.begin(), surnames.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
  EXPECT_GT(top_surname->second, 0.03 * kPeople) << top_surname->first;  // the agency's Smith: about 1%
  EXPECT_LT(surnames.size(), 6000u);  // a smaller long tail than the agency's (over 5000 at 100k... of 30%)
}

TEST(RegistryPopulationTest, ErrorRatesFollowTheModel) {
  constexpr uint64_t kPeople = 200000;
  Population pop = MakeRegistry(kPeople);
  const ErrorModel& m = kRegistryRollErrors;
  Counts counts;
  Observed o;
  int masked = 0;
  for (uint64_t id = 0; id < kPeople; ++id) {
    Rng rng(42, Stream::kRight, id);
    pop.Observe(pop.MakePerson(id), m, true, rng, &counts, &o);
    masked += o.ssn.starts_with("XXXXX") ? 1 : 0;
    if (!o.dob_missing) {
      ASSERT_TRUE(IsValidDate(o.dob.year, o.dob.month, o.dob.day));
    }
  }
  auto rate = [&](Event e) { return static_cast<double>(counts[e]) / kPeople; };
  EXPECT_NEAR(rate(Event::kSsnMissing), m.ssn_missing, 0.004);
  EXPECT_NEAR(rate(Event::kSsnMasked), (1 - m.ssn_missing) * m.ssn_masked, 0.002);
  EXPECT_EQ(static_cast<uint64_t>(masked), counts[Event::kSsnMasked]);
  EXPECT_NEAR(rate(Event::kDobMissing), m.dob_missing, 0.002);
  EXPECT_NEAR(rate(Event::kSexMissing), m.sex_missing, 0.002);
  EXPECT_NEAR(rate(Event::kFirstMissing), m.first_missing, 0.002);
  // Rewrites land a little under their rate: a name may have nothing to confuse, or be short already.
  for (auto [event, model_rate] : {std::pair{Event::kFirstOcr, m.first_ocr},
                                   {Event::kLastOcr, m.last_ocr},
                                   {Event::kFirstPhonetic, m.first_phonetic},
                                   {Event::kLastPhonetic, m.last_phonetic},
                                   {Event::kSsnOcrDigit, (1 - m.ssn_missing) * m.ssn_ocr_digit}}) {
    EXPECT_GT(rate(event), 0.8 * model_rate) << kEventNames[static_cast<size_t>(event)];
    EXPECT_LE(rate(event), model_rate + 0.002) << kEventNames[static_cast<size_t>(event)];
  }
  EXPECT_GT(rate(Event::kLastTruncated), 0.3 * m.last_truncated);
  EXPECT_LE(rate(Event::kLastTruncated), m.last_truncated + 0.002);
  EXPECT_GT(rate(Event::kDobDigitsTransposed), 0.5 * m.dob_digits_transposed);
  EXPECT_GT(rate(Event::kDobYearWrong), 0.8 * m.dob_year_wrong);
  EXPECT_GT(rate(Event::kDobDayMonthUnknown), 0.9 * m.dob_day_month_unknown);
  EXPECT_GT(rate(Event::kZipOtherInZip3), 0.5 * m.zip_other_in_zip3);
  EXPECT_NEAR(rate(Event::kStreetSuffixDropped), (1 - m.address_missing) * m.street_suffix_dropped, 0.003);
  // Households move together: about 12% of records, plus marriages.
  EXPECT_GT(rate(Event::kMove), 0.9 * m.move);
  EXPECT_LT(rate(Event::kMove), m.move + 0.03);
  EXPECT_GT(rate(Event::kSurnameChangedByMarriage), 0.01);
  EXPECT_EQ(counts[Event::kMbiMissing], 0u);  // not recorded
}

// A household that moved shows the same new address in every member's record at the other agency.
TEST(RegistryPopulationTest, HouseholdsMoveTogether) {
  Population pop = MakeRegistry(20000);
  ErrorModel moves{};
  moves.move = 0.5;
  int checked = 0;
  Counts counts;
  for (uint64_t id = 0; id < 20000 && checked < 200; ++id) {
    Person p = pop.MakePerson(id);
    if (p.household.index != 1) continue;
    Observed head;
    Observed member;
    Rng r1(1, Stream::kRight, p.household.head);
    Rng r2(1, Stream::kRight, id);
    pop.Observe(pop.MakePerson(p.household.head), moves, true, r1, &counts, &head);
    pop.Observe(p, moves, true, r2, &counts, &member);
    ASSERT_EQ(head.house_number + head.street_name + head.zip + head.phone,
              member.house_number + member.street_name + member.zip + member.phone);
    ++checked;
  }
  EXPECT_EQ(checked, 200);
  EXPECT_NEAR(static_cast<double>(counts[Event::kMove]), 200, 50);  // half of the 400 records moved
}

}  // namespace
}  // namespace matchguard::synth
