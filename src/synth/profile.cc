#include "src/synth/profile.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace matchguard::synth {
namespace {

using enum ColumnFormat;

// ---- agency: the original model --------------------------------------------------------------------

constexpr ColumnSpec kAgencyLeftColumns[] = {
    {"first_name", kFirstName}, {"middle_name", kMiddleName},
    {"last_name", kLastName},   {"dob", kDobIso},
    {"sex", kSexLetter},        {"ssn", kSsn, 0.4},
    {"street", kStreet, 0.6},   {"city", kCity},
    {"state", kState},          {"zip", kZip},
    {"phone", kPhone, 0.7},     {"mbi", kMbi, 0.15},
};

constexpr ColumnSpec kAgencyRightColumns[] = {
    {"given_name", kFirstName, 0, TextCase::kUpper},
    {"surname", kLastName, 0, TextCase::kUpper},
    {"birth_date", kDobUs},
    {"gender", kSexWord},
    {"social_security_number", kSsn},
    {"address", kStreet, 0.25, TextCase::kUpper},
    {"town", kCity, 0, TextCase::kUpper},
    {"state", kState},
    {"postal_code", kZipPlus4, 0.15},
};

// The events the agency profile had before the registry profile added its own (its summary keeps them).
constexpr auto kAgencyEvents = [] {
  std::array<Event, static_cast<size_t>(Event::kTypoTransposition) + 1> events{};
  for (size_t i = 0; i < events.size(); ++i) events[i] = static_cast<Event>(i);
  return events;
}();

constexpr Relation kAgencyRelations[] = {Relation::kTwin, Relation::kParentChild, Relation::kSharedSsn,
                                         Relation::kSameNameAndDob};

// ---- registry: designed independently ------------------------------------------------------------

// A state registry's client file: upper case ASCII, split address, numbers exported as numbers.
constexpr ColumnSpec kRegistryLeftColumns[] = {
    {"lname", kLastName, 0, TextCase::kUpperAscii},
    {"fname", kFirstName, 0, TextCase::kUpperAscii},
    {"mname", kMiddleName, 0, TextCase::kUpperAscii},
    {"birth_date", kDobCompact},
    {"gender", kSexDigit, 0, TextCase::kAsWritten, "0"},
    {"ssn", kSsnNumber},
    {"house_no", kHouseNumber},
    {"street_name", kStreetName, 0.5, TextCase::kUpperAscii},
    {"city", kCity, 0, TextCase::kUpperAscii},
    {"state_code", kState},
    {"zip5", kZipNumber},
    {"phone_no", kPhoneDigits},
};

// A county roll from scanned forms: one name column, database timestamps, "U" for an unknown sex.
constexpr ColumnSpec kRegistryRightColumns[] = {
    {"name", kFullName, 0.8, TextCase::kUpper},
    {"dob", kDobTimestamp},
    {"sex", kSexLetter, 0, TextCase::kAsWritten, "U"},
    {"soc_sec_id", kSsnSpaced, 0.5},
    {"street_no", kHouseNumber},
    {"street", kStreetName, 0.3, TextCase::kUpper},
    {"locality", kCity, 0, TextCase::kUpper},
    {"state", kState},
    {"zip_code", kZipPlus4Digits, 0.3},
    {"tel", kPhoneDotted},
};

constexpr Metro kRegistryMetros[] = {
    {"New York", 0.30}, {"Los Angeles", 0.18}, {"Chicago", 0.14}, {"Houston", 0.10}, {"Miami", 0.07}, {"Boston", 0.06},
};

// Every event but the MBI, which neither registry file records.
constexpr auto kRegistryEvents = [] {
  std::array<Event, kEventCount - 1> events{};
  size_t n = 0;
  for (size_t i = 0; i < kEventCount; ++i) {
    if (static_cast<Event>(i) != Event::kMbiMissing) events[n++] = static_cast<Event>(i);
  }
  return events;
}();

constexpr Relation kRegistryRelations[] = {Relation::kSpouse,        Relation::kChild,       Relation::kSibling,
                                           Relation::kTwin,          Relation::kParentChild, Relation::kSharedSsn,
                                           Relation::kSameNameAndDob};

PopulationModel RegistryPopulation() {
  PopulationModel m;
  // Of people living alone: a relative elsewhere or a stranger with their name and date of birth.
  m.twin = 0.0;
  m.parent_child = 0.02;
  m.shared_ssn = 0.01;
  m.same_name_and_dob = 0.08;
  m.rare_first_name = 0.02;
  m.rare_surname = 0.06;
  m.hyphenated_surname = 0.015;
  m.earliest_birth_year = 1930;
  m.latest_birth_year = 2006;
  return m;
}

HouseholdModel RegistryHouseholds() {
  HouseholdModel h;
  h.size_share = {0.28, 0.30, 0.17, 0.15, 0.07, 0.03};
  h.couple = 0.7;
  h.twin = 0.03;
  h.junior = 0.08;
  h.shared_ssn = 0.03;
  h.first_parent_birth_year = 1935;
  h.last_parent_birth_year = 1998;
  h.latest_child_birth_year = 2024;
  h.max_spouse_age_gap = 6;
  h.min_parent_age_gap = 18;
  h.max_parent_age_gap = 42;
  return h;
}

// Name offsets and exponents chosen so the head matches US shares: "James" ~3.5% of men, "Mary" ~2.5% of
// women, "Smith" ~1.2% of people drawn from the list (the list itself covers about 70% of people; the rest
// get rare names built from syllables, see population.cc).
Profile MakeAgency() {
  return Profile{
      .name = "agency",
      .population = kPopulationModel,
      .names = {.male_first = {8.0, 1.0}, .female_first = {10.0, 1.0}, .surname = {12.0, 0.95}},
      .geography = {.city = {2.0, 1.0}},
      .households = {},
      .left_errors = kEnrollmentErrors,
      .right_errors = kOtherAgencyErrors,
      .duplicate_errors = kDuplicateErrors,
      .left = {"record_id", 'E', kAgencyLeftColumns},
      .right = {"person_id", 'P', kAgencyRightColumns},
      .dedupe_id_prefix = 'R',
      .claims = true,
      .events = kAgencyEvents,
      .relations = kAgencyRelations,
  };
}

Profile MakeRegistry() {
  return Profile{
      .name = "registry",
      .population = RegistryPopulation(),
      .names = {.male_first = {4.0, 1.2, 1.0}, .female_first = {5.0, 1.25, 1.0}, .surname = {6.0, 1.1, 1.0}},
      .geography = {.city = {2.0, 1.0}, .metros = kRegistryMetros, .zips_per_metro = 10, .zip_exponent = 0.8},
      .households = RegistryHouseholds(),
      .left_errors = kRegistryClientErrors,
      .right_errors = kRegistryRollErrors,
      .duplicate_errors = kRegistryDuplicateErrors,
      .left = {"uid", 'U', kRegistryLeftColumns},
      .right = {"rec_id", 'V', kRegistryRightColumns},
      .dedupe_id_prefix = 'U',
      .claims = false,
      .events = kRegistryEvents,
      .relations = kRegistryRelations,
  };
}

// The cumulative sums of `shares`, so that a uniform draw picks index i with probability shares[i].
std::vector<double> Cumulative(std::span<const double> shares) {
  std::vector<double> cumulative(shares.size());
  std::partial_sum(shares.begin(), shares.end(), cumulative.begin());
  return cumulative;
}

size_t Pick(const std::vector<double>& cumulative, double u) {
  auto at = std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin();
  return std::min(static_cast<size_t>(at), cumulative.size() - 1);
}

}  // namespace

std::string_view RelationName(Relation relation) {
  switch (relation) {
    case Relation::kTwin:
      return "twins";
    case Relation::kParentChild:
      return "parent_child_same_name";
    case Relation::kSharedSsn:
      return "relative_using_ssn";
    case Relation::kSameNameAndDob:
      return "same_name_and_dob";
    case Relation::kSpouse:
      return "spouses";
    case Relation::kChild:
      return "parent_child";
    case Relation::kSibling:
      return "siblings";
    case Relation::kNone:
    case Relation::kCount:
      break;
  }
  return "";
}

const Profile& AgencyProfile() {
  static const Profile profile = MakeAgency();
  return profile;
}

const Profile& RegistryProfile() {
  static const Profile profile = MakeRegistry();
  return profile;
}

const Profile* FindProfile(std::string_view name) {
  for (const Profile* p : {&AgencyProfile(), &RegistryProfile()}) {
    if (p->name == name) return p;
  }
  return nullptr;
}

std::string_view ProfileNames() { return "agency, registry"; }

Sampling::Ranked Sampling::MakeRanked(size_t size, const RankModel& model, uint64_t key) {
  Ranked ranked{ZipfSampler(size, model.offset, model.exponent), std::vector<uint32_t>(size)};
  std::iota(ranked.order.begin(), ranked.order.end(), 0u);
  if (model.rerank_spread > 0) {
    std::vector<double> score(size);
    for (size_t r = 0; r < size; ++r) {
      double u = static_cast<double>(Mix64(key ^ Mix64(r)) >> 11) * 0x1.0p-53;
      score[r] = std::log(static_cast<double>(r) + model.offset) + model.rerank_spread * (u - 0.5);
    }
    std::stable_sort(ranked.order.begin(), ranked.order.end(),
                     [&](uint32_t a, uint32_t b) { return score[a] < score[b]; });
  }
  return ranked;
}

double Sampling::Ranked::Share(uint32_t index) const {
  auto rank = std::find(order.begin(), order.end(), index) - order.begin();
  return sampler.Probability(static_cast<size_t>(rank));
}

Sampling::Sampling(const Profile& profile) {
  const Tables& t = Tables::Get();
  const NameModel& names = profile.names;
  male_ = MakeRanked(t.first_names(false).size(), names.male_first, 0x6d61'6c65);
  female_ = MakeRanked(t.first_names(true).size(), names.female_first, 0x6665'6d61);
  surname_ = MakeRanked(t.surnames().size(), names.surname, 0x7375'726e);
  city_ = MakeRanked(t.cities().size(), profile.geography.city, 0x6369'7479);
  const GeographyModel& geo = profile.geography;
  metro_of_city_.assign(t.cities().size(), -1);
  std::vector<double> shares;
  const std::span<const synth::City> cities = t.cities();
  for (const Metro& metro : geo.metros) {
    auto at = std::find_if(cities.begin(), cities.end(), [&](const synth::City& c) { return c.name == metro.city; });
    const auto city = static_cast<size_t>(at - cities.begin());
    metro_of_city_[city] = static_cast<int>(metro_city_.size());
    metro_city_.push_back(static_cast<uint32_t>(city));
    shares.push_back(metro.share);
  }
  metro_cumulative_ = Cumulative(shares);
  if (geo.zips_per_metro > 0) metro_zip_ = ZipfSampler(static_cast<size_t>(geo.zips_per_metro), 1.0, geo.zip_exponent);
  household_cumulative_ = Cumulative(profile.households.size_share);
}

uint32_t Sampling::FirstName(bool female, Rng& rng) const { return (female ? female_ : male_).Sample(rng); }
uint32_t Sampling::Surname(Rng& rng) const { return surname_.Sample(rng); }

uint32_t Sampling::City(Rng& rng) const {
  if (metro_city_.empty()) return city_.Sample(rng);
  double u = rng.Real();
  if (u < metro_cumulative_.back()) return metro_city_[Pick(metro_cumulative_, u)];
  return city_.Sample(rng);
}

uint32_t Sampling::ZipTail(uint32_t city, Rng& rng) const {
  if (metro_of_city_[city] < 0) return static_cast<uint32_t>(rng.Below(100));
  return static_cast<uint32_t>(metro_zip_.Sample(rng) + 1);
}

uint32_t Sampling::HouseholdSize(Rng& rng) const {
  return static_cast<uint32_t>(Pick(household_cumulative_, rng.Real()) + 1);
}

double Sampling::FirstNameShare(bool female, uint32_t index) const { return (female ? female_ : male_).Share(index); }
double Sampling::SurnameShare(uint32_t index) const { return surname_.Share(index); }

}  // namespace matchguard::synth
